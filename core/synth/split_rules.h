// Which prompts and scenes belong to which split. The out-of-domain split holds out, as the
// paper's OOD RM evaluation does with unseen data (Table 2): colour-shape combinations, a count
// and phrasings that never appear in training (train) or in-domain test (id) prompts, and every
// OOD prompt uses at least one of them. Train and id scenes never draw a held-out combination,
// even on objects whose colour the prompt leaves free.
//
// Usage:
//   if (isHeldOutCombo(Color::Purple, Shape::Star)) ...   // true
//   bool ok = isAllowed(spec, wording, Split::Train);
#pragma once

#include "synth/prompt_spec.h"
#include "synth/prompt_writer.h"

#include <vector>

namespace rd::synth {

struct ColorShape {
    Color color;
    Shape shape;
};

// One per shape: yellow circle, green square, white triangle, purple star, orange hexagon.
const std::vector<ColorShape>& heldOutCombos();
bool isHeldOutCombo(Color color, Shape shape);
constexpr int kHeldOutCount = 6; // "six ..." is never asked for in training

// Colours an object of this shape may take in a scene of this split.
std::vector<Color> allowedColors(Shape shape, Split split);
// Counts a counting prompt of this split may ask for (video prompts are limited to 1..3).
std::vector<int> allowedCounts(Split split, bool video);

// Whether the prompt uses a held-out combination, count or phrasing.
bool hasOodFeature(const PromptSpec& spec, const PromptWording& wording);
// train and id: no OOD feature; ood: at least one.
bool isAllowed(const PromptSpec& spec, const PromptWording& wording, Split split);

} // namespace rd::synth
