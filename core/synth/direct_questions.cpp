#include "synth/direct_questions.h"

#include "synth/rationale_writer.h"

#include <algorithm>
#include <cmath>

namespace rd::synth {

namespace {

// Two objects "clearly" differ along an axis when their centres are this far apart (a tenth of
// the frame): closer than that, "further left" is a matter of pixels.
constexpr double kClearOffset = 0.1;
// How often "where", "count" and "presence" ask about something the image does not hold.
constexpr double kAbsentShare = 0.15;

struct Kind {
    Shape shape;
    Color color;
    std::vector<ObservedObject> objects;
};

std::string words(Shape shape, Color color) {
    return std::string(name(color)) + " " + name(shape);
}

std::vector<Kind> kindsOf(const std::vector<ObservedObject>& objects) {
    std::vector<Kind> kinds;
    for (const ObservedObject& o : objects) {
        auto it = std::find_if(kinds.begin(), kinds.end(), [&](const Kind& k) {
            return k.shape == o.shape && k.color == o.color;
        });
        if (it == kinds.end())
            kinds.push_back({o.shape, o.color, {o}});
        else
            it->objects.push_back(o);
    }
    return kinds;
}

// A (shape, colour) the image does not hold.
std::optional<std::pair<Shape, Color>> absentKind(const std::vector<Kind>& kinds, Rng& rng) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        const Shape s = kShapes[static_cast<size_t>(rng.uniformInt(0, int(kShapes.size()) - 1))];
        const Color c = kColors[static_cast<size_t>(rng.uniformInt(0, int(kColors.size()) - 1))];
        if (std::none_of(kinds.begin(), kinds.end(),
                         [&](const Kind& k) { return k.shape == s && k.color == c; }))
            return std::pair(s, c);
    }
    return std::nullopt;
}

std::optional<DirectQuestion> where(const std::vector<Kind>& kinds, Rng& rng) {
    const auto absent = absentKind(kinds, rng);
    if (absent && (kinds.empty() || rng.chance(kAbsentShare)))
        return DirectQuestion{DirectKind::Where,
                              "Where is the " + words(absent->first, absent->second) + "?",
                              "nowhere"};
    if (kinds.empty())
        return std::nullopt;
    const Kind& k = rng.pick(kinds);
    const std::string places = placeList(k.objects);
    const std::string subject =
        k.objects.size() == 1 ? "is the " + words(k.shape, k.color)
                              : "are the " + std::string(name(k.color)) + " " + plural(k.shape);
    return DirectQuestion{DirectKind::Where, "Where " + subject + "?", places};
}

std::optional<DirectQuestion> count(const std::vector<Kind>& kinds, Rng& rng) {
    Shape shape = kShapes[static_cast<size_t>(rng.uniformInt(0, int(kShapes.size()) - 1))];
    std::optional<Color> color;
    if (!kinds.empty() && !rng.chance(kAbsentShare)) {
        const Kind& k = rng.pick(kinds);
        shape = k.shape;
        if (rng.chance(0.5))
            color = k.color;
    }
    int n = 0;
    for (const Kind& k : kinds)
        if (k.shape == shape && (!color || k.color == *color))
            n += static_cast<int>(k.objects.size());
    const std::string noun =
        color ? std::string(name(*color)) + " " + plural(shape) : std::string(plural(shape));
    return DirectQuestion{DirectKind::Count, "How many " + noun + " are there?", countWord(n)};
}

std::optional<DirectQuestion> presence(const std::vector<Kind>& kinds, Rng& rng) {
    const auto absent = absentKind(kinds, rng);
    const bool askPresent = !kinds.empty() && (!absent || rng.chance(0.5));
    if (!askPresent && !absent)
        return std::nullopt;
    if (askPresent) {
        const Kind& k = rng.pick(kinds);
        return DirectQuestion{DirectKind::Presence, "Is there a " + words(k.shape, k.color) + "?",
                              "yes"};
    }
    return DirectQuestion{DirectKind::Presence,
                          "Is there a " + words(absent->first, absent->second) + "?", "no"};
}

// The objects of two kinds that each have one, in random order, or nothing.
std::optional<std::pair<ObservedObject, ObservedObject>> twoSingles(const std::vector<Kind>& kinds,
                                                                    Rng& rng) {
    std::vector<const Kind*> singles;
    for (const Kind& k : kinds)
        if (k.objects.size() == 1)
            singles.push_back(&k);
    if (singles.size() < 2)
        return std::nullopt;
    rng.shuffle(singles);
    return std::pair(singles[0]->objects.front(), singles[1]->objects.front());
}

std::optional<DirectQuestion> which(const std::vector<Kind>& kinds, Rng& rng) {
    const auto two = twoSingles(kinds, rng);
    if (!two)
        return std::nullopt;
    const auto& [a, b] = *two;
    std::vector<int> axes; // 1: horizontal, 0: vertical (not vector<bool>: pick returns a ref)
    if (std::abs(a.x - b.x) > kClearOffset)
        axes.push_back(1);
    if (std::abs(a.y - b.y) > kClearOffset)
        axes.push_back(0);
    if (axes.empty())
        return std::nullopt;
    const bool horizontal = rng.pick(axes) == 1;
    const bool towardsLow = rng.chance(0.5); // further left / higher
    const double da = horizontal ? a.x : a.y, db = horizontal ? b.x : b.y;
    const bool aWins = towardsLow ? da < db : da > db;
    const char* word = horizontal ? (towardsLow ? "further left" : "further right")
                                  : (towardsLow ? "higher" : "lower");
    const std::string nameA = words(a.shape, a.color), nameB = words(b.shape, b.color);
    return DirectQuestion{DirectKind::Which,
                          std::string("Which is ") + word + ", the " + nameA + " or the " + nameB +
                              "?",
                          "the " + (aWins ? nameA : nameB)};
}

std::optional<DirectQuestion> relation(const std::vector<Kind>& kinds, Rng& rng) {
    const auto two = twoSingles(kinds, rng);
    if (!two)
        return std::nullopt;
    const auto& [a, b] = *two;
    std::optional<Relation> holds;
    for (Relation r : kRelations)
        if (relationHolds(r, a, b))
            holds = r;
    if (!holds)
        return std::nullopt;
    const bool askTrue = rng.chance(0.5);
    const Relation asked = askTrue ? *holds : inverse(*holds);
    const std::string nameA = words(a.shape, a.color), nameB = words(b.shape, b.color);
    // Each object's place, then the relation that holds, then the verdict: every step has a
    // direct target, so the chain can be learnt where the bare yes/no cannot.
    return DirectQuestion{
        DirectKind::Relation, "Is the " + nameA + " " + name(asked) + " the " + nameB + "?",
        nameA + ": " + placeWords(a) + "; " + nameB + ": " + placeWords(b) + "; so the " + nameA +
            " is " + name(*holds) + " the " + nameB + ". Answer: " + (askTrue ? "yes" : "no")};
}

} // namespace

const char* name(DirectKind kind) {
    switch (kind) {
    case DirectKind::Caption:
        return "caption";
    case DirectKind::Where:
        return "where";
    case DirectKind::Which:
        return "which";
    case DirectKind::Count:
        return "count";
    case DirectKind::Presence:
        return "presence";
    case DirectKind::Relation:
        return "relation";
    }
    return "";
}

std::optional<DirectKind> parseDirectKind(const std::string& text) {
    for (DirectKind k : kDirectKinds)
        if (text == name(k))
            return k;
    return std::nullopt;
}

std::optional<DirectQuestion> askDirect(DirectKind kind, const PromptSpec& spec,
                                        const std::vector<ObservedObject>& objects, Rng& rng) {
    const std::vector<Kind> kinds = kindsOf(objects);
    switch (kind) {
    case DirectKind::Caption:
        return DirectQuestion{
            DirectKind::Caption, "Describe the image.",
            describeObservation(spec, Observation{{objects}}, ObservationDetail::WithPlaces) + "."};
    case DirectKind::Where:
        return where(kinds, rng);
    case DirectKind::Which:
        return which(kinds, rng);
    case DirectKind::Count:
        return count(kinds, rng);
    case DirectKind::Presence:
        return presence(kinds, rng);
    case DirectKind::Relation:
        return relation(kinds, rng);
    }
    return std::nullopt;
}

} // namespace rd::synth
