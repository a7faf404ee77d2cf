// Search over Paths (paper §3.3.2, after Ma et al.'s inference-time scaling for diffusion
// models): N trajectories start from different noise; every `interval` ODE steps each kept path
// branches - its clean estimate is re-noised to a slightly earlier (noisier) time and re-sampled
// back down - and the verifier, scoring clean estimates, prunes the branches back to the best N.
// The N unsearched paths are also run to the end (plain Best-of-N), so the result is never
// worse, by the verifier, than the best of its initial paths, and the gain can be read off.
//
// Usage:
//   Verifier v = [&](const at::Tensor& images) { return reward.score(images, prompts(n)); };
//   SearchResult r = searchOverPaths(gen, "two red circles", v, options);
#pragma once

#include "diffusion/guided_sampling.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <string>

namespace rd::diffusion {
class TextToImage;
}

namespace rd::refl {

// Scores for clean images [K, 3, S, S] in [-1, 1] -> [K] (higher is better), without gradients.
using Verifier = std::function<at::Tensor(const at::Tensor& images)>;

struct SearchOptions {
    int paths = 4;        // N
    int branches = 2;     // per kept path at each pruning (the path itself included)
    int interval = 5;     // ODE steps between prunings
    double renoise = 0.1; // how far back up the path a branch is re-noised (in t)
    diffusion::SampleOptions sampling;
    std::uint64_t seed = 1;
};

struct SearchResult {
    at::Tensor image;              // [3, S, S], the best by the verifier
    double score = 0.0;            // its verifier score
    double bestInitialScore = 0.0; // the best of the N plain (unsearched) paths: Best-of-N
    at::Tensor bestInitialImage;
    double firstPathScore = 0.0; // the plain path from the first noise: one sample, no search
    at::Tensor firstPathImage;
    bool fromSearch = false; // false: a plain path won
    int verifierCalls = 0;   // images scored
};

SearchResult searchOverPaths(diffusion::TextToImage& generator, const std::string& prompt,
                             const Verifier& verifier, const SearchOptions& options);

} // namespace rd::refl
