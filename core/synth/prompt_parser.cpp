#include "synth/prompt_parser.h"

#include "common/error.h"

#include <cctype>
#include <set>
#include <vector>

namespace rd::synth {

namespace {

// Words that carry no meaning for ShapeWorld: the templates' and GenEval's framing.
const std::set<std::string>& fillerWords() {
    static const std::set<std::string> kFillers{
        "a",       "an",         "the",        "photo",     "of",      "image",
        "picture", "with",       "and",        "on",        "plain",   "grey",
        "gray",    "background", "showing",    "somewhere", "in",      "frame",
        "there",   "is",         "are",        "together",  "both",    "as",
        "well",    "exactly",    "containing", "placed",    "sitting", "painted",
        "plus",    "colored",    "coloured",   "that",      "it",      "its"};
    return kFillers;
}

struct Phrase {
    std::vector<std::string> words;
    enum Kind { RelationWords = 1, MotionWords } kind;
    int value;
};

// Multi-word phrases, longest first so "to the left of" wins over "left of".
const std::vector<Phrase>& phrases() {
    static const std::vector<Phrase> kPhrases{
        {{"moving", "from", "left", "to", "right"},
         Phrase::MotionWords,
         int(Direction::LeftToRight)},
        {{"moving", "from", "right", "to", "left"},
         Phrase::MotionWords,
         int(Direction::RightToLeft)},
        {{"moving", "from", "top", "to", "bottom"},
         Phrase::MotionWords,
         int(Direction::TopToBottom)},
        {{"moving", "from", "bottom", "to", "top"},
         Phrase::MotionWords,
         int(Direction::BottomToTop)},
        {{"drifting", "rightwards"}, Phrase::MotionWords, int(Direction::LeftToRight)},
        {{"drifting", "leftwards"}, Phrase::MotionWords, int(Direction::RightToLeft)},
        {{"drifting", "downwards"}, Phrase::MotionWords, int(Direction::TopToBottom)},
        {{"drifting", "upwards"}, Phrase::MotionWords, int(Direction::BottomToTop)},
        {{"moving", "right"}, Phrase::MotionWords, int(Direction::LeftToRight)},
        {{"moving", "left"}, Phrase::MotionWords, int(Direction::RightToLeft)},
        {{"moving", "down"}, Phrase::MotionWords, int(Direction::TopToBottom)},
        {{"moving", "up"}, Phrase::MotionWords, int(Direction::BottomToTop)},
        {{"to", "the", "left", "of"}, Phrase::RelationWords, int(Relation::LeftOf)},
        {{"to", "the", "right", "of"}, Phrase::RelationWords, int(Relation::RightOf)},
        {{"left", "of"}, Phrase::RelationWords, int(Relation::LeftOf)},
        {{"right", "of"}, Phrase::RelationWords, int(Relation::RightOf)},
        {{"above"}, Phrase::RelationWords, int(Relation::Above)},
        {{"over"}, Phrase::RelationWords, int(Relation::Above)},
        {{"below"}, Phrase::RelationWords, int(Relation::Below)},
        {{"under"}, Phrase::RelationWords, int(Relation::Below)},
        {{"beneath"}, Phrase::RelationWords, int(Relation::Below)},
    };
    return kPhrases;
}

std::vector<std::string> tokenize(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            word += static_cast<char>(std::tolower(u));
        } else if (!word.empty()) {
            words.push_back(word);
            word.clear();
        }
    }
    if (!word.empty())
        words.push_back(word);
    return words;
}

class Parser {
public:
    explicit Parser(const std::string& text) : m_text(text), m_words(tokenize(text)) {}

    PromptSpec parse() {
        for (size_t i = 0; i < m_words.size();) {
            if (const Phrase* p = phraseAt(i)) {
                takePhrase(*p);
                i += p->words.size();
                continue;
            }
            takeWord(i);
            ++i;
        }
        expectNothingPending();
        return finish();
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(ErrorKind::InvalidArgument, "cannot parse prompt '" + m_text + "': " + why);
    }

    const Phrase* phraseAt(size_t i) const {
        for (const Phrase& p : phrases()) {
            if (i + p.words.size() > m_words.size())
                continue;
            bool match = true;
            for (size_t k = 0; k < p.words.size() && match; ++k)
                match = m_words[i + k] == p.words[k];
            if (match)
                return &p;
        }
        return nullptr;
    }

    void takePhrase(const Phrase& p) {
        expectNothingPending();
        if (p.kind == Phrase::MotionWords) {
            if (m_motion)
                fail("more than one motion");
            m_motion = static_cast<Direction>(p.value);
            return;
        }
        if (m_relation)
            fail("more than one relation");
        if (m_groups.size() != 1)
            fail("a relation needs one object before it and one after it");
        m_relation = static_cast<Relation>(p.value);
    }

    void takeWord(size_t i) {
        const std::string& w = m_words[i];
        if (auto n = parseNumberWord(w)) {
            expectNothingPending();
            m_pendingCount = *n;
            m_pendingWord = w;
        } else if (auto c = parseColor(w)) {
            if (m_pendingColor)
                fail("two colours in a row ('" + m_pendingWord + "', '" + w + "')");
            // "a circle in red", "a circle painted red": the colour follows its shape.
            if (!m_pendingCount && i > 0 && m_lastWasShape && isPostModifier(m_words[i - 1])) {
                if (m_groups.back().color)
                    fail("the " + std::string(name(m_groups.back().shape)) + " has two colours");
                m_groups.back().color = *c;
                return;
            }
            m_pendingColor = *c;
            m_pendingWord = w;
        } else if (auto s = parseShape(w)) {
            const bool isPlural = w == plural(*s);
            ObjectGroup g;
            g.shape = *s;
            g.color = m_pendingColor;
            g.count = m_pendingCount.value_or(1);
            if (isPlural && !m_pendingCount)
                fail("expected a number before '" + w + "'");
            if (m_pendingCount)
                m_explicitCount = true;
            m_groups.push_back(g);
            m_pendingColor.reset();
            m_pendingCount.reset();
            m_lastWasShape = true;
            return;
        } else if (fillerWords().count(w)) {
            if (w != "in" && w != "painted" && w != "colored" && w != "coloured")
                expectNothingPending();
        } else {
            fail("'" + w +
                 "' is not a ShapeWorld word (shapes: circle, square, triangle, star, hexagon; "
                 "colours: red, green, blue, yellow, purple, orange, white, black)");
        }
        if (!isPostModifier(w))
            m_lastWasShape = false;
    }

    static bool isPostModifier(const std::string& w) {
        return w == "in" || w == "painted" || w == "colored" || w == "coloured";
    }

    void expectNothingPending() const {
        if (m_pendingColor || m_pendingCount)
            fail("expected a shape name after '" + m_pendingWord + "'");
    }

    PromptSpec finish() const {
        if (m_groups.empty())
            fail("no shape name found (shapes: circle, square, triangle, star, hexagon)");
        if (m_groups.size() > 2)
            fail("ShapeWorld prompts name one or two kinds of object, this one names " +
                 std::to_string(m_groups.size()));
        PromptSpec spec;
        spec.groups = m_groups;
        spec.motion = m_motion;
        spec.relation = m_relation;
        if (m_relation) {
            if (m_groups.size() != 2)
                fail("a relation needs one object before it and one after it");
            spec.category = Category::Position;
        } else if (m_groups.size() == 1) {
            spec.category = m_explicitCount     ? Category::Counting
                            : m_groups[0].color ? Category::Colors
                                                : Category::SingleObject;
        } else {
            const int colored = (m_groups[0].color ? 1 : 0) + (m_groups[1].color ? 1 : 0);
            if (colored == 1)
                fail("colour attribution needs a colour on both objects");
            spec.category = colored == 2 ? Category::ColorAttr : Category::TwoObjects;
        }
        if (m_groups.size() == 2 && m_explicitCount)
            fail("counting prompts name one kind of object");
        if (m_groups.size() == 2 && m_groups[0].shape == m_groups[1].shape)
            fail(std::string("both objects are ") + plural(m_groups[0].shape) +
                 "; ShapeWorld compares two different shapes");
        try {
            validate(spec);
        } catch (const Error& e) {
            fail(e.what());
        }
        return spec;
    }

    std::string m_text;
    std::vector<std::string> m_words;
    std::vector<ObjectGroup> m_groups;
    std::optional<Color> m_pendingColor;
    std::optional<int> m_pendingCount;
    std::string m_pendingWord;
    std::optional<Relation> m_relation;
    std::optional<Direction> m_motion;
    bool m_explicitCount = false;
    bool m_lastWasShape = false;
};

} // namespace

PromptSpec parsePrompt(const std::string& text) {
    return Parser(text).parse();
}

} // namespace rd::synth
