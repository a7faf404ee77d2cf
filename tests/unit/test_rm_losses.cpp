// The RM training losses against values computed by hand, the learning-rate schedule, the
// calibration error, and the job spec's strictness (a bad spec is refused with the field named).
#include "common/error.h"
#include "reward/grounding_questions.h"
#include "reward/losses.h"
#include "reward/rm_evaluation.h"
#include "reward/scene_cells.h"
#include "reward/train_spec.h"
#include "synth/vocabulary.h"
#include "training/lr_schedule.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QtTest>

#include <cmath>
#include <filesystem>

using namespace rd;
using namespace rd::reward;

namespace {

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// The message of the rd::Error the spec raises, or "" when it is accepted.
QString specError(const nlohmann::json& json) {
    try {
        parseRmTrainSpec(json, "job.json");
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class RmLossesTest : public QObject {
    Q_OBJECT

private slots:
    void tokenCrossEntropyIsTheWeightedMean() {
        // Row 0: logits (0, 0), target 0 -> ln 2. Row 1: logits (ln 3, 0), target 1 -> ln 4.
        const auto logits = torch::tensor({0.0, 0.0, std::log(3.0), 0.0}).view({2, 2});
        const auto loss = tokenCrossEntropy(logits, torch::tensor({0, 1}, torch::kLong),
                                            torch::tensor({1.0f, 3.0f}));
        QVERIFY(std::abs(loss.item<double>() - (std::log(2.0) + 3 * std::log(4.0)) / 4) < 1e-6);
    }

    void bradleyTerryMatchesEquationOne() {
        const auto loss = bradleyTerry(torch::tensor({1.0, 2.0}), torch::tensor({0.0, 3.0}));
        const double expected = -(std::log(sigmoid(1.0)) + std::log(sigmoid(-1.0))) / 2;
        QVERIFY(std::abs(loss.item<double>() - expected) < 1e-6);
    }

    void bradleyTerryWithTiesFollowsRaoKupper() {
        const double theta = 2.0, d = 0.5;
        // Rao-Kupper in exponentials: P(a > b) = e^a / (e^a + theta e^b).
        const double ea = std::exp(d), eb = 1.0;
        const double win = ea / (ea + theta * eb);
        const double tie = (theta * theta - 1) * ea * eb / ((ea + theta * eb) * (eb + theta * ea));
        const auto loss = bradleyTerryWithTies(torch::tensor({d, d}), torch::tensor({0.0, 0.0}),
                                               torch::tensor({false, true}), theta);
        QVERIFY(std::abs(loss.item<double>() - -(std::log(win) + std::log(tie)) / 2) < 1e-6);
        QVERIFY_EXCEPTION_THROWN(bradleyTerryWithTies(torch::tensor({0.0}), torch::tensor({0.0}),
                                                      torch::tensor({true}), 1.0),
                                 Error);
    }

    void pointwiseGenerativeAddsTheWeightedCrossEntropy() {
        // Vocabulary of three: yes = 0, no = 1.
        const auto chosen = torch::log(torch::tensor({0.5, 0.3, 0.2})).unsqueeze(0);
        const auto rejected = torch::log(torch::tensor({0.2, 0.6, 0.2})).unsqueeze(0);
        const double c = std::log(0.5 / 0.3), r = std::log(0.2 / 0.6);
        const double bt = -std::log(sigmoid(c - r));
        const double ce = -(std::log(0.5) + std::log(0.6)) / 2;
        const auto loss = pointwiseGenerativeLoss(chosen, rejected, 0, 1, 0.1);
        QVERIFY(std::abs(loss.item<double>() - (bt + 0.1 * ce)) < 1e-6);
    }

    void scheduleWarmsUpThenDecays() {
        const training::LrSchedule s{1e-3, 10, 110, 0.1};
        QVERIFY(std::abs(s.at(0) - 1e-4) < 1e-12);
        QVERIFY(std::abs(s.at(9) - 1e-3) < 1e-12);
        QVERIFY(std::abs(s.at(60) - 1e-3 * (0.1 + 0.9 * 0.5)) < 1e-9); // half-way down the cosine
        QVERIFY(std::abs(s.at(110) - 1e-4) < 1e-12);
        QVERIFY(s.at(30) > s.at(80));
    }

    void calibrationErrorByHand() {
        // Bin [0.9, 1): mean confidence 0.95, hit rate 0.5 -> 0.45 x 2/4; bin [0.1, 0.2): 0.1 vs 0
        // -> 0.1 x 2/4. ECE = 0.275.
        const double ece =
            expectedCalibrationError({{0.95, true}, {0.95, false}, {0.1, false}, {0.1, false}});
        QVERIFY(std::abs(ece - 0.275) < 1e-9);
    }

    void consistencyReadsTheRenormalisedDecisionOfDecidedPairs() {
        // Full-vocabulary P(yes) stays below 0.5 (reasoning-first rows share the first token),
        // but the yes/no decisions of pair 1 flip with the order: consistent. Pair 2 says "yes"
        // both ways: not. The tie is left out. Consistency 1/2, accuracy 2/2.
        std::vector<PairExample> pairs(3);
        pairs[0].preferred = store::Preference::B;
        pairs[1].preferred = store::Preference::A;
        pairs[2].preferred = store::Preference::Tie;
        std::vector<PairScore> scores(3);
        scores[0].rewardB = 0.35, scores[0].rewardA = 0.15;
        scores[0].decisionB = 0.7, scores[0].decisionA = 0.3;
        scores[1].rewardB = 0.30, scores[1].rewardA = 0.40;
        scores[1].decisionB = 0.6, scores[1].decisionA = 0.8;
        scores[2].rewardB = scores[2].rewardA = 0.2;
        scores[2].decisionB = scores[2].decisionA = 0.4;
        const RmEvalReport r = summarize(pairs, scores, true);
        QCOMPARE(r.decided, 2);
        QCOMPARE(r.correct, 2);
        QCOMPARE(r.ties, 1);
        QCOMPARE(r.consistency.value(), 0.5);
    }

    void attributeQuestionsAreAnsweredFromTheScene() {
        // Two red circles left of a blue square.
        synth::Observation seen;
        seen.frames.push_back({{synth::Shape::Circle, synth::Color::Red, 0.2, 0.5, 0.1},
                               {synth::Shape::Circle, synth::Color::Red, 0.3, 0.2, 0.1},
                               {synth::Shape::Square, synth::Color::Blue, 0.8, 0.5, 0.1}});
        std::mt19937_64 rng(5);
        int yes = 0, asked = 0, positions = 0;
        for (int round = 0; round < 200; ++round)
            for (const GroundingQuestion& q : attributeQuestions(seen, rng)) {
                ++asked;
                yes += q.yes ? 1 : 0;
                const QString text = QString::fromStdString(q.question);
                if (text.startsWith("Is there a red circle") ||
                    text.startsWith("Is there a blue square"))
                    QVERIFY(q.yes);
                else if (text.startsWith("Is there a"))
                    QVERIFY(!q.yes);
                if (text.contains("exactly two circles") || text.contains("exactly one square"))
                    QVERIFY(q.yes);
                else if (text.startsWith("Are there exactly"))
                    QVERIFY(!q.yes);
                if (text.contains("the blue square") && text.startsWith("Is the red circle")) {
                    ++positions; // the circles are left of the square
                    QCOMPARE(q.yes, text.contains("left of the blue square"));
                }
            }
        QVERIFY(positions > 20);
        QVERIFY(yes > asked / 3 && yes < 2 * asked / 3); // balanced answers

        // A red circle on each side of the blue square: "the red circle" has no direction to it,
        // so no position question names the pair; the green triangle below them all is asked.
        synth::Observation around;
        around.frames.push_back({{synth::Shape::Triangle, synth::Color::Green, 0.5, 0.9, 0.1},
                                 {synth::Shape::Circle, synth::Color::Red, 0.2, 0.3, 0.1},
                                 {synth::Shape::Circle, synth::Color::Red, 0.9, 0.3, 0.1},
                                 {synth::Shape::Square, synth::Color::Blue, 0.5, 0.3, 0.1}});
        int aboutTriangle = 0, locations = 0;
        for (int round = 0; round < 200; ++round)
            for (const GroundingQuestion& q : attributeQuestions(around, rng)) {
                if (q.kind == "location") {
                    // No kind is clearly on a side (the red circles straddle the square); the
                    // triangle is in the bottom half, the circles and the square in the top.
                    ++locations;
                    const QString text = QString::fromStdString(q.question);
                    QVERIFY2(text.contains("half"), qPrintable(text));
                    QCOMPARE(q.yes,
                             text.contains("green triangle") == text.contains("bottom half"));
                    continue;
                }
                if (q.kind != "position")
                    continue;
                const QString text = QString::fromStdString(q.question);
                QVERIFY2(!(text.contains("red circle") && text.contains("blue square")),
                         qPrintable(text));
                QVERIFY(text.contains("green triangle"));
                ++aboutTriangle;
                QCOMPARE(q.yes, text.contains("green triangle below") ||
                                    text.contains("above the green triangle"));
            }
        QVERIFY(aboutTriangle > 50);
        QVERIFY(locations > 50);

        // Every kind of question names the image it is about, so the pair layout can point it at
        // image 1 or image 2.
        for (const GroundingQuestion& q : attributeQuestions(around, rng))
            QVERIFY2(aboutImage(q.question, "image 2").find("image 2") != std::string::npos,
                     q.question.c_str());
        QCOMPARE(QString::fromStdString(aboutImage(showsQuestion("a red circle"), "image 1")),
                 QString("Does image 1 show a red circle? Answer yes or no."));
        QCOMPARE(QString::fromStdString(aboutImage(kDescribeQuestion, "image 2")),
                 QString("Describe image 2."));
    }

    void nearMissQuestionsAreAnsweredFromTheScene() {
        synth::PromptSpec twoRed;
        twoRed.category = synth::Category::Counting;
        twoRed.groups = {{synth::Shape::Circle, synth::Color::Red, 2}};
        auto circles = [](int n) {
            synth::Observation seen;
            seen.frames.emplace_back();
            for (int i = 0; i < n; ++i)
                seen.frames[0].push_back(
                    {synth::Shape::Circle, synth::Color::Red, 0.15 + 0.2 * i, 0.5, 0.08});
            return seen;
        };
        std::mt19937_64 rng(3);
        // The image matches "two red circles" and fails every one-edit variant: the prompt itself
        // is the "yes", asked about half the time, in more than one phrasing.
        int photos = 0, yes = 0; // photos: GenEval's own "a photo of ..." phrasing
        for (int round = 0; round < 200; ++round) {
            const GroundingQuestion q =
                nearMissQuestion(twoRed, circles(2), synth::Split::Train, rng);
            QCOMPARE(QString::fromStdString(q.kind), QString("near_miss"));
            QCOMPARE(q.yes, q.question.find("two red circles") != std::string::npos);
            QVERIFY2(q.question.find("yellow circle") == std::string::npos, q.question.c_str());
            QVERIFY2(q.question.find("exactly") == std::string::npos, q.question.c_str());
            photos += q.question.rfind("Does the image show a photo of ", 0) == 0 ? 1 : 0;
            yes += q.yes ? 1 : 0;
        }
        QVERIFY2(yes > 70 && yes < 130, std::to_string(yes).c_str());
        QVERIFY(photos > 20 && photos < 180); // the training split's three phrasings, not one
        // The image shows three red circles, a near miss of "two red circles": the variant
        // "three red circles" is its "yes"; the prompt itself and every other variant are "no"s.
        yes = 0;
        for (int round = 0; round < 200; ++round) {
            const GroundingQuestion q =
                nearMissQuestion(twoRed, circles(3), synth::Split::Train, rng);
            QCOMPARE(q.yes, q.question.find("three red circles") != std::string::npos);
            yes += q.yes ? 1 : 0;
        }
        QVERIFY2(yes > 70 && yes < 130, std::to_string(yes).c_str());
    }

    void cellTargetsSayWhatEachCellHolds() {
        using synth::Color;
        using synth::Shape;
        // A 4 x 4 grid: x and y in [0, 1], cells in row-major order.
        const std::vector<synth::ObservedObject> objects = {
            {Shape::Star, Color::Blue, 0.10, 0.90, 0.08},    // bottom row, first column: cell 12
            {Shape::Circle, Color::Red, 0.60, 0.30, 0.05},   // row 1, column 2: cell 6
            {Shape::Square, Color::Green, 0.70, 0.40, 0.10}, // cell 6 too, and larger
            {Shape::Hexagon, Color::Black, 1.00, 0.00, 0.1}, // on the corner: cell 3
        };
        const CellTargets t = sceneCellTargets(objects, 4);
        QCOMPARE(t.color.size(), size_t(16));
        const auto colorClass = [](Color c) {
            return 1 + (std::find(synth::kColors.begin(), synth::kColors.end(), c) -
                        synth::kColors.begin());
        };
        const auto shapeClass = [](Shape s) {
            return 1 + (std::find(synth::kShapes.begin(), synth::kShapes.end(), s) -
                        synth::kShapes.begin());
        };
        QCOMPARE(t.color[12], int64_t(colorClass(Color::Blue)));
        QCOMPARE(t.shape[12], int64_t(shapeClass(Shape::Star)));
        QCOMPARE(t.color[6], int64_t(colorClass(Color::Green))); // the larger of the two
        QCOMPARE(t.shape[6], int64_t(shapeClass(Shape::Square)));
        QCOMPARE(t.shape[3], int64_t(shapeClass(Shape::Hexagon)));
        int empty = 0;
        for (size_t cell = 0; cell < 16; ++cell)
            empty += t.color[cell] == 0 && t.shape[cell] == 0;
        QCOMPARE(empty, 13);
    }

    void cellProbeLossByHandAndItLearns() {
        torch::manual_seed(3);
        const int side = 2, width = 12;
        CellProbe probe(width, side, torch::kCPU);
        // With every weight zero each of the four heads is uniform: the loss is the mean of
        // ln(classes) over colour (none + 8), shape (none + 5), row (2) and column (2).
        const auto file = std::filesystem::temp_directory_path() / "rd_cell_probe_zero.pt";
        torch::save(
            std::vector<at::Tensor>{torch::zeros({9 + 6 + 2 + 2, width}), torch::zeros({19})},
            file.string());
        probe.load(file);
        std::filesystem::remove(file);
        std::vector<CellTargets> targets = {{{0, 1, 2, 0}, {0, 3, 3, 0}},
                                            {{8, 0, 0, 4}, {1, 0, 0, 2}}};
        const std::vector<const CellTargets*> pointers = {&targets[0], &targets[1]};
        const at::Tensor tokens = torch::randn({2, side * side, width});
        const double expected = (std::log(9.0) + std::log(6.0) + 2 * std::log(2.0)) / 4;
        QVERIFY(std::abs(probe.loss(tokens, pointers).item<double>() - expected) < 1e-5);
        // A wrong-sized state is refused with the file named.
        torch::save(std::vector<at::Tensor>{torch::zeros({3, width})}, file.string());
        QVERIFY_EXCEPTION_THROWN(probe.load(file), Error);
        std::filesystem::remove(file);

        // On fixed tokens the probe alone learns every object cell's colour and shape.
        QCOMPARE(probe.objectCellHits(tokens, pointers), std::make_pair(0, 4)); // zero weights
        torch::optim::Adam adam(probe.parameters(), torch::optim::AdamOptions(0.05));
        for (int step = 0; step < 200; ++step) {
            adam.zero_grad();
            probe.loss(tokens, pointers).backward();
            adam.step();
        }
        QCOMPARE(probe.objectCellHits(tokens, pointers), std::make_pair(4, 4));
        QVERIFY(probe.loss(tokens, pointers).item<double>() < 0.05);
    }

    void specDefaultsAndStrictness() {
        const RmTrainSpec s = parseRmTrainSpec({{"out", "models/a"}}, "job.json");
        QVERIFY(s.paradigm == Paradigm::PairwiseGenerative);
        QCOMPARE(QString::fromStdString(s.name), QString("a"));
        QVERIFY(specError({{"out", "m"}, {"learning_rate", 0.1}}).contains("\"learning_rate\""));
        QVERIFY(specError({{"out", "m"}, {"lr", "fast"}}).contains("\"lr\""));
        QVERIFY(specError({{"out", "m"}, {"lr", 0.0}}).contains("\"lr\" must be above 0"));
        QVERIFY(specError({{"out", "m"}, {"paradigm", "ranking"}}).contains("\"paradigm\""));
        QVERIFY(specError({{"out", "m"}, {"preset", "rd-xxl"}}).contains("\"preset\""));
        QVERIFY(specError({{"out", "m"}, {"batch", 2.5}}).contains("\"batch\""));
        QVERIFY(specError({{"out", "m"}, {"train_ties", "no"}}).contains("\"train_ties\""));
        QVERIFY(specError({{"out", "m"},
                           {"stage", "grounding"},
                           {"grounding_kinds", nlohmann::json::array({"colour"})}})
                    .contains("\"grounding_kinds\" has \"colour\""));
        QVERIFY(specError({{"out", "m"}, {"grounding_kinds", nlohmann::json::array({"count"})}})
                    .contains("grounding stage only"));
        QVERIFY(specError({{"out", "m"}, {"grounding_cell_weight", 1.0}})
                    .contains("grounding stage only"));
        QVERIFY(specError({{"out", "m"}, {"grounding_question_first", true}})
                    .contains("grounding stage only"));
        QVERIFY(specError({{"out", "m"}, {"stage", "grounding"}, {"grounding_cell_weight", -1}})
                    .contains("\"grounding_cell_weight\""));
        QVERIFY(specError({{"steps", 3}}).contains("\"out\""));
        QVERIFY(specError(nlohmann::json::array()).contains("job.json"));
        // Every field the writer emits reads back (the documented list and the parser agree).
        RmTrainSpec changed = s;
        changed.lr = 1e-3;
        changed.cot = reward::CotFormat::None;
        changed.trainTies = false;
        changed.stage = reward::RmStage::Grounding;
        changed.groundingKinds = {"caption", "location"};
        changed.groundingCaption = reward::GroundingCaption::Places;
        changed.groundingCellWeight = 0.5;
        changed.groundingQuestionFirst = true;
        changed.promptFirst = true;
        const RmTrainSpec back = parseRmTrainSpec(toJson(changed), "job.json");
        QCOMPARE(toJson(back).dump(), toJson(changed).dump());
    }
};

QTEST_APPLESS_MAIN(RmLossesTest)
#include "test_rm_losses.moc"
