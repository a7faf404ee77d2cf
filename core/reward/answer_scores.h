// From the last hidden state to scores (internal to core/reward): P("yes"), P("no") and the
// renormalised value for the generative paradigms (Eq. 2), the head's value for the regressive
// one; and the greedy chain-of-thought answer.
#pragma once

#include "reward/reward_model.h"
#include "reward/scorer.h"

#include <vector>

namespace rd::reward {

// lastHidden [B, d] -> one score per row.
std::vector<RewardScore> answerScores(RewardModel& rm, const at::Tensor& lastHidden);

// Greedy decoding from the prompt until the end-of-turn token or maxNewTokens, with a KV cache.
std::string generateRationale(RewardModel& rm, const text::EncodedPrompt& prompt,
                              const std::vector<at::Tensor>& tiles, int maxNewTokens);

} // namespace rd::reward
