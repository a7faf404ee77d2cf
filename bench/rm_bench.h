// `rdance bench rm`: reward-model scoring speed for each small preset (pairs/s, achieved GFLOP/s
// against this machine's matmul peak, ratio against the Python reference on the same weights and
// thread count) and the speedup of prefix sharing for 16 candidates against one reference.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rd::bench {

struct RmBenchOptions {
    std::vector<std::string> presets = {"rd-xs", "rd-s", "rd-m", "rd-l"};
    int batch = 8;   // pairs per forward
    int repeats = 2; // timed batches per turn (median)
    int rounds = 15; // alternating C++ / Python turns per preset (median ratio)
    int threads = 0; // 0: one per core, for both C++ and Python
    std::string python = "/usr/bin/python3";
    std::string scriptDir; // bench/python; empty: the source tree's
};

nlohmann::json runRmBench(const RmBenchOptions& options);

} // namespace rd::bench
