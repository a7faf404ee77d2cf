#include "training/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace rd::training {

double LrSchedule::at(std::int64_t step) const {
    if (warmupSteps > 0 && step < warmupSteps)
        return peak * static_cast<double>(step + 1) / static_cast<double>(warmupSteps);
    const double span = std::max<std::int64_t>(1, totalSteps - warmupSteps);
    const double progress = std::clamp(static_cast<double>(step - warmupSteps) / span, 0.0, 1.0);
    const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
    return peak * (minRatio + (1.0 - minRatio) * cosine);
}

double LrSchedule::atProgress(std::int64_t step, double progress) const {
    if (warmupSteps > 0 && step < warmupSteps)
        return peak * static_cast<double>(step + 1) / static_cast<double>(warmupSteps);
    const double cosine = 0.5 * (1.0 + std::cos(M_PI * std::clamp(progress, 0.0, 1.0)));
    return peak * (minRatio + (1.0 - minRatio) * cosine);
}

} // namespace rd::training
