#include "refl/best_of_n.h"

#include "common/error.h"
#include "diffusion/text_to_image.h"
#include "refl/image_reward.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace rd::refl {

WinRanking rankByWins(const std::vector<std::vector<double>>& p) {
    const size_t n = p.size();
    WinRanking r;
    r.wins.assign(n, 0);
    std::vector<double> margin(n, 0.0);
    for (size_t i = 0; i < n; ++i) {
        if (p[i].size() != n)
            throw Error(ErrorKind::InvalidArgument, "the comparison matrix must be square");
        for (size_t j = 0; j < n; ++j) {
            if (i == j)
                continue;
            ++r.wins[p[i][j] > 0.5 ? j : i];
            margin[j] += p[i][j];
            margin[i] -= p[i][j];
        }
    }
    r.order.resize(n);
    std::iota(r.order.begin(), r.order.end(), 0);
    std::stable_sort(r.order.begin(), r.order.end(), [&](int a, int b) {
        if (r.wins[a] != r.wins[b])
            return r.wins[a] > r.wins[b];
        return margin[a] > margin[b];
    });
    return r;
}

ReferenceSet selectReferences(diffusion::TextToImage& generator, ImageReward& reward,
                              const std::vector<std::string>& prompts,
                              const ReferenceOptions& options,
                              const std::function<void(int, int)>& progress) {
    if (!reward.needsReference())
        throw Error(ErrorKind::InvalidArgument,
                    "Best-of-N references are for a pairwise reward model (this one is " +
                        reward.paradigm() + ")");
    const int n = options.candidates;
    if (n < 2 || options.keep < 1 || options.keep > n)
        throw Error(ErrorKind::InvalidArgument,
                    "Best-of-N needs at least 2 candidates and 1 <= keep <= candidates");
    ReferenceSet set;
    set.prompts = prompts;
    std::vector<at::Tensor> kept;
    torch::NoGradGuard noGrad;
    for (size_t p = 0; p < prompts.size(); ++p) {
        std::vector<std::uint64_t> seeds;
        for (int j = 0; j < n; ++j)
            seeds.push_back(options.seed + p * static_cast<std::uint64_t>(n) + j);
        const at::Tensor samples = diffusion::sampleImages(
            generator.net(), generator.tokenize(std::vector<std::string>(n, prompts[p])),
            generator.noiseFor(seeds), options.sampling);
        // The round robin: every ordered pair, in batches.
        std::vector<std::pair<int, int>> matches;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                if (i != j)
                    matches.emplace_back(i, j);
        std::vector<std::vector<double>> pYes(n, std::vector<double>(n, 0.5));
        const size_t batch = static_cast<size_t>(std::max(1, options.batch));
        for (size_t first = 0; first < matches.size(); first += batch) {
            const size_t end = std::min(matches.size(), first + batch);
            std::vector<int64_t> refs, cands;
            for (size_t m = first; m < end; ++m) {
                refs.push_back(matches[m].first);
                cands.push_back(matches[m].second);
            }
            const at::Tensor scores = reward
                                          .score(samples.index_select(0, torch::tensor(cands)),
                                                 std::vector<std::string>(end - first, prompts[p]),
                                                 samples.index_select(0, torch::tensor(refs)))
                                          .to(torch::kCPU);
            for (size_t m = first; m < end; ++m)
                pYes[matches[m].first][matches[m].second] =
                    scores[static_cast<int64_t>(m - first)].item<double>();
        }
        const WinRanking ranking = rankByWins(pYes);
        std::vector<int64_t> chosen;
        for (int k = 0; k < options.keep; ++k)
            chosen.push_back(options.worst ? ranking.order[static_cast<size_t>(n - 1 - k)]
                                           : ranking.order[static_cast<size_t>(k)]);
        kept.push_back(samples.index_select(0, torch::tensor(chosen)));
        set.wins.push_back(ranking.wins);
        if (progress)
            progress(static_cast<int>(p + 1), static_cast<int>(prompts.size()));
    }
    set.images = torch::stack(kept);
    return set;
}

} // namespace rd::refl
