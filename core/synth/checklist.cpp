#include "synth/checklist.h"

#include "synth/rationale_writer.h"

#include <algorithm>
#include <tuple>

namespace rd::synth {

namespace {

bool matches(const ObjectGroup& g, const ObservedObject& o, bool withColor) {
    return o.shape == g.shape && (!withColor || !g.color || o.color == *g.color);
}

std::vector<ObservedObject> matching(const ObjectGroup& g, const std::vector<ObservedObject>& seen,
                                     bool withColor) {
    std::vector<ObservedObject> out;
    for (const ObservedObject& o : seen)
        if (matches(g, o, withColor))
            out.push_back(o);
    // Top to bottom, then left to right, as the captions list places.
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return std::tie(a.y, a.x) < std::tie(b.y, b.x); });
    return out;
}

std::string places(const std::vector<ObservedObject>& objects) {
    return objects.empty() ? "none" : placeList(objects);
}

// The colours the group's shape has in the image: "blue", "blue, red", or "none".
std::string shapeColors(const ObjectGroup& g, const std::vector<ObservedObject>& seen) {
    std::string out;
    for (Color c : kColors)
        if (std::any_of(seen.begin(), seen.end(),
                        [&](const auto& o) { return o.shape == g.shape && o.color == c; }))
            out += (out.empty() ? "" : ", ") + std::string(name(c));
    return out.empty() ? "none" : out;
}

// What the image shows for one constraint, before its yes or no.
std::string finding(const PromptSpec& spec, const ConstraintResult& c, const Observation& seen) {
    const std::vector<ObservedObject> none;
    const auto& first = seen.frames.empty() ? none : seen.frames.front();
    const ObjectGroup& g = spec.groups[static_cast<size_t>(c.group)];
    const bool colourCheck =
        spec.category == Category::Colors || spec.category == Category::ColorAttr;
    switch (c.kind) {
    case ConstraintKind::ShapePresent:
        return places(matching(g, first, false));
    case ConstraintKind::GroupPresent:
        return colourCheck ? shapeColors(g, first) : places(matching(g, first, true));
    case ConstraintKind::Count:
        return countWord(c.observedCount);
    case ConstraintKind::Relation: {
        const auto as = matching(spec.groups[0], first, true);
        const auto bs = matching(spec.groups[1], first, true);
        if (as.empty() || bs.empty())
            return "none";
        const auto stated = [](const ObservedObject& a, const ObservedObject& b) {
            std::string actual = "neither";
            for (Relation r : kRelations)
                if (relationHolds(r, a, b))
                    actual = name(r);
            return placeWords(a) + " and " + placeWords(b) + ", " + actual;
        };
        // The first pair that stands in the prompt's relation (as the judge found one), else
        // the first object of each group.
        for (const ObservedObject& a : as)
            for (const ObservedObject& b : bs)
                if (relationHolds(*spec.relation, a, b))
                    return stated(a, b);
        return stated(as.front(), bs.front());
    }
    case ConstraintKind::Motion:
        return motionWords(seen);
    }
    return "";
}

std::string joined(const std::vector<ChecklistItem>& items) {
    std::string out;
    for (const ChecklistItem& item : items)
        out += (out.empty() ? "" : "; ") + item.text;
    return out;
}

} // namespace

std::string Checklist::itemsText() const {
    return joined(items);
}

std::string Checklist::decisionFirst() const {
    return std::string(satisfied ? "yes" : "no") + ". " + itemsText() + ".";
}

std::string Checklist::reasoningFirst() const {
    return itemsText() + ". Answer: " + (satisfied ? "yes" : "no");
}

Checklist writeChecklist(const PromptSpec& spec, const Observation& seen) {
    const Judgement j = judge(spec, seen);
    Checklist out;
    out.satisfied = j.satisfied;
    for (const ConstraintResult& c : j.constraints)
        out.items.push_back({c.kind,
                             c.text + ": " + finding(spec, c, seen) + ", " + (c.met ? "yes" : "no"),
                             c.met});
    return out;
}

} // namespace rd::synth
