#include "reward/grounding_questions.h"

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

std::vector<GroundingQuestion> position(const std::vector<ObservedObject>& objects,
                                        std::mt19937_64& rng) {
    if (objects.size() < 2)
        return {};
    const ObservedObject& a = objects[rng() % objects.size()];
    const ObservedObject* b = nullptr;
    for (const ObservedObject& o : objects)
        if (o.shape != a.shape || o.color != a.color)
            b = &o;
    if (!b)
        return {};
    for (synth::Relation r : {synth::Relation::LeftOf, synth::Relation::RightOf,
                              synth::Relation::Above, synth::Relation::Below})
        if (synth::relationHolds(r, a, *b)) {
            const bool askTrue = rng() % 2 == 0;
            const synth::Relation asked = askTrue ? r : synth::inverse(r);
            return {{"Is the " + described(a) + " " + synth::name(asked) + " the " + described(*b) +
                         "? Answer yes or no.",
                     askTrue, "position"}};
        }
    return {}; // no clear direction between them
}

} // namespace

std::vector<GroundingQuestion> attributeQuestions(const synth::Observation& seen,
                                                  std::mt19937_64& rng) {
    const std::vector<ObservedObject> none;
    const auto& objects = seen.frames.empty() ? none : seen.frames.front();
    std::vector<GroundingQuestion> out = {presence(objects, rng), count(objects, rng)};
    for (GroundingQuestion& q : position(objects, rng))
        out.push_back(std::move(q));
    return out;
}

} // namespace rd::reward
