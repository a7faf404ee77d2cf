// Writes a PromptSpec as prompt text from one of several phrase templates per category, so the
// text varies while the meaning stays fixed. Some templates (and the OOD relation and motion
// words) are reserved for the out-of-domain split: phrasings never seen in training.
//
// Usage:
//   PromptWording wording{2, false};
//   std::string text = writePrompt(spec, wording);    // "three red circles"
//   int n = templateCount(Category::Counting);        // wording.templateIndex is 0..n-1
#pragma once

#include "synth/prompt_spec.h"

#include <string>

namespace rd::synth {

struct PromptWording {
    int templateIndex = 0; // 0 is GenEval's own "a photo of ..." phrasing
    // Videos: "drifting rightwards" (OOD) instead of "moving from left to right".
    bool oodMotionWords = false;
};

int templateCount(Category category);
// True for templates reserved for the out-of-domain split.
bool isOodTemplate(Category category, int templateIndex);
// True when the wording uses any phrasing reserved for the out-of-domain split.
bool isOodWording(const PromptSpec& spec, const PromptWording& wording);

// Validates the spec, then fills the template. Throws rd::Error(InvalidArgument) for a bad
// template index or spec.
std::string writePrompt(const PromptSpec& spec, const PromptWording& wording);

// "a red circle", "three squares", "an orange hexagon": a group as a noun phrase.
std::string nounPhrase(const ObjectGroup& group, bool withNumberWord);

} // namespace rd::synth
