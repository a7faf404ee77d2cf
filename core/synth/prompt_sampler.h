// Draws ShapeWorld prompts for a split, deterministically from an Rng: the spec (shapes,
// colours, counts, relation, motion), the wording, and the text. Train and id prompts avoid every
// held-out feature; each ood prompt carries at least one (see split_rules.h).
//
// Usage:
//   Rng rng(42);
//   SampledPrompt p = samplePrompt(Category::Position, Split::Train, MediaMode::Image, rng);
//   p.text;   // "a blue square left of a yellow star"
#pragma once

#include "synth/prompt_spec.h"
#include "synth/prompt_writer.h"
#include "synth/rng.h"

#include <string>

namespace rd::synth {

enum class MediaMode { Image = 1, Video };

struct SampledPrompt {
    PromptSpec spec;
    PromptWording wording;
    std::string text;
    Split split = Split::Train;
};

// Video prompts exist for the one-group categories (single object, colours, counting); asking
// for another category with MediaMode::Video throws rd::Error(InvalidArgument).
SampledPrompt samplePrompt(Category category, Split split, MediaMode mode, Rng& rng);

// The categories a mode can sample, in a fixed order (callers cycle through them).
std::vector<Category> categoriesFor(MediaMode mode);

} // namespace rd::synth
