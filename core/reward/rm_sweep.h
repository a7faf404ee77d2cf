// `rdance rm sweep WS`: the paper's scaling and ablation tables on ShapeWorld, trained here.
// For each preset of the ladder: the grounding stage, then a pairwise generative RM from the
// grounded backbone, each for a fixed time budget; evaluated on the ID and OOD splits
// (Table 2: parameters against ID and OOD accuracy). Then, from the backbone of the preset with
// the best OOD accuracy and for the same budget: the regressive and pointwise generative
// paradigms and the pairwise RM without its reference image or its instruction (Table 7), and
// without chain-of-thought (Table 9). Reports what comes out, whatever it is; the tables are
// printed, written to OUT/sweep.json and OUT/tables.md, and stored as an "rm_sweep" run.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::reward {

struct SweepOptions {
    std::vector<std::string> presets = {"rd-xs", "rd-s", "rd-m", "rd-l"};
    double groundingMinutes = 10.0; // per preset
    double rewardMinutes = 20.0;    // per RM run
    bool ablations = true;
    std::string out = "models/sweep"; // relative to the workspace
    std::int64_t steps = 0;           // > 0: a fixed step count per run instead of the budgets
    int batch = 16;
    int groundingBatch = 32;
    double lr = 3e-4;
    std::uint64_t seed = 1;
    int threads = 0;
};

nlohmann::json runSweep(store::Workspace& workspace, const SweepOptions& options,
                        std::ostream* events);

} // namespace rd::reward
