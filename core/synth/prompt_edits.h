// One-edit variants of a prompt: the same prompt with exactly one thing changed - a count one
// off, one object's colour or shape swapped for another, the relation turned round, the two
// colours exchanged, the motion reversed. They are the text-side twins of the scene builder's
// near misses: asking whether an image shows a variant of its own prompt is the comparison a
// reward model makes between a match and a near miss, seen from the prompt's side.
//
// Usage:
//   for (const PromptSpec& v : oneEditVariants(spec, Split::Train))
//       bool yes = judge(v, seen).satisfied;   // "two red circles" for "three red circles"
#pragma once

#include "synth/prompt_spec.h"

#include <vector>

namespace rd::synth {

// Every valid variant that the split allows (no held-out combination or count in train and id
// prompts), without duplicates and without the spec itself.
std::vector<PromptSpec> oneEditVariants(const PromptSpec& spec, Split split);

} // namespace rd::synth
