// The generator over a workspace (core/diffusion's training half): the job spec is strict; SFT
// on a small ShapeWorld workspace lowers its loss, stores the generator, its run, metrics and
// model row; a run stopped half-way and resumed ends with the same weights as an uninterrupted
// one; samples land in the workspace as generations (idempotently); the oracle's alignment table
// gives clean renders full marks and blank images none.
#include "common/error.h"
#include "diffusion/alignment_eval.h"
#include "diffusion/gen_train_spec.h"
#include "diffusion/gen_trainer.h"
#include "diffusion/sample_writer.h"
#include "diffusion/shapeworld_prompts.h"
#include "diffusion/text_to_image.h"
#include "model/checkpoint.h"
#include "store/generation_repository.h"
#include "store/model_repository.h"
#include "store/prompt_repository.h"
#include "store/run_repository.h"
#include "store/workspace.h"
#include "synth/pair_maker.h"
#include "synth/renderer.h"
#include "synth/rng.h"
#include "synth/synth_writer.h"
#include "synth/toy_generator.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <sstream>

using namespace rd;
using namespace rd::diffusion;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<store::Workspace> shapeWorld(const fs::path& folder) {
    auto ws = store::Workspace::create(folder);
    synth::writeBundles(
        *ws, synth::makeBundles(synth::Split::Train, synth::MediaMode::Image, 24, 1, {}), {});
    synth::writeBundles(
        *ws, synth::makeBundles(synth::Split::Id, synth::MediaMode::Image, 12, 2, {}), {});
    return ws;
}

GenTrainSpec quickSpec(const std::string& out) {
    GenTrainSpec s;
    s.preset = "gen-xs";
    s.out = out;
    s.name = fs::path(out).filename().string();
    s.steps = 30;
    s.batch = 8;
    s.warmupSteps = 5;
    s.evalEvery = 0;
    s.checkpointEvery = 0;
    s.tokenizerVocab = 300;
    // One thread, fixed: the learning checks then run the same bits on any machine under any load
    // (threads 0 follows the free cores, and another count rounds sums otherwise), and tiny
    // models lose nothing by it, while a second thread beside a busy neighbour waits at every
    // parallel region.
    s.threads = 1;
    return s;
}

std::vector<double> losses(const std::string& events) {
    std::vector<double> out;
    std::istringstream lines(events);
    for (std::string line; std::getline(lines, line);) {
        const auto event = nlohmann::json::parse(line);
        if (event.at("event") == "progress")
            out.push_back(event.at("loss").get<double>());
    }
    return out;
}

at::Tensor weightsOf(const fs::path& folder) {
    const auto checkpoint = model::Checkpoint::open(folder / "model.safetensors");
    std::vector<at::Tensor> all;
    for (const auto& info : checkpoint.tensors())
        all.push_back(checkpoint.load(info.name).flatten());
    return torch::cat(all);
}

} // namespace

class TestGeneratorTraining : public QObject {
    Q_OBJECT

private slots:
    void specIsStrict() {
        const GenTrainSpec s = parseGenTrainSpec({{"out", "models/g"}}, "job.json");
        QCOMPARE(s.name, std::string("g"));
        QCOMPARE(s.preset, std::string("gen-s"));
        auto refused = [](const nlohmann::json& j, const char* field) {
            try {
                parseGenTrainSpec(j, "job.json");
                return false;
            } catch (const Error& e) {
                return QString(e.what()).contains(field) && QString(e.what()).contains("job.json");
            }
        };
        QVERIFY(refused({{"out", "g"}, {"stepz", 3}}, "stepz"));
        QVERIFY(refused({{"out", "g"}, {"steps", 0}}, "steps"));
        QVERIFY(refused({{"out", "g"}, {"preset", "gen-xxl"}}, "preset"));
        QVERIFY(refused({{"out", "g"}, {"data", "videos"}}, "data"));
        QVERIFY(refused({{"out", "g"}, {"cfg_dropout", 1.5}}, "cfg_dropout"));
        QVERIFY(refused({{"preset", "gen-xs"}}, "out"));
        QCOMPARE(toJson(parseGenTrainSpec(toJson(s), "again")), toJson(s));
    }

    void trainsAndStoresTheGenerator() {
        QTemporaryDir dir;
        auto ws = shapeWorld(dir.filePath("ws").toStdString());
        GenTrainSpec spec = quickSpec("models/gen");
        spec.evalEvery = 15;
        spec.evalPrompts = 4;
        spec.evalSteps = 2;
        std::ostringstream events;
        const GenTrainResult r = trainGenerator(*ws, spec, &events);
        QVERIFY(r.finished);
        QCOMPARE(r.steps, std::int64_t(30));
        const std::vector<double> l = losses(events.str());
        QVERIFY(l.size() >= 20);
        const double first = (l[0] + l[1] + l[2]) / 3,
                     last = (l[l.size() - 1] + l[l.size() - 2] + l[l.size() - 3]) / 3;
        QVERIFY2(last < 0.9 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
        for (const char* file :
             {"config.json", "model.safetensors", "tokenizer.json", "training.json"})
            QVERIFY2(fs::exists(r.generator / file), file);
        QVERIFY(!fs::exists(r.generator / "train_state"));
        QVERIFY(r.lastEvaluation.is_object());
        QCOMPARE(r.lastEvaluation.at("images").get<int>(), 4);
        const auto run = ws->runs().get(r.runId);
        QVERIFY(run && run->status == store::RunStatus::Done && run->kind == "gen_train");
        QCOMPARE(ws->runs().metrics(r.runId, "train/loss").size(), size_t(30));
        QCOMPARE(ws->runs().metrics(r.runId, "val/alignment").size(), size_t(2));
        const auto model = ws->models().findByName("gen");
        QVERIFY(model && model->arch == "flow-dit" && model->paramCount > 100000);
        // The stored generator loads and samples; a finished one is never trained over.
        auto gen = TextToImage::load(r.generator, torch::kCPU);
        const auto images = gen->sample({"a photo of a red circle"}, {5}, {3, Sampler::Euler, 2.0});
        QCOMPARE(images.size(), size_t(1));
        QCOMPARE(images[0].cols, 64);
        try {
            trainGenerator(*ws, spec, nullptr);
            QFAIL("trained over a finished generator");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("already holds"), e.what());
        }
    }

    void resumedRunMatchesUninterrupted() {
        QTemporaryDir dir;
        auto ws = shapeWorld(dir.filePath("ws").toStdString());
        GenTrainSpec whole = quickSpec("models/whole");
        whole.steps = 12;
        trainGenerator(*ws, whole, nullptr);

        GenTrainSpec split = whole;
        split.out = split.name = "models/split";
        GenTrainControl stop;
        stop.stopAfterStep = 5;
        const GenTrainResult first = trainGenerator(*ws, split, nullptr, stop);
        QVERIFY(!first.finished);
        QVERIFY(fs::exists(first.generator / "train_state"));
        try {
            trainGenerator(*ws, split, nullptr); // without --resume
            QFAIL("an unfinished run was restarted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("--resume"), e.what());
        }
        GenTrainControl resume;
        resume.resume = true;
        const GenTrainResult second = trainGenerator(*ws, split, nullptr, resume);
        QVERIFY(second.finished && second.resumed);
        QCOMPARE(second.steps, std::int64_t(12));
        QCOMPARE(second.runId, first.runId);
        QVERIFY(
            torch::equal(weightsOf(ws->folder() / "models/whole"), weightsOf(second.generator)));
    }

    void samplesBecomeGenerations() {
        QTemporaryDir dir;
        auto ws = shapeWorld(dir.filePath("ws").toStdString());
        GenTrainSpec spec = quickSpec("models/g");
        spec.steps = 2;
        trainGenerator(*ws, spec, nullptr);
        auto gen = TextToImage::load(ws->folder() / "models/g", torch::kCPU);
        auto prompts = ws->prompts().listBySplit("id");
        prompts.resize(3);
        SampleWriteOptions options;
        options.generator = "g";
        options.perPrompt = 2;
        options.sampling = {2, Sampler::Euler, 1.0};
        const SampleWriteReport r = writeSamples(*ws, *gen, prompts, options);
        QCOMPARE(r.images, 6);
        QCOMPARE(r.generationsAdded, 6);
        const auto rows = ws->generations().listByGenerator("g");
        QCOMPARE(rows.size(), size_t(6));
        QVERIFY(rows[0].seed.has_value());
        // The same seeds again: the same images, no new rows.
        const SampleWriteReport again = writeSamples(*ws, *gen, prompts, options);
        QCOMPARE(again.generationsAdded, 0);
        QCOMPARE(again.mediaAdded, 0);
        options.generator = "../escape";
        QVERIFY_THROWS_EXCEPTION(Error, writeSamples(*ws, *gen, prompts, options));
    }

    // The oracle's table: clean renders of the prompts satisfy them, blank images do not.
    void alignmentTableScoresImages() {
        QTemporaryDir dir;
        auto ws = shapeWorld(dir.filePath("ws").toStdString());
        const std::vector<WorldPrompt> prompts = shapeWorldImagePrompts(*ws, "id", {}).prompts;
        QVERIFY(prompts.size() >= 10);
        AlignmentReport clean, blank;
        synth::Rng rng(3);
        for (const WorldPrompt& p : prompts) {
            const auto g =
                synth::generate(synth::GeneratorStyle::Clean, p.spec, synth::Split::Id, 64, rng);
            clean.add(p.record.category, synth::render(g.scene, g.look), p.spec);
            blank.add(p.record.category, cv::Mat(64, 64, CV_8UC3, cv::Scalar(128, 128, 128)),
                      p.spec);
        }
        QVERIFY2(clean.overall() > 0.9, qPrintable(QString::number(clean.overall())));
        QCOMPARE(blank.overall(), 0.0);
        QCOMPARE(clean.images(), static_cast<int>(prompts.size()));
        const Table t = alignmentTable({{"renders", clean}, {"blank", blank}});
        QCOMPARE(t.rows.size(), size_t(2));
        QCOMPARE(t.columns.front(), std::string("model"));
        QCOMPARE(t.columns[t.columns.size() - 3], std::string("overall"));
        QCOMPARE(std::get<double>(t.rows[0][t.columns.size() - 3]), clean.overall());
        // One image per prompt measures no diversity: the cell is empty, not 0.
        QVERIFY(std::holds_alternative<std::monostate>(t.rows[0].back()));
        double sum = 0;
        for (const auto& [name, c] : clean.categories)
            sum += c.rate();
        QVERIFY(std::abs(clean.overall() - sum / clean.categories.size()) < 1e-12);
    }
};

QTEST_GUILESS_MAIN(TestGeneratorTraining)
#include "test_generator_training.moc"
