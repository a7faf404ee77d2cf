#include "model/rope.h"

#include <torch/torch.h>

#include <cmath>

namespace rd::model {

std::pair<at::Tensor, at::Tensor> ropeTables(const LmConfig& c, int64_t first, int64_t count,
                                             int64_t totalLength,
                                             const at::TensorOptions& options) {
    const int64_t half = c.headDim / 2;
    const auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
    double base = c.ropeTheta;
    if (c.ropeScaling == RopeScaling::Dynamic && totalLength > c.originalMaxPositions) {
        // Dynamic NTK: below the original context this is plain RoPE.
        const double ratio =
            c.ropeFactor * totalLength / c.originalMaxPositions - (c.ropeFactor - 1);
        base *= std::pow(ratio, static_cast<double>(c.headDim) / (c.headDim - 2));
    }
    at::Tensor invFreq = 1.0 / torch::pow(base, torch::arange(0, c.headDim, 2, f64) /
                                                    static_cast<double>(c.headDim));
    double scale = 1.0;
    if (c.ropeScaling == RopeScaling::LongRope && !c.shortFactor.empty()) {
        const auto& factors = totalLength > c.originalMaxPositions ? c.longFactor : c.shortFactor;
        invFreq = invFreq / torch::tensor(factors, f64).slice(0, 0, half);
        if (c.ropeFactor > 1.0)
            scale = std::sqrt(1.0 + std::log(c.ropeFactor) / std::log(c.originalMaxPositions));
    }
    const at::Tensor positions = torch::arange(first, first + count, f64);
    const at::Tensor freqs = torch::outer(positions, invFreq);
    const at::Tensor emb = torch::cat({freqs, freqs}, -1);
    return {(emb.cos() * scale).to(options), (emb.sin() * scale).to(options)};
}

at::Tensor applyRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
    const int64_t half = x.size(-1) / 2;
    const at::Tensor rotated =
        torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1); // rotate_half
    return x * cos + rotated * sin;
}

} // namespace rd::model
