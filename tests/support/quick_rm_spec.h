// The RM job spec the training tests start from: a fresh rd-xs, short prompts, no validation or
// checkpoints, so that a few hundred steps overfit a handful of pairs within seconds.
#pragma once

#include "reward/train_spec.h"

#include <string>

namespace rd::test {

inline reward::RmTrainSpec quickRmSpec(const std::string& out) {
    reward::RmTrainSpec s;
    s.preset = "rd-xs";
    s.out = out;
    s.name = out;
    s.withInstruction = false; // short prompts keep the test fast
    s.cot = reward::CotFormat::None;
    s.valFraction = 0.0;
    s.evalEvery = 0;
    s.checkpointEvery = 0;
    s.batch = 8;
    s.lr = 1e-3;
    s.warmupSteps = 10;
    // One thread, fixed: the learning checks then run the same bits on any machine under any load
    // (threads 0 follows the free cores, and another count rounds sums otherwise), and tiny
    // models lose nothing by it, while a second thread beside a busy neighbour waits at every
    // parallel region.
    s.threads = 1;
    return s;
}

} // namespace rd::test
