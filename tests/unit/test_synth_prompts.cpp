// ShapeWorld prompts: the writer and parser agree on every template, GenEval's phrasing parses,
// errors name the word at fault, sampling is deterministic, and the splits keep their promises
// (every category in every split, held-out features never in train or id, always in ood); a
// prompt's one-edit variants each change exactly one thing and keep to the split.
#include "common/error.h"
#include "synth/prompt_edits.h"
#include "synth/prompt_parser.h"
#include "synth/prompt_sampler.h"
#include "synth/split_rules.h"

#include <QtTest>

#include <set>

using namespace rd;
using namespace rd::synth;

namespace {

PromptSpec spec(Category category, std::vector<ObjectGroup> groups,
                std::optional<Relation> relation = std::nullopt,
                std::optional<Direction> motion = std::nullopt) {
    PromptSpec s;
    s.category = category;
    s.groups = std::move(groups);
    s.relation = relation;
    s.motion = motion;
    return s;
}

} // namespace

class TestSynthPrompts : public QObject {
    Q_OBJECT

private slots:
    void parsesGenEvalPhrasing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("category");
        QTest::newRow("counting") << "a photo of two red circles" << int(Category::Counting);
        QTest::newRow("position") << "a photo of a blue square left of a yellow star"
                                  << int(Category::Position);
        QTest::newRow("color_attr")
            << "a photo of a red circle and a green triangle" << int(Category::ColorAttr);
        QTest::newRow("colors") << "a photo of a purple hexagon" << int(Category::Colors);
        QTest::newRow("single") << "a photo of a star" << int(Category::SingleObject);
        QTest::newRow("two") << "a photo of a circle and a square" << int(Category::TwoObjects);
        QTest::newRow("below") << "a photo of a triangle below a hexagon"
                               << int(Category::Position);
    }
    void parsesGenEvalPhrasing() {
        QFETCH(QString, text);
        QFETCH(int, category);
        const PromptSpec s = parsePrompt(text.toStdString());
        QCOMPARE(int(s.category), category);
    }

    void parsesTheExactMeaning() {
        QCOMPARE(parsePrompt("a photo of two red circles"),
                 spec(Category::Counting, {{Shape::Circle, Color::Red, 2}}));
        QCOMPARE(parsePrompt("a photo of a blue square left of a yellow star"),
                 spec(Category::Position,
                      {{Shape::Square, Color::Blue, 1}, {Shape::Star, Color::Yellow, 1}},
                      Relation::LeftOf));
        QCOMPARE(parsePrompt("A photo of a red circle, and a green triangle."),
                 spec(Category::ColorAttr,
                      {{Shape::Circle, Color::Red, 1}, {Shape::Triangle, Color::Green, 1}}));
        QCOMPARE(parsePrompt("a red circle moving from left to right"),
                 spec(Category::Colors, {{Shape::Circle, Color::Red, 1}}, std::nullopt,
                      Direction::LeftToRight));
        QCOMPARE(parsePrompt("exactly 3 stars"),
                 spec(Category::Counting, {{Shape::Star, std::nullopt, 3}}));
        QCOMPARE(parsePrompt("a hexagon in orange"),
                 spec(Category::Colors, {{Shape::Hexagon, Color::Orange, 1}}));
    }

    void parseErrorsNameTheWord_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("dangling colour") << "a red"
                                         << "expected a shape name after 'red'";
        QTest::newRow("colour then filler") << "a red photo of a circle"
                                            << "expected a shape name after 'red'";
        QTest::newRow("unknown word") << "a photo of a dog"
                                      << "'dog' is not a ShapeWorld word";
        QTest::newRow("no shape") << "a photo"
                                  << "no shape name found";
        QTest::newRow("plural without number") << "red circles"
                                               << "expected a number before";
        QTest::newRow("three kinds") << "a circle and a square and a star"
                                     << "names 3";
        QTest::newRow("half colour attribution") << "a red circle and a square"
                                                 << "needs a colour on both";
        QTest::newRow("same shape twice") << "a red circle and a blue circle"
                                          << "different shapes";
        QTest::newRow("relation without second") << "a circle left of"
                                                 << "one after it";
    }
    void parseErrorsNameTheWord() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            parsePrompt(text.toStdString());
            QFAIL("parsed a prompt it should refuse");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::InvalidArgument);
            const std::string message = e.what();
            QVERIFY2(message.find("cannot parse prompt '" + text.toStdString() + "'") == 0,
                     message.c_str());
            QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
        }
    }

    // Every template of every category, with and without OOD words, reads back as its spec.
    void writerAndParserRoundTrip() {
        int checked = 0;
        for (MediaMode mode : {MediaMode::Image, MediaMode::Video})
            for (Split split : kSplits)
                for (Category category : categoriesFor(mode))
                    for (int i = 0; i < 40; ++i) {
                        Rng rng(mixSeed(7, std::uint64_t(i)));
                        SampledPrompt p = samplePrompt(category, split, mode, rng);
                        for (int t = 0; t < templateCount(category); ++t)
                            for (bool oodMotion : {false, true}) {
                                const PromptWording w{t, oodMotion};
                                const std::string text = writePrompt(p.spec, w);
                                QVERIFY2(parsePrompt(text) == p.spec, text.c_str());
                                ++checked;
                            }
                    }
        QVERIFY(checked > 3000);
    }

    void samplingIsDeterministic() {
        for (Category category : kCategories) {
            Rng a(123), b(123), c(124);
            const auto pa = samplePrompt(category, Split::Train, MediaMode::Image, a);
            const auto pb = samplePrompt(category, Split::Train, MediaMode::Image, b);
            QCOMPARE(pa.text, pb.text);
            QVERIFY(pa.spec == pb.spec);
            (void)samplePrompt(category, Split::Train, MediaMode::Image, c);
        }
        // The raw stream is mt19937_64's, which the standard fixes bit for bit.
        Rng rng(5489);
        QCOMPARE(rng.next(), std::uint64_t(14514284786278117030ULL));
        Rng r(1);
        for (int i = 0; i < 1000; ++i) {
            const int v = r.uniformInt(-3, 3);
            QVERIFY(v >= -3 && v <= 3);
            const double x = r.uniformReal(2.0, 3.0);
            QVERIFY(x >= 2.0 && x < 3.0);
        }
    }

    void everyCategoryInEverySplit() {
        for (MediaMode mode : {MediaMode::Image, MediaMode::Video})
            for (Split split : kSplits) {
                std::set<Category> seen;
                const auto categories = categoriesFor(mode);
                for (int i = 0; i < int(categories.size()); ++i) {
                    Rng rng{std::uint64_t(i)};
                    seen.insert(
                        samplePrompt(categories[size_t(i)], split, mode, rng).spec.category);
                }
                QCOMPARE(seen.size(), categories.size());
            }
        QVERIFY_THROWS_EXCEPTION(Error, [] {
            Rng rng(1);
            samplePrompt(Category::Position, Split::Train, MediaMode::Video, rng);
        }());
    }

    void oodFeaturesStayOutOfTrainAndId() {
        std::set<std::string> trainTexts;
        int oodCombos = 0, oodCounts = 0, oodWordings = 0;
        for (MediaMode mode : {MediaMode::Image, MediaMode::Video})
            for (Split split : kSplits)
                for (int i = 0; i < 1200; ++i) {
                    const auto categories = categoriesFor(mode);
                    Rng rng(mixSeed(99, std::uint64_t(i)));
                    const auto p =
                        samplePrompt(categories[size_t(i) % categories.size()], split, mode, rng);
                    bool combo = false, count = false;
                    for (const ObjectGroup& g : p.spec.groups) {
                        combo = combo || (g.color && isHeldOutCombo(*g.color, g.shape));
                        count = count ||
                                (p.spec.category == Category::Counting && g.count == kHeldOutCount);
                    }
                    const bool wording = isOodWording(p.spec, p.wording);
                    if (split == Split::Ood) {
                        QVERIFY2(combo || count || wording, p.text.c_str());
                        oodCombos += combo;
                        oodCounts += count;
                        oodWordings += wording;
                    } else {
                        QVERIFY2(!combo && !count && !wording, p.text.c_str());
                        // OOD words never appear in training text.
                        for (const char* w :
                             {"drifting", "to the left of", "to the right of", " over ", " under ",
                              "exactly", " as well as ", "painted", " plus "})
                            QVERIFY2(p.text.find(w) == std::string::npos, p.text.c_str());
                        if (split == Split::Train)
                            trainTexts.insert(p.text);
                    }
                }
        // Each kind of held-out feature is actually used by the OOD split.
        QVERIFY(oodCombos > 50);
        QVERIFY(oodCounts > 20);
        QVERIFY(oodWordings > 200);
        QVERIFY(trainTexts.size() > 1000); // the phrasing varies
    }

    void oneEditVariantsChangeOneThingAndKeepToTheSplit() {
        // "five red circles": counts four (six is held out of training), another colour (never the
        // held-out yellow circle), another shape.
        const PromptSpec five = spec(Category::Counting, {{Shape::Circle, Color::Red, 5}});
        const auto variants = oneEditVariants(five, Split::Train);
        auto has = [&](const PromptSpec& v) {
            return std::find(variants.begin(), variants.end(), v) != variants.end();
        };
        QVERIFY(has(spec(Category::Counting, {{Shape::Circle, Color::Red, 4}})));
        QVERIFY(!has(spec(Category::Counting, {{Shape::Circle, Color::Red, 6}})));
        QVERIFY(has(spec(Category::Counting, {{Shape::Circle, Color::Blue, 5}})));
        QVERIFY(!has(spec(Category::Counting, {{Shape::Circle, Color::Yellow, 5}})));
        QVERIFY(has(spec(Category::Counting, {{Shape::Square, Color::Red, 5}})));
        QVERIFY(!has(five));
        // One count, six colours (eight less red, less the held-out yellow) and four shapes (red
        // is in no held-out combination); the held-out count is an OOD prompt's edit.
        QCOMPARE(variants.size(), size_t(1 + 6 + 4));
        const auto ood = oneEditVariants(five, Split::Ood);
        QVERIFY(std::find(ood.begin(), ood.end(),
                          spec(Category::Counting, {{Shape::Circle, Color::Red, 6}})) != ood.end());

        // "a red circle left of a blue square": the relation turned round and the colours
        // exchanged are each one edit; a square cannot become the circle's shape.
        const PromptSpec left = spec(
            Category::Position, {{Shape::Circle, Color::Red, 1}, {Shape::Square, Color::Blue, 1}},
            Relation::LeftOf);
        const auto moved = oneEditVariants(left, Split::Train);
        auto differences = [&](const PromptSpec& v) {
            int n = v.relation != left.relation;
            for (size_t g = 0; g < 2; ++g)
                n += (v.groups[g].shape != left.groups[g].shape) +
                     (v.groups[g].color != left.groups[g].color) +
                     (v.groups[g].count != left.groups[g].count);
            return n;
        };
        bool turned = false, exchanged = false;
        for (const PromptSpec& v : moved) {
            validate(v);
            QVERIFY(isAllowed(v, PromptWording{}, Split::Train));
            QVERIFY(v.groups[0].shape != v.groups[1].shape);
            turned = turned || v.relation == Relation::RightOf;
            const bool swapped =
                v.groups[0].color == Color::Blue && v.groups[1].color == Color::Red;
            exchanged = exchanged || swapped;
            QCOMPARE(differences(v), swapped ? 2 : 1); // exchanging colours touches both groups
        }
        QVERIFY(turned && exchanged);
    }

    void specsValidate() {
        QVERIFY_THROWS_EXCEPTION(
            Error, validate(spec(Category::Colors, {{Shape::Star, std::nullopt, 1}})));
        QVERIFY_THROWS_EXCEPTION(
            Error, validate(spec(Category::TwoObjects, {{Shape::Star, std::nullopt, 1},
                                                        {Shape::Star, std::nullopt, 1}})));
        QVERIFY_THROWS_EXCEPTION(
            Error, validate(spec(Category::Counting, {{Shape::Star, std::nullopt, 7}})));
        QVERIFY_THROWS_EXCEPTION(
            Error, validate(spec(Category::Position, {{Shape::Star, std::nullopt, 1},
                                                      {Shape::Circle, std::nullopt, 1}})));
        validate(spec(Category::Position,
                      {{Shape::Star, std::nullopt, 1}, {Shape::Circle, std::nullopt, 1}},
                      Relation::Above));
    }
};

QTEST_APPLESS_MAIN(TestSynthPrompts)
#include "test_synth_prompts.moc"
