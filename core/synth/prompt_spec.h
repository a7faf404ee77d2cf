// PromptSpec: what a ShapeWorld prompt asks for, independent of its wording. The prompt writer
// turns a spec into text, the parser turns text back into a spec, and the judge checks a scene
// or an image against it.
//
// Usage:
//   PromptSpec spec;
//   spec.category = Category::Counting;
//   spec.groups = {{Shape::Circle, Color::Red, 3}};   // "three red circles"
#pragma once

#include "synth/vocabulary.h"

#include <optional>
#include <vector>

namespace rd::synth {

// One noun phrase of a prompt: "a red circle", "three squares".
struct ObjectGroup {
    Shape shape = Shape::Circle;
    std::optional<Color> color; // unset: any colour will do
    int count = 1;              // only counting prompts ask for more than one

    bool operator==(const ObjectGroup& o) const {
        return shape == o.shape && color == o.color && count == o.count;
    }
    bool operator!=(const ObjectGroup& o) const { return !(*this == o); }
};

struct PromptSpec {
    Category category = Category::SingleObject;
    // One group (single object, counting, colours) or two (two objects, position, colour
    // attribution); the two groups always have different shapes.
    std::vector<ObjectGroup> groups;
    std::optional<Relation> relation; // position prompts: groups[0] <relation> groups[1]
    std::optional<Direction> motion;  // video prompts: every object moves this way

    bool isVideo() const { return motion.has_value(); }
    bool operator==(const PromptSpec& o) const {
        return category == o.category && groups == o.groups && relation == o.relation &&
               motion == o.motion;
    }
    bool operator!=(const PromptSpec& o) const { return !(*this == o); }
};

// Throws rd::Error(InvalidArgument) naming what is inconsistent (group count for the category,
// same shape twice, missing colours in a colour prompt, a count out of 1..6, ...).
void validate(const PromptSpec& spec);

} // namespace rd::synth
