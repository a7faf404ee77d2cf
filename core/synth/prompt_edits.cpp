#include "synth/prompt_edits.h"

#include "common/error.h"
#include "synth/split_rules.h"

#include <algorithm>

namespace rd::synth {

namespace {

// Keeps `variant` when it is a valid prompt of the split and new.
void keep(const PromptSpec& spec, const PromptSpec& variant, Split split,
          std::vector<PromptSpec>& out) {
    if (variant == spec || std::find(out.begin(), out.end(), variant) != out.end())
        return;
    try {
        validate(variant);
    } catch (const Error&) {
        return; // e.g. the new shape is the other object's, or a count left 1..6
    }
    if (isAllowed(variant, PromptWording{}, split))
        out.push_back(variant);
}

} // namespace

std::vector<PromptSpec> oneEditVariants(const PromptSpec& spec, Split split) {
    std::vector<PromptSpec> out;
    for (size_t g = 0; g < spec.groups.size(); ++g) {
        for (int delta : {-1, 1}) {
            PromptSpec v = spec;
            v.groups[g].count += delta;
            keep(spec, v, split, out);
        }
        if (spec.groups[g].color)
            for (Color c : kColors) {
                PromptSpec v = spec;
                v.groups[g].color = c;
                keep(spec, v, split, out);
            }
        for (Shape s : kShapes) {
            PromptSpec v = spec;
            v.groups[g].shape = s;
            keep(spec, v, split, out);
        }
    }
    if (spec.groups.size() == 2 && spec.groups[0].color && spec.groups[1].color) {
        PromptSpec v = spec;
        std::swap(v.groups[0].color, v.groups[1].color);
        keep(spec, v, split, out);
    }
    if (spec.relation) {
        PromptSpec v = spec;
        v.relation = inverse(*spec.relation);
        keep(spec, v, split, out);
    }
    if (spec.motion) {
        PromptSpec v = spec;
        v.motion = reverse(*spec.motion);
        keep(spec, v, split, out);
    }
    return out;
}

} // namespace rd::synth
