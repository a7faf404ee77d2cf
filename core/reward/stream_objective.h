// The grounding stage on the endless scene stream (`"grounding_source": "stream"`, internal to
// the RM trainer): each training unit is a fresh scene with one question of a trained kind,
// answered in words (grounding_stream.h); validation asks a fixed set of held-out scenes every
// kind they can carry and scores each answer by exact match - every answer token the model's
// first choice given the ones before it, which is what greedy decoding would write.
#pragma once

#include "reward/training_objectives.h"

namespace rd::reward {

std::unique_ptr<TrainingObjective> makeStreamObjective(RewardModel& rm, const RmTrainSpec& spec);

} // namespace rd::reward
