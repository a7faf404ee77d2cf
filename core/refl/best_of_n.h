// Best-of-N references for the pairwise RM (paper §3.3.1, Table 8): N samples of the SFT
// generator per prompt, a round robin of pairwise RM comparisons between them, win counts, and
// the top-k (or, for the ablation, the bottom-k) samples as the prompt's references.
//
// Usage:
//   WinRanking r = rankByWins(p);   // p[i][j] = P("yes": sample j beats reference i)
//   ReferenceSet refs = selectReferences(gen, reward, prompts, options);
#pragma once

#include "diffusion/guided_sampling.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <string>
#include <vector>

namespace rd::diffusion {
class TextToImage;
}

namespace rd::refl {

class ImageReward;

struct WinRanking {
    std::vector<int> wins;  // per sample
    std::vector<int> order; // sample indices, most wins first
};

// Every ordered pair (i != j) is one match with i as the reference and j as the candidate: j wins
// when p[i][j] > 0.5, else i wins. Equal wins are ordered by the summed P(yes) as candidate minus
// as reference, then by index.
WinRanking rankByWins(const std::vector<std::vector<double>>& p);

struct ReferenceOptions {
    int candidates = 4; // N
    int keep = 1;       // k
    bool worst = false; // bottom-k instead of top-k (Table 8's ablation)
    diffusion::SampleOptions sampling;
    std::uint64_t seed = 500000;
    int batch = 32;
};

struct ReferenceSet {
    std::vector<std::string> prompts;
    at::Tensor images;                  // [P, k, 3, S, S] in [-1, 1]
    std::vector<std::vector<int>> wins; // per prompt, per candidate
};

// progress(done, total) over prompts; may be empty.
ReferenceSet selectReferences(diffusion::TextToImage& generator, ImageReward& reward,
                              const std::vector<std::string>& prompts,
                              const ReferenceOptions& options,
                              const std::function<void(int, int)>& progress = {});

} // namespace rd::refl
