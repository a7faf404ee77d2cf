#include "synth/prompt_spec.h"

#include "common/error.h"

#include <string>

namespace rd::synth {

namespace {

[[noreturn]] void invalid(const PromptSpec& spec, const std::string& what) {
    throw Error(ErrorKind::InvalidArgument,
                std::string("ShapeWorld prompt spec (") + name(spec.category) + "): " + what);
}

size_t groupsFor(Category category) {
    switch (category) {
    case Category::SingleObject:
    case Category::Counting:
    case Category::Colors:
        return 1;
    case Category::TwoObjects:
    case Category::Position:
    case Category::ColorAttr:
        return 2;
    }
    return 0;
}

} // namespace

void validate(const PromptSpec& spec) {
    const size_t expected = groupsFor(spec.category);
    if (spec.groups.size() != expected)
        invalid(spec, "expected " + std::to_string(expected) + " object group(s), got " +
                          std::to_string(spec.groups.size()));
    if (expected == 2 && spec.groups[0].shape == spec.groups[1].shape)
        invalid(spec, std::string("both objects are ") + plural(spec.groups[0].shape) +
                          "; the two objects must have different shapes");
    for (const ObjectGroup& g : spec.groups) {
        if (g.count < 1 || g.count > kMaxCount)
            invalid(spec, "count " + std::to_string(g.count) + " is outside 1.." +
                              std::to_string(kMaxCount));
        if (spec.category != Category::Counting && g.count != 1)
            invalid(spec, "only counting prompts ask for more than one object");
    }
    const bool colored = spec.category == Category::Colors || spec.category == Category::ColorAttr;
    for (const ObjectGroup& g : spec.groups) {
        if (colored && !g.color)
            invalid(spec, std::string("the ") + name(g.shape) + " needs a colour");
        if ((spec.category == Category::SingleObject || spec.category == Category::TwoObjects) &&
            g.color)
            invalid(spec, "colours belong to colors, color_attr, counting or position prompts");
    }
    if (spec.category == Category::ColorAttr && spec.groups[0].color == spec.groups[1].color)
        invalid(spec, "colour attribution needs two different colours");
    if ((spec.category == Category::Position) != spec.relation.has_value())
        invalid(spec, "a relation belongs to position prompts and only to them");
    if (spec.motion && expected != 1)
        invalid(spec, "moving prompts have one object group");
}

} // namespace rd::synth
