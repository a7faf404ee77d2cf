// The paper's three reward-model paradigms (§3.2, Table 7) and their names, listed once: the
// job spec, reward.json, events and tables all write these words.
#pragma once

#include "jobs/enum_names.h"

namespace rd::reward {

enum class Paradigm {
    PairwiseGenerative = 1, // r = P("yes" | instruction, prompt, reference, candidate), Eq. 2
    PointwiseGenerative,    // r = P("yes" | instruction, prompt, candidate)
    PointwiseRegressive,    // r = a scalar head on the last hidden state (Bradley-Terry)
};

inline constexpr jobs::EnumName<Paradigm> kParadigmNames[] = {
    {Paradigm::PairwiseGenerative, "pairwise"},
    {Paradigm::PointwiseGenerative, "pointwise"},
    {Paradigm::PointwiseRegressive, "regressive"}};

} // namespace rd::reward
