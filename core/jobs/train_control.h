// What a caller controls of a training run (RM, generator SFT, ReFL), and what every run reports
// when it returns. The trainers' results extend RunOutcome with their own outputs.
#pragma once

#include "store/records.h"

#include <cstdint>
#include <functional>
#include <string>

namespace rd::jobs {

struct TrainControl {
    bool resume = false;            // continue from the out folder's saved state
    std::int64_t stopAfterStep = 0; // > 0: save the state and return after this step (tests)
    std::function<bool()> cancelled;
};

struct RunOutcome {
    store::RowId runId = 0;
    std::int64_t steps = 0; // optimizer steps done in total
    double seconds = 0.0;   // training time, including earlier sessions of a resumed run
    bool resumed = false;
    bool finished = false;  // false: paused, to be resumed (stopAfterStep, a cancel)
    std::string stopReason; // "steps", "early_stopping", "time_limit", "stopped", "cancelled"
};

} // namespace rd::jobs
