// `rdance bench rm-train`: training throughput of the C++ RM trainer's step (pairwise generative:
// both orders of each pair, images encoded once, CE over the answer tokens, clipping, AdamW)
// against the same step in PyTorch (bench/python/rm_train_bench.py) on the same weights, batch
// and thread count, per preset; examples (pairs) per second and the ratio.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rd::bench {

struct RmTrainBenchOptions {
    std::vector<std::string> presets = {"rd-xs", "rd-s", "rd-m"};
    int pairs = 8;   // pairs per step (two rows each)
    int repeats = 5; // timed steps per round (median)
    int rounds = 3;  // alternating C++ / Python rounds (median ratio)
    int threads = 0; // 0: one per core
    std::string python = "/usr/bin/python3";
    std::string scriptDir;
};

nlohmann::json runRmTrainBench(const RmTrainBenchOptions& options);

} // namespace rd::bench
