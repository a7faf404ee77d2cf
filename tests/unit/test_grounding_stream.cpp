// The stream grounding's questions (issue "Reward models that really judge"): hand-made scenes
// get the direct answers they should ("where", "which", "count", "presence", the relation chain);
// no question in the stream is answered by a bare yes/no about a relation (the XOR-shaped target);
// the same seed gives the same stream, scenes, questions and pixels, another seed another one.
#include "reward/grounding_stream.h"
#include "synth/prompt_parser.h"

#include <opencv2/core.hpp>

#include <QtTest>

#include <map>
#include <regex>

using namespace rd;
using namespace rd::synth;
using rd::reward::GroundingStream;
using rd::reward::StreamItem;

namespace {

ObservedObject object(Shape shape, Color color, double x, double y) {
    return {shape, color, x, y, 0.1};
}

// Asks a kind until the draw gives the question wanted (the question's own random choices:
// which object, which direction word, asking the true relation or its inverse).
DirectQuestion askUntil(DirectKind kind, const std::vector<ObservedObject>& objects,
                        const std::string& question) {
    const PromptSpec spec = parsePrompt("a red circle left of a blue square");
    for (std::uint64_t seed = 0; seed < 5000; ++seed) {
        Rng rng(seed);
        const auto q = askDirect(kind, spec, objects, rng);
        if (q && q->question == question)
            return *q;
    }
    return {};
}

} // namespace

class GroundingStreamTest : public QObject {
    Q_OBJECT

private slots:
    void handMadeScenesGetDirectAnswers() {
        const std::vector<ObservedObject> scene = {
            object(Shape::Circle, Color::Red, 0.15, 0.15),  // top left
            object(Shape::Square, Color::Blue, 0.85, 0.5),  // right
            object(Shape::Star, Color::Green, 0.5, 0.85),   // bottom
            object(Shape::Star, Color::Green, 0.85, 0.85)}; // bottom right
        QCOMPARE(askUntil(DirectKind::Where, scene, "Where is the red circle?").answer,
                 std::string("top left"));
        QCOMPARE(askUntil(DirectKind::Where, scene, "Where are the green stars?").answer,
                 std::string("bottom, bottom right"));
        QCOMPARE(askUntil(DirectKind::Where, scene, "Where is the white hexagon?").answer,
                 std::string("nowhere"));
        QCOMPARE(askUntil(DirectKind::Which, scene,
                          "Which is further left, the blue square or the red circle?")
                     .answer,
                 std::string("the red circle"));
        QCOMPARE(askUntil(DirectKind::Which, scene,
                          "Which is lower, the red circle or the blue "
                          "square?")
                     .answer,
                 std::string("the blue square"));
        QCOMPARE(askUntil(DirectKind::Count, scene, "How many stars are there?").answer,
                 std::string("two"));
        QCOMPARE(askUntil(DirectKind::Count, scene, "How many red circles are there?").answer,
                 std::string("one"));
        QCOMPARE(askUntil(DirectKind::Presence, scene, "Is there a blue square?").answer,
                 std::string("yes"));
        QCOMPARE(
            askUntil(DirectKind::Relation, scene, "Is the red circle right of the blue square?")
                .answer,
            std::string("red circle: top left; blue square: right; so the red circle is "
                        "left of the blue square. Answer: no"));
        QCOMPARE(askUntil(DirectKind::Relation, scene,
                          "Is the blue square right of the red "
                          "circle?")
                     .answer,
                 std::string("blue square: right; red circle: top left; so the blue square is "
                             "right of the red circle. Answer: yes"));
        // The stars are two of a kind: "which" and "relation" never ask about them.
        for (std::uint64_t seed = 0; seed < 200; ++seed) {
            Rng rng(seed);
            for (DirectKind kind : {DirectKind::Which, DirectKind::Relation}) {
                const auto q = askDirect(kind, parsePrompt("a red circle"), scene, rng);
                QVERIFY(q.has_value());
                QVERIFY(q->question.find("star") == std::string::npos);
            }
        }
        // One object: nothing to compare.
        Rng rng(1);
        QVERIFY(!askDirect(DirectKind::Relation, parsePrompt("a red circle"),
                           {object(Shape::Circle, Color::Red, 0.2, 0.2)}, rng));
    }

    // Every relation the stream asks about is answered as a chain whose verdict follows from
    // the relation it states; a bare yes/no answers only presence questions.
    void noQuestionIsAnsweredByRelationXorAlone() {
        const GroundingStream stream(11, Split::Train);
        const std::regex chain(
            R"((\w+ \w+): [a-z ]+; (\w+ \w+): [a-z ]+; so the \1 is (left of|right of|above|below) the \2\. Answer: (yes|no))");
        const std::regex asked(
            R"(Is the (\w+ \w+) (left of|right of|above|below) the (\w+ \w+)\?)");
        std::map<std::string, int> kinds, verdicts;
        for (std::uint64_t p = 0; p < 300; ++p)
            for (DirectKind kind : kDirectKinds) {
                const StreamItem item = stream.item(p, kind);
                const DirectQuestion& q = item.question;
                ++kinds[name(q.kind)];
                const bool bare = q.answer == "yes" || q.answer == "no";
                QVERIFY2(!bare || q.kind == DirectKind::Presence, q.question.c_str());
                if (q.kind != DirectKind::Relation)
                    continue;
                std::smatch a, c;
                QVERIFY2(std::regex_match(q.question, a, asked), q.question.c_str());
                QVERIFY2(std::regex_match(q.answer, c, chain), q.answer.c_str());
                QCOMPARE(c[1].str(), a[1].str());
                QCOMPARE(c[2].str(), a[3].str());
                QCOMPARE(c[4].str() == "yes", c[3].str() == a[2].str());
                ++verdicts[c[4].str()];
            }
        for (DirectKind kind : kDirectKinds) // each kind is asked; "which"/"relation" mostly
            QVERIFY2(kinds[name(kind)] >= 250, name(kind));
        QVERIFY(verdicts["yes"] > 100 && verdicts["no"] > 100); // balanced
    }

    void sameSeedSameStream() {
        const GroundingStream a(5, Split::Train), b(5, Split::Train), other(6, Split::Train);
        int differ = 0;
        for (std::uint64_t p = 0; p < 20; ++p) {
            const StreamItem x = a.item(p, DirectKind::Where);
            const StreamItem y = b.item(p, DirectKind::Where);
            QCOMPARE(x.question.question, y.question.question);
            QCOMPARE(x.question.answer, y.question.answer);
            QVERIFY(x.spec == y.spec);
            const cv::Mat px = GroundingStream::render(x, 64), py = GroundingStream::render(y, 64);
            QCOMPARE(px.size(), cv::Size(64, 64));
            QCOMPARE(cv::norm(px, py, cv::NORM_INF), 0.0);
            const StreamItem z = other.item(p, DirectKind::Where);
            differ += cv::norm(px, GroundingStream::render(z, 64), cv::NORM_INF) > 0 ? 1 : 0;
        }
        QVERIFY(differ >= 18);
    }
};

QTEST_APPLESS_MAIN(GroundingStreamTest)
#include "test_grounding_stream.moc"
