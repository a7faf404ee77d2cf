// Attribute-level yes/no questions about one image, answered from its scene: is there a red
// circle, are there exactly three squares, is the red circle left of the blue square. Each kind
// is asked as a "yes" or a "no" question with equal odds, so the answer cannot be guessed from the
// base rate - the grounding stage's stepping stones to the prompt-level question.
#pragma once

#include "reward/grounding_dataset.h"
#include "synth/alignment_judge.h"

#include <random>
#include <vector>

namespace rd::reward {

// Up to five questions: presence, count, location (which side of the image an object kind is on)
// and up to two positions (for pairs of object kinds in a clear direction, whichever of their
// objects is meant).
std::vector<GroundingQuestion> attributeQuestions(const synth::Observation& seen,
                                                  std::mt19937_64& rng);

// "Does the image show <its prompt, or its prompt with one thing changed>?" (kind "near_miss"),
// answered from the scene: a "yes" (the prompt or a variant the image satisfies - for a near-miss
// image, the prompt it does match) or a "no" (one it fails) with equal odds where both exist.
// Written in one of the split's own phrasings.
GroundingQuestion nearMissQuestion(const synth::PromptSpec& spec, const synth::Observation& seen,
                                   synth::Split split, std::mt19937_64& rng);

} // namespace rd::reward
