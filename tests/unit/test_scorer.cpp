// Scoring with a tiny reward model (random weights, a tokenizer trained here): probabilities
// well formed, batching and prefix sharing change nothing, both-order report, chain-of-thought
// decoding, reasoning-first scoring after the rationale, the regressive head, save and reload.
#include "common/atomic_file.h"
#include "common/error.h"
#include "fixtures.h"
#include "model/model_config.h"
#include "reward/reward_model.h"
#include "reward/scorer.h"
#include "text/bpe_trainer.h"
#include "text/tokenizer_json_writer.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <QtTest>

using namespace rd;
using namespace rd::reward;
namespace fs = std::filesystem;

namespace {

cv::Mat picture(int seed) {
    cv::Mat rgb(64, 64, CV_8UC3, cv::Scalar(128, 128, 128));
    cv::circle(rgb, cv::Point(10 + seed * 7 % 44, 20 + seed * 13 % 30), 6 + seed % 5,
               cv::Scalar(200 * (seed % 2), 40 * seed % 255, 90), cv::FILLED, cv::LINE_AA);
    return rgb;
}

std::unique_ptr<RewardModel> tinyModel(const fs::path& dir, Paradigm paradigm,
                                       text::AnswerOrder order = text::AnswerOrder::DecisionFirst) {
    text::BpeTrainerOptions options;
    options.vocabSize = 420;
    options.minFrequency = 1;
    text::BpeTrainer trainer(options);
    for (int i = 0; i < 20; ++i)
        trainer.addText("yes. Image 2 shows three red circles; no. image 1 shows two blue squares. "
                        "Is image 2 better than image 1? Please answer yes or no. Image 1 is "
                        "better. Answer: no. Image 2 is. Answer: yes\n");
    const text::BpeTokenizerSpec tokenizer = trainer.train();
    text::writeTokenizerJson(dir / "tokenizer.json", tokenizer);
    model::VlmConfig config = model::presetConfig("rd-xs");
    config.lm.vocabSize = 420; // padded beyond the tokenizer's vocabulary, as real models are
    RewardSpec spec;
    spec.paradigm = paradigm;
    spec.answerOrder = order;
    torch::manual_seed(21);
    return RewardModel::create(config, dir / "tokenizer.json", spec, torch::kCPU);
}

} // namespace

class TestScorer : public QObject {
    Q_OBJECT

private slots:
    void probabilitiesAreWellFormed() {
        test::ScratchDir dir;
        auto rm = tinyModel(dir.path(), Paradigm::PairwiseGenerative);
        QVERIFY(rm->yesId() != rm->noId());
        Scorer scorer(std::shared_ptr<RewardModel>(std::move(rm)));
        const RewardScore s = scorer.scorePair({"three red circles", picture(1), picture(2)});
        QVERIFY(s.pYes > 0 && s.pYes < 1 && s.pNo > 0 && s.pNo < 1);
        QVERIFY(s.pYes + s.pNo <= 1.0 + 1e-9);
        QCOMPARE(s.reward, s.pYes);
        QVERIFY(std::abs(s.pYesRenormalized - s.pYes / (s.pYes + s.pNo)) < 1e-12);
    }

    void batchingAndPrefixSharingChangeNothing() {
        test::ScratchDir dir;
        ScorerOptions options;
        options.batchSize = 3;
        Scorer scorer(
            std::shared_ptr<RewardModel>(tinyModel(dir.path(), Paradigm::PairwiseGenerative)),
            options);
        std::vector<PairToScore> pairs;
        for (int i = 0; i < 5; ++i)
            pairs.push_back({i % 2 ? "three red circles" : "a blue square left of a green star",
                             picture(i), picture(i + 10)});
        const auto batched = scorer.scorePairs(pairs);
        for (size_t i = 0; i < pairs.size(); ++i)
            QVERIFY(std::abs(batched[i].pYes - scorer.scorePair(pairs[i]).pYes) < 1e-5);

        std::vector<cv::Mat> candidates;
        for (int i = 0; i < 7; ++i)
            candidates.push_back(picture(20 + i));
        const auto shared =
            scorer.scoreCandidates("two red circles", picture(3), candidates, PrefixSharing::On);
        const auto plain =
            scorer.scoreCandidates("two red circles", picture(3), candidates, PrefixSharing::Off);
        QCOMPARE(shared.size(), size_t(7));
        bool differ = false;
        for (size_t i = 0; i < candidates.size(); ++i) {
            QVERIFY2(
                std::abs(shared[i].pYes - plain[i].pYes) < 1e-5,
                (std::to_string(shared[i].pYes) + " vs " + std::to_string(plain[i].pYes)).c_str());
            differ = differ || std::abs(shared[i].pYes - shared[0].pYes) > 1e-7;
        }
        QVERIFY2(differ, "different candidates should not all score the same");
    }

    void positionBiasReport() {
        test::ScratchDir dir;
        Scorer scorer(
            std::shared_ptr<RewardModel>(tinyModel(dir.path(), Paradigm::PairwiseGenerative)));
        std::vector<PairToScore> pairs;
        for (int i = 0; i < 4; ++i)
            pairs.push_back({"a red circle", picture(i), picture(i + 5)});
        const PositionBiasReport report = scorer.positionBias(pairs);
        QCOMPARE(report.pairs, 4);
        QVERIFY(report.consistent >= 0 && report.consistent <= 4);
        QCOMPARE(report.agreement, report.consistent / 4.0);
        QVERIFY(report.meanAbsDeviation >= 0 && report.meanAbsDeviation <= 1);
    }

    void chainOfThoughtIsGreedyAndBounded() {
        test::ScratchDir dir;
        ScorerOptions options;
        options.chainOfThought = true;
        options.maxNewTokens = 12;
        Scorer scorer(
            std::shared_ptr<RewardModel>(tinyModel(dir.path(), Paradigm::PairwiseGenerative)),
            options);
        const RewardScore a = scorer.scorePair({"a red circle", picture(1), picture(2)});
        const RewardScore b = scorer.scorePair({"a red circle", picture(1), picture(2)});
        QCOMPARE(a.rationale, b.rationale); // greedy: deterministic
        QVERIFY(!a.rationale.empty());
        const auto& tok = scorer.model().tokenizer();
        QVERIFY(tok.encode(a.rationale, text::AddSpecial::No).size() <= 12 + 2);
    }

    // A reasoning-first model is read after its own rationale and " Answer:" (paper §3.2.1).
    void reasoningFirstDecidesAfterItsRationale() {
        test::ScratchDir dir;
        auto shared = std::shared_ptr<RewardModel>(
            tinyModel(dir.path(), Paradigm::PairwiseGenerative, text::AnswerOrder::ReasoningFirst));
        RewardModel& rm = *shared;
        QVERIFY(!rm.answerMarker().empty());
        QVERIFY(rm.reasonedYesId() != rm.reasonedNoId());

        // One new token: its greedy choice, then the marker, read by hand.
        ScorerOptions one;
        one.maxNewTokens = 1;
        const PairToScore pair{"three red circles", picture(1), picture(2)};
        const RewardScore s = Scorer(shared, one).scorePair(pair);
        {
            c10::InferenceMode inference;
            rm.vlm()->eval();
            const auto prompt = rm.encodePrompt(pair.prompt, {1, 1});
            std::vector<int64_t> ids(prompt.ids.begin(), prompt.ids.end());
            const at::Tensor features = rm.vlm()->encodeImages(
                torch::cat({rm.imageTiles(pair.reference), rm.imageTiles(pair.candidate)}));
            const at::Tensor f = features.reshape({1, -1, features.size(-1)});
            auto lastLogits = [&](const std::vector<int64_t>& tokens) {
                const at::Tensor h =
                    rm.vlm()->forward(torch::tensor(tokens, torch::kLong).unsqueeze(0), f,
                                      rm.imageContextId(), nullptr);
                return rm.vlm()->logits(h[0][h.size(1) - 1]);
            };
            const int64_t first =
                lastLogits(ids).slice(-1, 0, rm.tokenizer().vocabSize()).argmax().item<int64_t>();
            QVERIFY(first != rm.endOfTurnId());
            ids.push_back(first);
            for (int32_t m : rm.answerMarker())
                ids.push_back(m);
            const at::Tensor p = torch::softmax(lastLogits(ids), -1);
            QVERIFY(std::abs(s.pYes - p[rm.reasonedYesId()].item<double>()) < 1e-5);
            QVERIFY(std::abs(s.pNo - p[rm.reasonedNoId()].item<double>()) < 1e-5);
            QCOMPARE(s.reward, s.pYes);
            QCOMPARE(s.rationale,
                     rm.tokenizer().decode({static_cast<int32_t>(first)}, text::SkipSpecial::Yes));
        }

        // Rows of different lengths batch apart and decode in lockstep: batching changes nothing.
        ScorerOptions options;
        options.batchSize = 3;
        options.maxNewTokens = 10;
        Scorer scorer(shared, options);
        std::vector<PairToScore> pairs;
        for (int i = 0; i < 5; ++i)
            pairs.push_back({i % 2 ? "three red circles" : "a blue square left of a green star",
                             picture(i), picture(i + 10)});
        const auto batched = scorer.scorePairs(pairs);
        for (size_t i = 0; i < pairs.size(); ++i) {
            const RewardScore alone = scorer.scorePair(pairs[i]);
            QVERIFY(std::abs(batched[i].pYes - alone.pYes) < 1e-5);
            QCOMPARE(batched[i].rationale, alone.rationale);
            QVERIFY(!alone.rationale.empty()); // always written, asked for or not
        }

        // The answer order is saved with the model and read back; a bad one names the file.
        rm.save(dir / "rf");
        QCOMPARE(readRewardSpec(dir / "rf").answerOrder, text::AnswerOrder::ReasoningFirst);
        nlohmann::json j = nlohmann::json::parse(readWholeFile(dir / "rf" / kRewardSpecFile));
        j["answer_order"] = "sideways";
        writeFileAtomically(dir / "rf" / kRewardSpecFile,
                            [&](std::ostream& out) { out << j.dump(); });
        try {
            readRewardSpec(dir / "rf");
            QFAIL("a bad answer_order was accepted");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("reward.json") != std::string::npos);
            QVERIFY(std::string(e.what()).find("answer_order 'sideways'") != std::string::npos);
        }
    }

    void pointwiseIgnoresTheReferenceAndRegressiveUsesItsHead() {
        test::ScratchDir dir;
        Scorer pointwise(
            std::shared_ptr<RewardModel>(tinyModel(dir.path(), Paradigm::PointwiseGenerative)));
        const double one = pointwise.scorePair({"a red circle", picture(1), picture(4)}).reward;
        const double other = pointwise.scorePair({"a red circle", picture(9), picture(4)}).reward;
        QCOMPARE(one, other);

        test::ScratchDir dir2;
        auto regressive = tinyModel(dir2.path(), Paradigm::PointwiseRegressive);
        QVERIFY(regressive->head());
        {
            torch::NoGradGuard noGrad;
            regressive->head()->bias.fill_(3.0);
        }
        regressive->save(dir2 / "rm");
        Scorer reloaded = Scorer::open(dir2 / "rm", "cpu");
        Scorer original(std::shared_ptr<RewardModel>(std::move(regressive)));
        const PairToScore pair{"a red circle", picture(1), picture(4)};
        QCOMPARE(reloaded.scorePair(pair).reward, original.scorePair(pair).reward);
        QVERIFY(std::abs(original.scorePair(pair).reward) > 0.5); // the bias of 3 shows
    }

    void savedModelScoresTheSame() {
        test::ScratchDir dir;
        auto rm = tinyModel(dir.path(), Paradigm::PairwiseGenerative);
        rm->save(dir / "rm");
        QVERIFY(fs::exists(dir / "rm" / "tokenizer.json"));
        QVERIFY(fs::exists(dir / "rm" / "reward.json"));
        Scorer original(std::shared_ptr<RewardModel>(std::move(rm)));
        Scorer reloaded = Scorer::open(dir / "rm", "cpu");
        const PairToScore pair{"two green triangles", picture(5), picture(6)};
        QCOMPARE(reloaded.scorePair(pair).pYes, original.scorePair(pair).pYes);
        QVERIFY_THROWS_EXCEPTION(Error, Scorer::open(dir / "rm", "tpu"));
        QVERIFY_THROWS_EXCEPTION(Error, Scorer::open(dir / "missing", "cpu"));
    }

    void promptFirstIsSavedAndReadsThePromptBeforeTheImages() {
        test::ScratchDir dir;
        auto rm = tinyModel(dir.path(), Paradigm::PairwiseGenerative);
        rm->save(dir / "rm");
        QVERIFY(!readRewardSpec(dir / "rm").promptFirst);
        nlohmann::json j = nlohmann::json::parse(readWholeFile(dir / "rm" / kRewardSpecFile));
        j["prompt_first"] = true;
        writeFileAtomically(dir / "rm" / kRewardSpecFile,
                            [&](std::ostream& out) { out << j.dump(); });
        auto promptFirst = RewardModel::load(dir / "rm", torch::kCPU);
        QVERIFY(promptFirst->spec().promptFirst);
        promptFirst->save(dir / "saved-again");
        QVERIFY(readRewardSpec(dir / "saved-again").promptFirst);
        const std::string before = rm->promptText("two green triangles", 2);
        const std::string after = promptFirst->promptText("two green triangles", 2);
        QVERIFY(before.find("Prompt: two green triangles") > before.find("<image>"));
        QVERIFY(after.find("Prompt: two green triangles") < after.find("<image>"));
        // Same weights, different reading order: the untrained model's P("yes") moves.
        const PairToScore pair{"two green triangles", picture(5), picture(6)};
        const double imagesFirst =
            Scorer(std::shared_ptr<RewardModel>(std::move(rm))).scorePair(pair).pYes;
        const double promptFirstYes =
            Scorer(std::shared_ptr<RewardModel>(std::move(promptFirst))).scorePair(pair).pYes;
        QVERIFY(std::abs(imagesFirst - promptFirstYes) > 1e-7);
    }
};

QTEST_APPLESS_MAIN(TestScorer)
#include "test_scorer.moc"
