// Which of two images better satisfies a prompt, from their judgements, and how hard the pair
// is to call. Ties are "both right" or "both wrong alike" (the same constraints failed); two
// images wrong in different ways with the same score have no known winner.
//
// Usage:
//   std::optional<Winner> w = decideWinner(judgeFirst, judgeSecond);
//   Difficulty d = pairDifficulty(spec, judgeFirst, judgeSecond);
#pragma once

#include "synth/alignment_judge.h"

#include <optional>

namespace rd::synth {

enum class Winner { First = 1, Second, Tie };
// Hard: a tie, or the loser's only slips are subtle (a count off by one, a relation the wrong
// way, colours bound to the wrong objects, motion the wrong way or none); Easy: the loser scores
// at least 0.5 lower (say, an object missing); Medium: anything between.
enum class Difficulty { Easy = 1, Medium, Hard };

const char* name(Winner winner);         // "first", "second", "tie"
const char* name(Difficulty difficulty); // "easy", "medium", "hard"

std::optional<Winner> decideWinner(const Judgement& first, const Judgement& second);
// For a pair with a known winner (decideWinner not empty).
Difficulty pairDifficulty(const PromptSpec& spec, const Judgement& first, const Judgement& second);

} // namespace rd::synth
