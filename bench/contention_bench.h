// `rdance bench contention`: how much one busy neighbour slows a reward-model training step on
// this machine. Times the rm-train step (rd-xs by default) alone, then beside a child process
// that spins on a core, and prints both and the slowdown; with the default thread count (one
// per free core) also the step beside the neighbour at the count picked with it there
// (compute/machine_load.h: one thread fewer) and that slowdown. The figure depends on the OpenMP
// wait policy (compute/process_setup.h): compare `rdance bench contention` (passive, the
// default) with `OMP_WAIT_POLICY=active rdance bench contention`.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rd::bench {

struct ContentionBenchOptions {
    std::string preset = "rd-xs";
    int pairs = 8;    // pairs per step (two rows each)
    int repeats = 10; // timed steps per phase (median)
    int rounds = 3;   // alternating quiet / busy phases (median slowdown)
    int threads = 0;  // 0: one per free core (and the backed-off phase)
};

nlohmann::json runContentionBench(const ContentionBenchOptions& options);

} // namespace rd::bench
