// A tiny end-to-end learning check of the engine on a device: a linear model fitted by AdamW to
// noisy data from a known linear map. It must bring the loss down by 100x; if it does not,
// autograd, the optimiser or the device is broken.
#pragma once

#include "compute/compute_context.h"

namespace rd::compute {

struct LearningCheck {
    double initialLoss = 0.0;
    double finalLoss = 0.0;
    bool passed = false;
};

LearningCheck runLearningCheck(const ComputeContext& ctx);

} // namespace rd::compute
