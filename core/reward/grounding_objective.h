// The grounding stage on the workspace's stored ShapeWorld images (`"grounding_source":
// "workspace"`, internal to the RM trainer): each training unit is an image with its caption and
// yes/no questions of the trained kinds (grounding_dataset.h), optionally with the cell probe's
// dense loss on the image tokens (scene_cells.h); validation reports the loss, the answer
// accuracy per question kind and the cell accuracy.
#pragma once

#include "reward/training_objectives.h"

namespace rd::reward {

std::unique_ptr<TrainingObjective> makeWorkspaceGroundingObjective(store::Workspace& workspace,
                                                                   RewardModel& rm,
                                                                   const RmTrainSpec& spec);

} // namespace rd::reward
