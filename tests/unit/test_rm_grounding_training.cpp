// The RM's grounding stage on a small ShapeWorld workspace made here: the workspace captions and
// questions feed a reward run; the scene stream answers in words and keeps the step with the
// best answer accuracy; the grounding kinds choose what is trained.
#include "common/error.h"
#include "fixtures.h"
#include "model/checkpoint.h"
#include "model/model_config.h"
#include "reward/grounding_dataset.h"
#include "reward/reward_model.h"
#include "reward/training_rows.h"
#include "rm_training_run.h"
#include "store/run_repository.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QtTest>

#include <algorithm>
#include <regex>

using namespace rd;
using namespace rd::reward;
using test::meanOf;
using test::quickSpec;
using test::Run;
using test::shapeWorld;
using test::train;
namespace fs = std::filesystem;

class RmGroundingTrainingTest : public QObject {
    Q_OBJECT

private slots:
    void groundingStageFeedsARewardRun() {
        test::ScratchDir dir;
        auto ws = shapeWorld(dir / "ws", 6);
        RmTrainSpec grounding = quickSpec("backbone");
        grounding.stage = reward::RmStage::Grounding;
        grounding.steps = 40;
        grounding.valFraction = 0.3;
        grounding.evalEvery = 20;
        const Run g = train(*ws, grounding);
        QVERIFY(meanOf(g.losses, 35, 40) < 0.8 * meanOf(g.losses, 0, 5));
        // Validation reports the accuracy per question kind, stored as one curve per kind; the
        // overall accuracy is their weighted mean, so it lies between the lowest and highest.
        const nlohmann::json& report = g.result.validation;
        QVERIFY(report.is_object());
        QVERIFY(!report["accuracy_by_kind"].contains("near_miss")); // asked for by name only
        for (const char* kind : {"shows", "presence", "count"}) {
            QVERIFY2(report["accuracy_by_kind"].contains(kind), kind);
            const auto curve =
                ws->runs().metrics(g.result.runId, std::string("val/accuracy/") + kind);
            QCOMPARE(curve.size(), size_t(2)); // steps 20 and 40
        }
        double lowest = 1.0, highest = 0.0;
        for (const auto& [kind, value] : report["accuracy_by_kind"].items()) {
            lowest = std::min(lowest, value.get<double>());
            highest = std::max(highest, value.get<double>());
        }
        const double overall = report["accuracy"].get<double>();
        QVERIFY(overall >= lowest - 1e-12 && overall <= highest + 1e-12);

        QVERIFY(!report.contains("cell_accuracy")); // no cell probe asked for
        // Every question ends in a bare yes/no: a sizeable share of the loss, reported.
        const double share = report["decision_token_share"].get<double>();
        QVERIFY2(share > 0.05 && share < 1.0, qPrintable(QString::number(share)));

        // The pair layout (two images, the question about one of them) trains too, here on the
        // kinds named: near-miss prompts among them; and with the cell probe, whose accuracy on
        // the object cells is validated and stored as a curve.
        RmTrainSpec paired = grounding;
        paired.out = paired.name = "paired";
        paired.groundingLayout = reward::GroundingLayout::Pair;
        paired.groundingKinds = {"caption", "shows", "near_miss"};
        paired.groundingCellWeight = 1.0;
        const Run p = train(*ws, paired);
        QVERIFY(meanOf(p.losses, 35, 40) < 0.8 * meanOf(p.losses, 0, 5));
        QVERIFY(p.result.validation["accuracy_by_kind"].contains("shows"));
        QVERIFY(p.result.validation["accuracy_by_kind"].contains("near_miss"));
        QVERIFY(!p.result.validation["accuracy_by_kind"].contains("count"));
        const double cells = p.result.validation["cell_accuracy"].get<double>();
        QVERIFY(cells >= 0.0 && cells <= 1.0);
        QCOMPARE(ws->runs().metrics(p.result.runId, "val/cell_accuracy").size(), size_t(2));
        // The probe is for training only: the checkpoint holds the model's tensors alone.
        const auto pairedCheckpoint =
            model::Checkpoint::open(dir / "ws" / "paired" / "model.safetensors");
        QCOMPARE(pairedCheckpoint.tensors().size(),
                 model::Checkpoint::open(dir / "ws" / "backbone" / "model.safetensors")
                     .tensors()
                     .size());
        RmTrainSpec reward = quickSpec("rm");
        reward.backbone = "backbone";
        reward.steps = 5;
        const Run r = train(*ws, reward);
        QVERIFY(r.result.finished);
        // The reward run starts from the grounded weights, not from scratch.
        const auto grounded =
            model::Checkpoint::open(dir / "ws" / "backbone" / "model.safetensors");
        auto fresh =
            RewardModel::create(model::presetConfig("rd-xs"),
                                dir / "ws" / "backbone" / "tokenizer.json", {}, torch::kCPU);
        const auto name = std::string("language_model.model.embed_tokens.weight");
        const auto trained = RewardModel::load(dir / "ws" / "rm", torch::kCPU);
        auto groundedEmbedding = torch::empty_like(trained->vlm()->named_parameters()[name]);
        grounded.copyInto(name, groundedEmbedding);
        const double toGrounded = (trained->vlm()->named_parameters()[name] - groundedEmbedding)
                                      .abs()
                                      .max()
                                      .item<double>();
        const double toFresh =
            (trained->vlm()->named_parameters()[name] - fresh->vlm()->named_parameters()[name])
                .abs()
                .max()
                .item<double>();
        QVERIFY(toGrounded < toFresh);
    }

    // The stream source: a fresh scene for every example, questions answered in words, the
    // exact-match accuracy per kind, and the checkpoint at the validation with the best answer
    // accuracy (not the lowest loss).
    void streamGroundingKeepsTheBestAnswerAccuracy() {
        test::ScratchDir dir;
        auto ws = shapeWorld(dir / "ws", 2);
        RmTrainSpec spec = quickSpec("streamed");
        spec.stage = reward::RmStage::Grounding;
        spec.groundingSource = reward::GroundingSource::Stream;
        spec.steps = 60;
        spec.evalEvery = 10;
        spec.evalPairs = 12;
        const Run run = train(*ws, spec);
        QVERIFY(run.result.finished);
        QCOMPARE(run.data["source"].get<std::string>(), std::string("stream"));
        QVERIFY(run.data["validation_questions"].get<int>() >= 12 * 4);
        QVERIFY(meanOf(run.losses, 55, 60) < 0.7 * meanOf(run.losses, 0, 5));
        const nlohmann::json& best = run.result.validation;
        for (const char* kind : {"caption", "where", "which", "count", "presence", "relation"}) {
            QVERIFY2(best["accuracy_by_kind"].contains(kind), kind);
            QCOMPARE(
                ws->runs().metrics(run.result.runId, std::string("val/accuracy/") + kind).size(),
                size_t(6));
        }
        const double share = best["decision_token_share"].get<double>();
        QVERIFY(share > 0.0 && share < 0.5); // yes/no is a small part of what is learnt
        const auto curve = ws->runs().metrics(run.result.runId, "val/accuracy");
        QCOMPARE(curve.size(), size_t(6));
        const auto top =
            std::max_element(curve.begin(), curve.end(), [](const auto& a, const auto& b) {
                return a.value < b.value; // the first of equal maxima, as the trainer keeps it
            });
        QCOMPARE(best["accuracy"].get<double>(), top->value);
        const auto saved = model::Checkpoint::open(dir / "ws" / "streamed" / "model.safetensors");
        QCOMPARE(saved.metadata().at("step"), std::to_string(top->step));

        // A stream spec refuses what it cannot do, naming the field.
        nlohmann::json bad = toJson(spec);
        bad["grounding_kinds"] = {"where", "location"};
        QVERIFY_THROWS_EXCEPTION(Error, parseRmTrainSpec(bad, "job.json"));
        bad = toJson(spec);
        bad["grounding_layout"] = "pair";
        QVERIFY_THROWS_EXCEPTION(Error, parseRmTrainSpec(bad, "job.json"));
        bad = toJson(spec);
        bad["stage"] = "reward";
        QVERIFY_THROWS_EXCEPTION(Error, parseRmTrainSpec(bad, "job.json"));
    }

    void groundingKindsChooseWhatIsTrained() {
        test::ScratchDir dir;
        auto ws = shapeWorld(dir / "ws", 6);
        RmTrainSpec counting = quickSpec("counting");
        counting.stage = reward::RmStage::Grounding;
        counting.groundingKinds = {"count"};
        counting.steps = 4;
        counting.valFraction = 0.3;
        counting.evalEvery = 4;
        const Run c = train(*ws, counting);
        // Only count questions are asked, so only they are validated.
        const nlohmann::json& byKind = c.result.validation["accuracy_by_kind"];
        QCOMPARE(byKind.size(), size_t(1));
        QVERIFY(byKind.contains("count"));
        QVERIFY(c.result.validation["questions"].get<int>() > 0);

        // Captions alone: every image trains, no question is asked.
        RmTrainSpec describing = counting;
        describing.out = describing.name = "describing";
        describing.groundingKinds = {"caption"};
        const Run d = train(*ws, describing);
        QCOMPARE(d.result.validation["questions"].get<int>(), 0);
        QVERIFY(d.data["train_images"].get<int>() >= c.data["train_images"].get<int>());

        // "places" captions are the "counts" captions with where each kind's objects are.
        auto rm = RewardModel::create(model::presetConfig("rd-xs"),
                                      dir / "ws" / "counting" / "tokenizer.json", {}, torch::kCPU);
        const GroundingDataset counts = loadGroundingDataset(*ws, *rm, "train", 1, 8, false);
        const GroundingDataset places = loadGroundingDataset(*ws, *rm, "train", 1, 8, true);
        QCOMPARE(places.examples.size(), counts.examples.size());
        int placed = 0;
        for (size_t i = 0; i < places.examples.size(); ++i) {
            const std::string& withPlaces = places.examples[i].caption;
            placed += withPlaces.find(" (top") != std::string::npos ||
                      withPlaces.find(" (left") != std::string::npos ||
                      withPlaces.find(" (centre") != std::string::npos ||
                      withPlaces.find(" (right") != std::string::npos ||
                      withPlaces.find(" (bottom") != std::string::npos;
            QCOMPARE(QString::fromStdString(
                         std::regex_replace(withPlaces, std::regex(" \\([^)]*\\)"), "")),
                     QString::fromStdString(counts.examples[i].caption));
        }
        QVERIFY(placed > 0);

        // grounding_question_first puts the question before the image, so the image's tokens
        // come later in the row and can attend to it; a run with it trains.
        const RowBuilder rows(*rm);
        const auto firstImageToken = [&](const TrainingRow& row) {
            return std::find(row.ids.begin(), row.ids.end(), rm->imageContextId()) -
                   row.ids.begin();
        };
        const store::RowId media = counts.examples.front().mediaId;
        const TrainingRow after = rows.imageQuestion("Is there a red circle?", {media});
        const TrainingRow before = rows.imageQuestion("Is there a red circle?", {media}, true);
        QVERIFY(firstImageToken(before) > firstImageToken(after) + 4);
        RmTrainSpec asking = counting;
        asking.out = asking.name = "asking";
        asking.groundingQuestionFirst = true;
        QCOMPARE(train(*ws, asking).result.steps, std::int64_t(4));
    }
};

QTEST_APPLESS_MAIN(RmGroundingTrainingTest)
#include "test_rm_grounding_training.moc"
