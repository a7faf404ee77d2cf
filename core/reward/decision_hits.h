// Whether the model's yes/no decisions in a training batch are right, read from the logits at
// each decision row's first target (the yes/no token): the training accuracy of the RM and
// grounding objectives.
#pragma once

#include "reward/training_objectives.h"
#include "reward/training_rows.h"

#include <ATen/core/Tensor.h>

#include <vector>

namespace rd::reward {

class RewardModel;

// One entry per decision row (in row order): true when it answered right.
std::vector<bool> decisionHits(const std::vector<TrainingRow>& rows, const at::Tensor& targetLogits,
                               RewardModel& rm);
// Adds the hits to out.correct and the decision rows to out.judged.
void countDecisions(const std::vector<TrainingRow>& rows, const at::Tensor& targetLogits,
                    RewardModel& rm, StepLoss& out);

} // namespace rd::reward
