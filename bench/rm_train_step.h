// The reward-model training step the training benchmarks time (`bench rm-train` against
// PyTorch, `bench contention` beside a busy neighbour): a pairwise generative batch in both
// orders, images encoded once, CE over the answer tokens, gradient clipping and AdamW.
#pragma once

#include "reward/reward_model.h"
#include "reward/training_rows.h"

#include <map>
#include <vector>

namespace torch::optim {
class AdamW;
}

namespace rd::bench {

// `pairs` pairs in both orders: [text, image 1, text, image 2, text, answer], random token ids,
// the answer tokens the targets; image ids 1..2*pairs.
std::vector<reward::TrainingRow> benchRows(const reward::RewardModel& rm, int pairs);

// The median seconds of `repeats` training steps on rows (after one warm-up step).
double cppSecondsPerStep(reward::RewardModel& rm, torch::optim::AdamW& optimizer,
                         const std::vector<reward::TrainingRow>& rows,
                         const std::map<store::RowId, at::Tensor>& images, int repeats);

} // namespace rd::bench
