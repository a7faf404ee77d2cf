#include "reward/grounding_questions.h"

#include "synth/prompt_edits.h"
#include "synth/prompt_writer.h"
#include "synth/split_rules.h"
#include "synth/vocabulary.h"

#include <algorithm>
#include <string>

namespace rd::reward {

namespace {

using synth::Color;
using synth::ObservedObject;
using synth::Shape;

std::string described(const ObservedObject& o) {
    return std::string(synth::name(o.color)) + " " + synth::name(o.shape);
}

GroundingQuestion presence(const std::vector<ObservedObject>& objects, std::mt19937_64& rng) {
    const bool askPresent = !objects.empty() && rng() % 2 == 0;
    if (askPresent) {
        const ObservedObject& o = objects[rng() % objects.size()];
        return {"Is there a " + described(o) + " in the image? Answer yes or no.", true,
                "presence"};
    }
    for (int attempt = 0; attempt < 50; ++attempt) {
        const Shape s = synth::kShapes[rng() % synth::kShapes.size()];
        const Color c = synth::kColors[rng() % synth::kColors.size()];
        const bool present = std::any_of(objects.begin(), objects.end(), [&](const auto& o) {
            return o.shape == s && o.color == c;
        });
        if (!present)
            return {"Is there a " + std::string(synth::name(c)) + " " + synth::name(s) +
                        " in the image? Answer yes or no.",
                    false, "presence"};
    }
    const ObservedObject& o = objects.front(); // every combination is present: ask a true one
    return {"Is there a " + described(o) + " in the image? Answer yes or no.", true, "presence"};
}

GroundingQuestion count(const std::vector<ObservedObject>& objects, std::mt19937_64& rng) {
    const Shape s = objects.empty() ? synth::kShapes[rng() % synth::kShapes.size()]
                                    : objects[rng() % objects.size()].shape;
    const int n = static_cast<int>(
        std::count_if(objects.begin(), objects.end(), [&](const auto& o) { return o.shape == s; }));
    int asked = n;
    if (n == 0 || rng() % 2 == 1) // a wrong count, one off, kept within one..six
        asked = n <= 1 ? n + 1 : (rng() % 2 == 0 || n >= 6 ? n - 1 : n + 1);
    asked = std::clamp(asked, 1, 6);
    const std::string noun = asked == 1 ? synth::name(s) : synth::plural(s);
    return {"Are there exactly " + std::string(synth::numberWord(asked)) + " " + noun +
                " in the image? Answer yes or no.",
            asked == n, "count"};
}

bool sameKind(const ObservedObject& a, const ObservedObject& b) {
    return a.shape == b.shape && a.color == b.color;
}

// Whether the relation holds between every object described as `a` and every one described as
// `b`, so that "the red circle" means the same thing whichever red circle the scene has.
bool holdsForAll(synth::Relation r, const ObservedObject& a, const ObservedObject& b,
                 const std::vector<ObservedObject>& objects) {
    for (const ObservedObject& x : objects)
        for (const ObservedObject& y : objects)
            if (sameKind(x, a) && sameKind(y, b) && !synth::relationHolds(r, x, y))
                return false;
    return true;
}

// Up to kPositionQuestions questions about different pairs of object kinds, each a true or a
// false relation with equal odds. Spatial relations are the skill a from-scratch backbone learns
// last, so they are asked as often as the scene allows.
constexpr size_t kPositionQuestions = 2;

std::vector<GroundingQuestion> position(const std::vector<ObservedObject>& objects,
                                        std::mt19937_64& rng) {
    std::vector<ObservedObject> kinds; // one object of each (shape, colour) in the scene
    for (const ObservedObject& o : objects)
        if (std::none_of(kinds.begin(), kinds.end(), [&](const auto& k) { return sameKind(k, o); }))
            kinds.push_back(o);
    std::vector<GroundingQuestion> out;
    if (kinds.size() < 2)
        return out;
    std::vector<std::pair<size_t, size_t>> asked;
    for (int attempt = 0; attempt < 6 && out.size() < kPositionQuestions; ++attempt) {
        const size_t i = rng() % kinds.size(), j = rng() % kinds.size();
        if (i == j || std::find(asked.begin(), asked.end(), std::pair(i, j)) != asked.end())
            continue;
        asked.emplace_back(i, j);
        const ObservedObject& a = kinds[i];
        const ObservedObject& b = kinds[j];
        for (synth::Relation r : {synth::Relation::LeftOf, synth::Relation::RightOf,
                                  synth::Relation::Above, synth::Relation::Below})
            if (holdsForAll(r, a, b, objects)) {
                const bool askTrue = rng() % 2 == 0;
                const synth::Relation relation = askTrue ? r : synth::inverse(r);
                out.push_back({"Is the " + described(a) + " " + synth::name(relation) + " the " +
                                   described(b) + " in the image? Answer yes or no.",
                               askTrue, "position"});
                break;
            }
    }
    return out; // empty when no two kinds stand in a clear direction
}

// Where one object kind sits in the frame: "on the left side", "in the top half"... of the image,
// asked only when every object of that kind is clearly in that part. One hop (find the object,
// read where it is) where a relation needs two - the stepping stone to the relations.
std::vector<GroundingQuestion> location(const std::vector<ObservedObject>& objects,
                                        std::mt19937_64& rng) {
    if (objects.empty())
        return {};
    const ObservedObject& a = objects[rng() % objects.size()];
    const bool horizontal = rng() % 2 == 0;
    auto coordinate = [&](const ObservedObject& o) { return horizontal ? o.x : o.y; };
    bool low = true, high = true; // every object of a's kind in the left (top) / right (bottom)
    for (const ObservedObject& o : objects)
        if (sameKind(o, a)) {
            low = low && coordinate(o) < 0.4;
            high = high && coordinate(o) > 0.6;
        }
    if (!low && !high)
        return {}; // near the middle: no clear side
    const bool askTrue = rng() % 2 == 0;
    const bool askLow = askTrue ? low : !low;
    const std::string side = horizontal ? (askLow ? "on the left side" : "on the right side")
                                        : (askLow ? "in the top half" : "in the bottom half");
    return {{"Is the " + described(a) + " " + side + " of the image? Answer yes or no.", askTrue,
             "location"}};
}

} // namespace

std::vector<GroundingQuestion> attributeQuestions(const synth::Observation& seen,
                                                  std::mt19937_64& rng) {
    const std::vector<ObservedObject> none;
    const auto& objects = seen.frames.empty() ? none : seen.frames.front();
    std::vector<GroundingQuestion> out = {presence(objects, rng), count(objects, rng)};
    for (GroundingQuestion& q : location(objects, rng))
        out.push_back(std::move(q));
    for (GroundingQuestion& q : position(objects, rng))
        out.push_back(std::move(q));
    return out;
}

GroundingQuestion nearMissQuestion(const synth::PromptSpec& spec, const synth::Observation& seen,
                                   synth::Split split, std::mt19937_64& rng) {
    // The prompt itself is a candidate too, so that an image that matches it has a "yes" to be
    // asked beside its variants' "no"s: without it the answers lean four to one towards "no".
    std::vector<synth::PromptSpec> candidates = synth::oneEditVariants(spec, split);
    candidates.push_back(spec);
    std::vector<synth::PromptSpec> yes, no;
    for (synth::PromptSpec& candidate : candidates)
        (synth::judge(candidate, seen).satisfied ? yes : no).push_back(std::move(candidate));
    const bool askYes = no.empty() || (!yes.empty() && rng() % 2 == 0);
    const std::vector<synth::PromptSpec>& pool = askYes ? yes : no;
    const synth::PromptSpec& variant = pool[rng() % pool.size()];
    std::vector<int> phrasings; // the templates this split's prompts may use
    for (int t = 0; t < synth::templateCount(variant.category); ++t)
        if (synth::isAllowed(variant, synth::PromptWording{t, false}, split))
            phrasings.push_back(t);
    const int phrasing = phrasings.empty() ? 0 : phrasings[rng() % phrasings.size()];
    return {showsQuestion(synth::writePrompt(variant, synth::PromptWording{phrasing, false})),
            askYes, "near_miss"};
}

} // namespace rd::reward
