// `rdance bench synth`: ShapeWorld's speed (renders/s, oracle checks/s, at 64 and 256 px) and
// the oracle's agreement with the ground truth, clean and under blur and noise.
#pragma once

#include <nlohmann/json.hpp>

namespace rd::bench {

struct SynthBenchOptions {
    int renders = 2000;          // images rendered (and then checked) per size
    int agreementPrompts = 1000; // prompts per degradation in the robustness ladder
    int size = 64;               // the ladder's image size
};

nlohmann::json runSynthBench(const SynthBenchOptions& options);

} // namespace rd::bench
