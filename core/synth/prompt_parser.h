// Reads a ShapeWorld prompt back into a PromptSpec: every phrasing the prompt writer produces,
// and GenEval's own ("a photo of two red circles", "a photo of a blue square left of a yellow
// star", "a photo of a red circle and a green triangle", "a photo of a purple hexagon"), so users
// can score prompts they wrote themselves. The category is inferred from the words: a relation
// makes a position prompt, a number a counting prompt, colours on both objects colour
// attribution, a colour on one object a colours prompt.
//
// Usage:
//   PromptSpec spec = parsePrompt("a photo of two red circles");   // counting, red circle x2
// Throws rd::Error(InvalidArgument) naming the prompt and the word at fault, e.g.
//   cannot parse prompt 'a red': expected a shape name after 'red'
#pragma once

#include "synth/prompt_spec.h"

#include <string>

namespace rd::synth {

PromptSpec parsePrompt(const std::string& text);

} // namespace rd::synth
