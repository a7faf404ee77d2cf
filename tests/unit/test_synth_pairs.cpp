// ShapeWorld preference pairs: winners known from the scenes agree with the oracle looking at
// the pixels; both rationale formats say the same thing in the paper's two orders; ties, both
// answers and every difficulty occur; the Figure 4 instruction is task-aware.
#include "synth/checklist.h"
#include "synth/oracle.h"
#include "synth/pair_maker.h"
#include "synth/prompt_parser.h"
#include "synth/rationale_writer.h"

#include <QtTest>

#include <map>

using namespace rd;
using namespace rd::synth;

namespace {

Observation still(std::vector<ObservedObject> objects) {
    return Observation{{std::move(objects)}};
}

ObservedObject redCircle(double x) {
    return {Shape::Circle, Color::Red, x, 0.5, 0.1};
}

} // namespace

class TestSynthPairs : public QObject {
    Q_OBJECT

private slots:
    void winnersAgreeWithTheOracle() {
        int pairs = 0, agreed = 0;
        std::map<Winner, int> winners;
        std::map<Difficulty, int> difficulties;
        for (MediaMode mode : {MediaMode::Image, MediaMode::Video})
            for (Split split : kSplits) {
                BundleOptions options;
                options.frames = 8;
                const int count = mode == MediaMode::Image ? 48 : 9;
                for (const PromptBundle& b : makeBundles(split, mode, count, 17, options)) {
                    std::vector<Judgement> seen;
                    for (const SynthImage& image : b.images) {
                        if (b.frames > 1)
                            seen.push_back(scoreClip(b.prompt.spec,
                                                     renderClip(image.scene, image.look, b.frames))
                                               .judgement);
                        else
                            seen.push_back(
                                scoreImage(b.prompt.spec, render(image.scene, image.look))
                                    .judgement);
                    }
                    for (const SynthPair& p : b.pairs) {
                        ++pairs;
                        const auto byOracle =
                            decideWinner(seen[size_t(p.first)], seen[size_t(p.second)]);
                        agreed += byOracle == p.winner;
                        ++winners[p.winner];
                        ++difficulties[p.difficulty];
                        QCOMPARE(p.rationale.winner, std::optional<Winner>(p.winner));
                    }
                }
            }
        QVERIFY(pairs > 500);
        QVERIFY2(agreed >= 0.99 * pairs,
                 (std::to_string(agreed) + "/" + std::to_string(pairs)).c_str());
        // Winners sit on both sides, ties exist, and difficulty is graded.
        QVERIFY(winners[Winner::First] > pairs / 5);
        QVERIFY(winners[Winner::Second] > pairs / 5);
        QVERIFY(winners[Winner::Tie] > pairs / 20);
        for (Difficulty d : {Difficulty::Easy, Difficulty::Medium, Difficulty::Hard})
            QVERIFY2(difficulties[d] > pairs / 20, name(d));
    }

    void rationaleMatchesThePapersFormats() {
        const PromptSpec spec = parsePrompt("three red circles");
        const Observation two = still({redCircle(0.2), redCircle(0.5)});
        const Observation three = still({redCircle(0.2), redCircle(0.5), redCircle(0.8)});
        const Rationale r = writeRationale(spec, two, three);
        QVERIFY(r.answerYes);
        const std::string reasons =
            "In image 1, at least one circle: left, centre, yes; exactly three red circles: two, "
            "no; so image 1 misses the prompt. In image 2, at least one circle: left, centre, "
            "right, yes; exactly three red circles: three, yes; so image 2 matches the prompt. "
            "Image 2 matches the prompt better.";
        QCOMPARE(r.decisionFirst, "yes. " + reasons);
        QCOMPARE(r.reasoningFirst, reasons + " Answer: yes");
        QVERIFY(!r.image1.satisfied && r.image2.satisfied);
        QCOMPARE(r.image1.reasoningFirst(),
                 std::string("at least one circle: left, centre, yes; exactly three red circles: "
                             "two, no. Answer: no"));
        QCOMPARE(r.image2.decisionFirst(),
                 std::string("yes. at least one circle: left, centre, right, yes; exactly three "
                             "red circles: three, yes."));
        const Rationale back = writeRationale(spec, three, two);
        QVERIFY(!back.answerYes);
        QVERIFY(back.decisionFirst.rfind("no. In image 1, at least one circle: left, centre, right",
                                         0) == 0);
        QVERIFY(back.reasoningFirst.size() > 11 &&
                back.reasoningFirst.substr(back.reasoningFirst.size() - 10) == "Answer: no");
    }

    void groundingCaptionsSayWhereEachObjectIs() {
        const PromptSpec spec = parsePrompt("a photo of a red circle left of a blue square");
        // Two red circles (right of centre, then top left: listed top to bottom), a blue square
        // at the bottom, centred; the prompt's relation as the first red circle stands to it.
        ObservedObject topLeft = redCircle(0.1);
        topLeft.y = 0.2;
        const ObservedObject square{Shape::Square, Color::Blue, 0.5, 0.9, 0.1};
        const Observation scene = still({redCircle(0.7), topLeft, square});
        QCOMPARE(
            QString::fromStdString(describeObservation(spec, scene, ObservationDetail::WithPlaces)),
            QString("two red circles (top left, right) and a blue square (bottom), the red "
                    "circle above the blue square"));
        // The rationale's description keeps to counts.
        QCOMPARE(QString::fromStdString(describeObservation(spec, scene)),
                 QString("two red circles and a blue square, the red circle above the blue "
                         "square"));
        // A relation's checklist item says where each object stands and which relation holds,
        // so a model that reasons before it decides can read the relation off its own words.
        const std::string placed = writeRationale(spec, scene, scene).reasoningFirst;
        QVERIFY(placed.rfind("In image 1, a red circle: top left, right, yes; a blue square: "
                             "bottom, yes; the red circle is left of the blue square: top left "
                             "and bottom, above, no; so image 1 misses the prompt.",
                             0) == 0);
        QCOMPARE(placeWords({Shape::Circle, Color::Red, 0.5, 0.5, 0.1}), std::string("centre"));
        QCOMPARE(placeWords({Shape::Circle, Color::Red, 0.99, 0.01, 0.1}),
                 std::string("top right"));
    }

    // One mistake in a scene flips exactly one checklist item, and the verdict.
    void checklistFlipsOneItemPerMistake() {
        const auto flipped = [](const Checklist& a, const Checklist& b) {
            int differ = 0;
            for (size_t i = 0; i < a.items.size(); ++i)
                differ += a.items[i].met != b.items[i].met ? 1 : 0;
            return a.items.size() == b.items.size() ? differ : -1;
        };
        struct Case {
            const char* prompt;
            std::vector<ObservedObject> right, wrong;
            ConstraintKind flips;
            int items = 1; // items that flip: swapping two colours breaks both colour checks
        };
        const ObservedObject square{Shape::Square, Color::Blue, 0.8, 0.5, 0.1};
        const ObservedObject leftSquare{Shape::Square, Color::Blue, 0.1, 0.5, 0.1};
        const ObservedObject blueCircle{Shape::Circle, Color::Blue, 0.3, 0.5, 0.1};
        const ObservedObject yellowSquare{Shape::Square, Color::Yellow, 0.8, 0.5, 0.1};
        const ObservedObject redSquare{Shape::Square, Color::Red, 0.8, 0.5, 0.1};
        const std::vector<Case> cases = {
            {"three red circles",
             {redCircle(0.2), redCircle(0.5), redCircle(0.8)},
             {redCircle(0.2), redCircle(0.5)},
             ConstraintKind::Count},
            {"a red circle", {redCircle(0.3)}, {blueCircle}, ConstraintKind::GroupPresent},
            {"a red circle and a blue square",
             {redCircle(0.3), square},
             {redCircle(0.3), yellowSquare},
             ConstraintKind::GroupPresent},
            {"a red circle left of a blue square",
             {redCircle(0.2), square},
             {redCircle(0.5), leftSquare},
             ConstraintKind::Relation},
            {"a blue circle and a red square",
             {blueCircle, redSquare},
             {{Shape::Circle, Color::Red, 0.3, 0.5, 0.1},
              {Shape::Square, Color::Blue, 0.8, 0.5, 0.1}},
             ConstraintKind::GroupPresent,
             2},
        };
        for (const Case& c : cases) {
            const PromptSpec spec = parsePrompt(c.prompt);
            const Checklist good = writeChecklist(spec, still(c.right));
            const Checklist bad = writeChecklist(spec, still(c.wrong));
            QVERIFY2(good.satisfied && !bad.satisfied, c.prompt);
            QVERIFY2(flipped(good, bad) == c.items, c.prompt);
            for (size_t i = 0; i < bad.items.size(); ++i)
                if (!bad.items[i].met)
                    QVERIFY2(bad.items[i].kind == c.flips, c.prompt);
            QVERIFY(good.decisionFirst().rfind("yes. ", 0) == 0);
            QVERIFY(bad.reasoningFirst().size() > 10 &&
                    bad.reasoningFirst().substr(bad.reasoningFirst().size() - 10) == "Answer: no");
        }
        // The relation item states where each stands and which relation holds.
        const Checklist inverted = writeChecklist(parsePrompt("a red circle left of a blue square"),
                                                  still({redCircle(0.5), leftSquare}));
        QCOMPARE(inverted.itemsText(),
                 std::string("a red circle: centre, yes; a blue square: left, yes; the red circle "
                             "is left of the blue square: centre and left, right of, no"));
        const Checklist wrongCount =
            writeChecklist(parsePrompt("three red circles"), still({redCircle(0.2)}));
        QCOMPARE(wrongCount.items.back().text, std::string("exactly three red circles: one, no"));
    }

    void tiesAnswerNo() {
        const PromptSpec spec = parsePrompt("a photo of a red circle left of a blue square");
        const ObservedObject square{Shape::Square, Color::Blue, 0.8, 0.5, 0.1};
        const Rationale right =
            writeRationale(spec, still({redCircle(0.2), square}), still({redCircle(0.3), square}));
        QCOMPARE(right.winner, std::optional<Winner>(Winner::Tie));
        QVERIFY(!right.answerYes);
        QVERIFY(right.decisionFirst.find("Both match the prompt") != std::string::npos);
        const ObservedObject leftSquare{Shape::Square, Color::Blue, 0.1, 0.5, 0.1};
        const Rationale wrong = writeRationale(spec, still({redCircle(0.8), leftSquare}),
                                               still({redCircle(0.6), leftSquare}));
        QCOMPARE(wrong.winner, std::optional<Winner>(Winner::Tie));
        QVERIFY(wrong.decisionFirst.find("the red circle is left of the blue square: right and "
                                         "left, right of, no") != std::string::npos);
        QVERIFY(wrong.decisionFirst.find("Both miss the prompt in the same way") !=
                std::string::npos);
        // Different slips with the same score: no known winner.
        const Rationale unknown = writeRationale(spec, still({redCircle(0.2)}), still({square}));
        QVERIFY(!unknown.winner);
        QVERIFY(!unknown.answerYes);
    }

    void instructionIsTaskAware() {
        const std::string counting = taskInstruction(parsePrompt("two stars"));
        QVERIFY(counting.rfind("You will act as a professional image quality evaluator.", 0) == 0);
        QVERIFY(counting.find("\"text-image alignment\"") != std::string::npos);
        QVERIFY(counting.find("the number of objects") != std::string::npos);
        const PromptSpec clip = parsePrompt("a star moving from top to bottom");
        QVERIFY(taskInstruction(clip).find("Motion consistency") != std::string::npos);
        QCOMPARE(pairQuestion(parsePrompt("a star")),
                 std::string("Is image 2 better than image 1? Please answer \"yes\" or \"no\", "
                             "and give the detailed reason."));
        QVERIFY(pairQuestion(clip).rfind("Is video 2 better than video 1?", 0) == 0);
    }

    void bundlesAreDeterministic() {
        BundleOptions options;
        const auto a = makeBundles(Split::Id, MediaMode::Image, 12, 5, options);
        const auto b = makeBundles(Split::Id, MediaMode::Image, 12, 5, options);
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].prompt.text, b[i].prompt.text);
            QCOMPARE(a[i].images.size(), b[i].images.size());
            QCOMPARE(a[i].pairs.size(), b[i].pairs.size());
            for (size_t k = 0; k < a[i].pairs.size(); ++k)
                QCOMPARE(a[i].pairs[k].rationale.decisionFirst,
                         b[i].pairs[k].rationale.decisionFirst);
            for (size_t k = 0; k < a[i].images.size(); ++k) {
                const cv::Mat x = render(a[i].images[k].scene, a[i].images[k].look);
                const cv::Mat y = render(b[i].images[k].scene, b[i].images[k].look);
                QVERIFY(std::equal(x.datastart, x.dataend, y.datastart));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestSynthPairs)
#include "test_synth_pairs.moc"
