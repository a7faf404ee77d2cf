// Linear warm-up then cosine decay to minRatio x the peak rate, the usual schedule for
// fine-tuning VLM reward models.
#pragma once

#include <cstdint>

namespace rd::training {

struct LrSchedule {
    double peak = 3e-4;
    std::int64_t warmupSteps = 0;
    std::int64_t totalSteps = 1;
    double minRatio = 0.1;

    // The rate for optimizer step `step` (0-based).
    double at(std::int64_t step) const;
    // For runs measured in time rather than steps: warm-up by steps, then the cosine by the
    // fraction of the budget spent (0..1).
    double atProgress(std::int64_t step, double progress) const;
};

} // namespace rd::training
