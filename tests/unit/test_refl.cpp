// The generator with a reward model (core/refl): Best-of-N win counts on a hand-made tournament;
// gradients reach the generator through a frozen RM; ReFL raises the reward it is given, logs
// the reward statistics, stores the generator and resumes to the same weights; pairwise ReFL
// keeps its Best-of-N references; Search over Paths never returns a worse verifier score than
// its best initial path.
#include "common/error.h"
#include "diffusion/flow_matching.h"
#include "diffusion/gen_trainer.h"
#include "diffusion/text_to_image.h"
#include "eval/reward_window.h"
#include "model/checkpoint.h"
#include "model/model_config.h"
#include "refl/best_of_n.h"
#include "refl/image_reward.h"
#include "refl/path_search.h"
#include "refl/refl_trainer.h"
#include "reward/reward_model.h"
#include "reward/workspace_tokenizer.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "synth/pair_maker.h"
#include "synth/synth_writer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <sstream>

using namespace rd;
using namespace rd::refl;
namespace fs = std::filesystem;

namespace {

// A workspace with ShapeWorld prompts and pairs, a barely trained generator "models/gen", and
// fresh rd-xs reward models of two paradigms.
struct World {
    QTemporaryDir dir;
    std::unique_ptr<store::Workspace> ws;

    World() {
        ws = store::Workspace::create(dir.filePath("ws").toStdString());
        synth::writeBundles(
            *ws, synth::makeBundles(synth::Split::Train, synth::MediaMode::Image, 16, 1, {}), {});
        synth::writeBundles(
            *ws, synth::makeBundles(synth::Split::Id, synth::MediaMode::Image, 8, 2, {}), {});
        diffusion::GenTrainSpec gen;
        gen.preset = "gen-xs";
        gen.out = gen.name = "models/gen";
        gen.steps = 2;
        gen.batch = 4;
        gen.evalEvery = 0;
        gen.checkpointEvery = 0;
        gen.tokenizerVocab = 300;
        gen.threads = 1;
        diffusion::trainGenerator(*ws, gen, nullptr);
        for (auto [name, paradigm] :
             {std::pair{"models/rm-pointwise", reward::Paradigm::PointwiseGenerative},
              {"models/rm-pairwise", reward::Paradigm::PairwiseGenerative}}) {
            reward::RewardSpec spec;
            spec.paradigm = paradigm;
            spec.withInstruction = false;
            const fs::path folder = ws->folder() / name, tokenizer = folder / "tokenizer.json";
            fs::create_directories(folder);
            reward::trainWorkspaceTokenizer(*ws, "train", 400, tokenizer);
            torch::manual_seed(7);
            reward::RewardModel::create(model::presetConfig("rd-xs"), tokenizer, spec, torch::kCPU)
                ->save(folder);
        }
    }
    fs::path operator/(const std::string& p) const { return ws->folder() / p; }
};

ReflSpec quickSpec(const std::string& rm, const std::string& out) {
    ReflSpec s;
    s.generator = "models/gen";
    s.rewardModel = rm;
    s.out = out;
    s.name = fs::path(out).filename().string();
    s.prompts = 4;
    s.samplingSteps = 4;
    s.gradWindow = 2;
    s.batch = 2;
    s.sftBatch = 2;
    s.steps = 4;
    s.evalEvery = 0;
    s.checkpointEvery = 0;
    s.bonCandidates = 3;
    s.bonSteps = 2;
    s.varianceWindow = 3;
    // One thread, fixed: the learning checks then run the same bits on any machine under any load
    // (threads 0 follows the free cores, and another count rounds sums otherwise), and tiny
    // models lose nothing by it, while a second thread beside a busy neighbour waits at every
    // parallel region.
    s.threads = 1;
    return s;
}

at::Tensor weightsOf(const fs::path& folder) {
    const auto checkpoint = model::Checkpoint::open(folder / "model.safetensors");
    std::vector<at::Tensor> all;
    for (const auto& info : checkpoint.tensors())
        all.push_back(checkpoint.load(info.name).flatten());
    return torch::cat(all);
}

std::vector<double> rewardsLogged(const std::string& events) {
    std::vector<double> out;
    std::istringstream lines(events);
    for (std::string line; std::getline(lines, line);) {
        const auto e = nlohmann::json::parse(line);
        if (e.at("event") == "progress")
            out.push_back(e.at("reward_mean").get<double>());
    }
    return out;
}

} // namespace

class TestRefl : public QObject {
    Q_OBJECT

private slots:
    // Sample 2 beats everyone; 0 beats 1 and 3; 3 beats 1.
    void winCountsRankATournament() {
        // p[i][j]: P(candidate j better than reference i).
        const std::vector<std::vector<double>> p = {
            {0.5, 0.2, 0.9, 0.3}, {0.8, 0.5, 0.9, 0.6}, {0.1, 0.2, 0.5, 0.1}, {0.7, 0.3, 0.8, 0.5}};
        const WinRanking r = rankByWins(p);
        QCOMPARE(r.wins, (std::vector<int>{4, 0, 6, 2}));
        QCOMPARE(r.order, (std::vector<int>{2, 0, 3, 1}));
        // Equal wins are ordered by margin: 0 and 1 win one match each, 1 by the larger margin.
        const std::vector<std::vector<double>> tie = {{0.5, 0.9}, {0.6, 0.5}};
        QCOMPARE(rankByWins(tie).order, (std::vector<int>{1, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, rankByWins({{0.5, 0.5}, {0.5}}));
    }

    void rewardWindowHoldsTheLastIterations() {
        eval::RewardWindow w(2);
        w.add({1.0, 1.0});
        QCOMPARE(w.variance(), 0.0);
        w.add({3.0});
        QVERIFY(std::abs(w.variance() - 8.0 / 9.0) < 1e-12); // {1, 1, 3}
        w.add({5.0, 5.0});                                   // the first iteration leaves
        QCOMPARE(w.iterations(), size_t(2));
        QVERIFY(std::abs(w.mean() - 13.0 / 3.0) < 1e-12);
        // The collapse alert fires once the variance falls below a tenth of its peak.
        QVERIFY(!eval::checkVarianceCollapse({0.2, 0.3, 0.25}).collapsed);
        QVERIFY(!eval::checkVarianceCollapse({0.01, 0.02, 0.3}).collapsed); // still rising
        const auto collapsed = eval::checkVarianceCollapse({0.2, 0.3, 0.1, 0.02});
        QVERIFY(collapsed.collapsed);
        QCOMPARE(collapsed.peak, 0.3);
        QCOMPARE(collapsed.latest, 0.02);
    }

    void gradientsReachTheGeneratorThroughTheRm() {
        World world;
        ImageReward pointwise = ImageReward::load(world / "models/rm-pointwise");
        QVERIFY(!pointwise.needsReference());
        auto gen = diffusion::TextToImage::load(world / "models/gen", torch::kCPU);
        const std::vector<std::string> prompts{"a photo of a red circle", "a photo of two stars"};
        const at::Tensor tokens = gen->tokenize(prompts);
        const at::Tensor x = gen->noiseFor({1, 2});
        const diffusion::VelocityFn v = diffusion::guidedVelocity(gen->net(), tokens, 2.0);
        const at::Tensor clean = diffusion::predictClean(x, 0.2, v(x, torch::full({2}, 0.2)));
        const at::Tensor r = pointwise.score(clean, prompts);
        QCOMPARE(r.sizes(), (c10::IntArrayRef{2}));
        QVERIFY(r.min().item<double>() >= 0.0 && r.max().item<double>() <= 1.0);
        r.sum().backward();
        double gradient = 0.0;
        for (const auto& p : gen->net()->parameters())
            if (p.grad().defined())
                gradient += p.grad().abs().sum().item<double>();
        QVERIFY2(gradient > 0.0, "no gradient reached the generator");

        ImageReward pairwise = ImageReward::load(world / "models/rm-pairwise");
        QVERIFY(pairwise.needsReference());
        QVERIFY_THROWS_EXCEPTION(Error, pairwise.score(clean.detach(), prompts));
        const at::Tensor p2 = pairwise.score(clean.detach(), prompts, clean.detach().flip(0));
        QCOMPARE(p2.size(0), int64_t(2));

        // A reasoning-first RM decides after a written rationale: no reward with a gradient.
        auto reasoning = reward::RewardModel::load(world / "models/rm-pairwise", torch::kCPU);
        reward::RewardSpec spec = reasoning->spec();
        spec.answerOrder = text::AnswerOrder::ReasoningFirst;
        reward::writeRewardSpec(world / "models/rm-pairwise", spec);
        try {
            ImageReward::load(world / "models/rm-pairwise");
            QFAIL("ReFL accepted a reasoning-first reward model");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            const std::string what = e.what();
            QVERIFY(what.find((world / "models/rm-pairwise").string()) != std::string::npos);
            QVERIFY(what.find("reasoning-first") != std::string::npos);
        }
    }

    // With the SFT term off and one prompt, ReFL must raise the reward it climbs.
    void reflRaisesTheRewardAndStoresTheRun() {
        World world;
        ReflSpec spec = quickSpec("models/rm-pointwise", "models/refl");
        spec.prompts = 1;
        spec.batch = 4;
        spec.steps = 40;
        spec.sftWeight = 0.0;
        spec.lr = 3e-3;
        spec.warmupSteps = 0;
        spec.evalEvery = 20;
        spec.evalPrompts = 2;
        spec.evalSteps = 2;
        std::ostringstream events;
        const ReflResult r = trainRefl(*world.ws, spec, &events);
        QVERIFY(r.finished);
        const std::vector<double> rewards = rewardsLogged(events.str());
        QCOMPARE(rewards.size(), size_t(40));
        double first = 0, last = 0;
        for (int i = 0; i < 8; ++i) {
            first += rewards[static_cast<size_t>(i)] / 8;
            last += rewards[rewards.size() - 1 - static_cast<size_t>(i)] / 8;
        }
        QVERIFY2(last > first, qPrintable(QString("reward %1 -> %2").arg(first).arg(last)));
        QVERIFY(fs::exists(r.generator / "model.safetensors"));
        QVERIFY(!fs::exists(r.generator / "train_state"));
        for (const char* metric :
             {"refl/reward_mean", "refl/reward_std", "refl/reward_window_variance"})
            QCOMPARE(world.ws->runs().metrics(r.runId, metric).size(), size_t(40));
        QCOMPARE(world.ws->runs().metrics(r.runId, "val/diversity").size(), size_t(2));
        QCOMPARE(world.ws->runs().get(r.runId)->kind, std::string("refl"));
    }

    void pairwiseReflKeepsReferencesAndResumes() {
        World world;
        const ReflSpec whole = quickSpec("models/rm-pairwise", "models/whole");
        trainRefl(*world.ws, whole, nullptr);
        const auto references =
            model::Checkpoint::open(world / "models/whole/references.safetensors");
        QCOMPARE(references.load("images").sizes(), (c10::IntArrayRef{4, 1, 3, 64, 64}));
        // References made under another spec are never reused.
        ReflSpec other = whole;
        other.out = "models/other";
        other.bonCandidates = 4;
        fs::create_directories(world / "models/other");
        fs::copy_file(world / "models/whole/references.safetensors",
                      world / "models/other/references.safetensors");
        try {
            trainRefl(*world.ws, other, nullptr);
            QFAIL("stale references were reused");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("references.safetensors"), e.what());
        }

        ReflSpec split = whole;
        split.out = "models/split";
        split.name = "split";
        ReflControl stop;
        stop.stopAfterStep = 2;
        QVERIFY(!trainRefl(*world.ws, split, nullptr, stop).finished);
        ReflControl resume;
        resume.resume = true;
        const ReflResult r = trainRefl(*world.ws, split, nullptr, resume);
        QVERIFY(r.finished && r.resumed);
        QVERIFY(torch::equal(weightsOf(world / "models/whole"), weightsOf(r.generator)));
        QVERIFY_THROWS_EXCEPTION(Error, parseReflSpec({{"out", "x"}, {"generator", "g"}}, "job"));
        QVERIFY_THROWS_EXCEPTION(
            Error,
            parseReflSpec(
                {{"out", "x"}, {"generator", "g"}, {"reward_model", "r"}, {"grad_window", 50}},
                "job"));
    }

    void searchIsNeverWorseThanItsBestInitialPath() {
        World world;
        auto gen = diffusion::TextToImage::load(world / "models/gen", torch::kCPU);
        // The verifier likes red.
        const Verifier redness = [](const at::Tensor& images) {
            return images.select(1, 0).mean({1, 2}) - images.select(1, 2).mean({1, 2});
        };
        SearchOptions options;
        options.paths = 3;
        options.branches = 3;
        options.interval = 2;
        options.sampling = {6, diffusion::Sampler::Euler, 2.0};
        for (std::uint64_t seed : {1, 2, 3}) {
            options.seed = seed;
            const SearchResult r =
                searchOverPaths(*gen, "a photo of a red circle", redness, options);
            QVERIFY(r.score >= r.bestInitialScore);
            QVERIFY(r.bestInitialScore >= r.firstPathScore);
            QVERIFY(std::abs(redness(r.image.unsqueeze(0)).item<double>() - r.score) < 1e-5);
            // 3 plain + 2 prunings x 9 branches + 3 finals.
            QCOMPARE(r.verifierCalls, 3 + 2 * 9 + 3);
        }
        options.renoise = 0.0;
        QVERIFY_THROWS_EXCEPTION(Error, searchOverPaths(*gen, "x", redness, options));
    }
};

QTEST_GUILESS_MAIN(TestRefl)
#include "test_refl.moc"
