#include "refl/path_search.h"

#include "common/error.h"
#include "diffusion/flow_matching.h"
#include "diffusion/text_to_image.h"
#include "jobs/unit_stream.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>

namespace rd::refl {
using namespace rd::diffusion;

namespace {

// The noise for branch b of path p at pruning k, from the search's seed alone.
at::Tensor branchNoise(const at::Tensor& like, std::uint64_t seed) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    return torch::randn(like.sizes(), generator, torch::TensorOptions(torch::kFloat32))
        .to(like.device());
}

} // namespace

SearchResult searchOverPaths(TextToImage& generator, const std::string& prompt,
                             const Verifier& verifier, const SearchOptions& options) {
    if (options.paths < 1 || options.branches < 1 || options.interval < 1 ||
        options.renoise <= 0.0 || options.renoise >= 1.0)
        throw Error(ErrorKind::InvalidArgument,
                    "search needs paths, branches, interval >= 1 and 0 < renoise < 1");
    torch::NoGradGuard noGrad;
    generator.net()->eval();
    const int n = options.paths;
    const int steps = options.sampling.steps;
    const std::vector<double> grid = timeGrid(steps);
    const double dt = 1.0 / steps;
    std::vector<std::uint64_t> seeds;
    for (int i = 0; i < n; ++i)
        seeds.push_back(options.seed + static_cast<std::uint64_t>(i));
    const at::Tensor noise = generator.noiseFor(seeds);
    const at::Tensor tokens = generator.tokenize(std::vector<std::string>(n, prompt));
    const VelocityFn velocity = guidedVelocity(generator.net(), tokens, options.sampling.guidance);
    // The branches of one pruning are scored together: a velocity for K rows of the prompt.
    auto velocityFor = [&](int64_t rows) {
        return guidedVelocity(generator.net(),
                              generator.tokenize(std::vector<std::string>(rows, prompt)),
                              options.sampling.guidance);
    };
    SearchResult result;
    auto score = [&](const at::Tensor& images) {
        result.verifierCalls += static_cast<int>(images.size(0));
        return verifier(images).to(torch::kCPU, torch::kDouble);
    };

    // The plain paths: N independent samples (Best-of-N by the verifier).
    const at::Tensor plain =
        integrate(velocity, noise, grid, options.sampling.sampler).clamp(-1, 1);
    const at::Tensor plainScores = score(plain);
    result.firstPathScore = plainScores[0].item<double>();
    result.firstPathImage = plain[0];
    const int64_t bestPlain = plainScores.argmax().item<int64_t>();
    result.bestInitialScore = plainScores[bestPlain].item<double>();
    result.bestInitialImage = plain[bestPlain];
    result.image = plain[bestPlain];
    result.score = result.bestInitialScore;

    // The searched paths start from the same noise.
    at::Tensor x = noise;
    int pruning = 0;
    for (int i = 0; i < steps; ++i) {
        x = step(velocity, x, grid[i], grid[i + 1], options.sampling.sampler);
        const double t = grid[i + 1];
        if ((i + 1) % options.interval != 0 || i + 1 == steps || options.branches == 1)
            continue;
        // Branch: re-noise each path's clean estimate up to t + renoise, sample back down to t.
        const VelocityFn here = velocityFor(x.size(0));
        const at::Tensor clean = predictClean(x, t, here(x, torch::full({x.size(0)}, t)));
        const double up = std::min(1.0, t + options.renoise);
        const int backSteps = std::max(1, static_cast<int>(std::lround((up - t) / dt)));
        std::vector<at::Tensor> pool{x};
        for (int b = 1; b < options.branches; ++b) {
            const std::uint64_t seed = jobs::mixSeed(options.seed * 7919 + pruning * 131 + b);
            const at::Tensor renoised = renoise(clean, branchNoise(clean, seed), up);
            pool.push_back(
                integrate(here, renoised, timeGrid(backSteps, up, t), options.sampling.sampler));
        }
        const at::Tensor candidates = torch::cat(pool);
        const VelocityFn all = velocityFor(candidates.size(0));
        const at::Tensor estimates =
            predictClean(candidates, t, all(candidates, torch::full({candidates.size(0)}, t)))
                .clamp(-1, 1);
        const at::Tensor keep = std::get<1>(score(estimates).topk(n));
        x = candidates.index_select(0, keep.to(candidates.device()));
        ++pruning;
    }
    const at::Tensor finals = x.clamp(-1, 1);
    const at::Tensor finalScores = score(finals);
    const int64_t best = finalScores.argmax().item<int64_t>();
    if (finalScores[best].item<double>() > result.score) {
        result.score = finalScores[best].item<double>();
        result.image = finals[best];
        result.fromSearch = true;
    }
    return result;
}

} // namespace rd::refl
