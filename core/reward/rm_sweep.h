// `rdance rm sweep WS`: the paper's scaling and ablation tables on ShapeWorld, trained here.
// For each preset of the ladder, the recipe that worked best on this machine
// (docs/RM_TRAINING.md), each step for a fixed time budget:
//   1. grounding on the scene stream (grounding_stream.h): questions answered in words, the
//      relations as a chain of places;
//   2. a pointwise generative RM from the grounded backbone (judging one image, with each
//      image's checklist as its chain-of-thought);
//   3. the pairwise generative RM from that pointwise RM (learning to compare, each image's
//      checklist verdict before the comparison), trained on the decision-first answer,
// evaluated on the ID and OOD splits (Table 2: parameters against ID and OOD accuracy). Then,
// for the preset with the best OOD accuracy: the regressive paradigm from its grounded backbone
// beside its pointwise and pairwise RMs (Table 7), and the pairwise RM without its reference
// image, its instruction (Table 7), with no chain-of-thought, reasoning-first or both formats
// (Table 9), each from the same pointwise RM. The minutes reported for a pairwise RM include the
// pointwise RM it started from. Reports what comes out, whatever it is; the tables are printed,
// written to OUT/sweep.json and OUT/tables.md, and stored as an "rm_sweep" run.
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
    double groundingMinutes = 20.0; // per preset
    double rewardMinutes = 20.0;    // per RM run
    bool ablations = true;
    std::string out = "models/sweep"; // relative to the workspace
    std::int64_t steps = 0;           // > 0: a fixed step count per run instead of the budgets
    int batch = 16;
    int groundingBatch = 64; // scenes per grounding step (one question each)
    double lr = 3e-4;
    std::uint64_t seed = 1;
    int threads = 0;
};

nlohmann::json runSweep(store::Workspace& workspace, const SweepOptions& options,
                        std::ostream* events);

} // namespace rd::reward
