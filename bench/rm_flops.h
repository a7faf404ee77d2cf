// Floating-point operations of one pairwise RM scoring (two images + the prompt, logits at the
// answer position only), counted from the config: 2 per multiply-add of every matmul, attention
// scores and mixing included; norms and activations are left out (they are not matmuls). The
// last decoder layer counts as the engine runs it: keys and values of every token, the rest at
// the answer position only.
#pragma once

#include "model/model_config.h"

namespace rd::bench {

double pairScoringFlops(const model::VlmConfig& config, int promptTokens);

} // namespace rd::bench
