#include "model/layers.h"

#include <torch/torch.h>

#include <cmath>

namespace rd::model {

RmsNormImpl::RmsNormImpl(int64_t width, double eps) : m_eps(eps) {
    m_weight = register_parameter("weight", torch::ones({width}));
}

at::Tensor RmsNormImpl::forward(const at::Tensor& x) {
    const bool isFloat = x.scalar_type() == torch::kFloat32;
    const at::Tensor h = isFloat ? x : x.to(torch::kFloat32);
    const at::Tensor normed = h * torch::rsqrt(h.square().mean(-1, /*keepdim=*/true) + m_eps);
    return m_weight * (isFloat ? normed : normed.to(x.scalar_type()));
}

at::Tensor causalMask(int64_t newTokens, int64_t totalTokens, const c10::Device& device) {
    // Query i (absolute position total - new + i) sees keys 0 .. total - new + i.
    return torch::ones({newTokens, totalTokens}, torch::TensorOptions(torch::kBool).device(device))
        .triu(totalTokens - newTokens + 1);
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const at::Tensor& mask) {
    const int64_t b = q.size(0), heads = q.size(1), t = q.size(2), d = q.size(3);
    const int64_t kvHeads = k.size(1), groups = heads / kvHeads;
    // Grouped-query attention without copying K and V per query head: the G query heads that
    // read one KV head are stacked along the time axis, [B, KV, G*T, D] against [B, KV, S, D].
    const int64_t s = k.size(2);
    const at::Tensor grouped = q.reshape({b * kvHeads, groups * t, d});
    // baddbmm scales inside the product: no separate pass over q or the scores.
    at::Tensor scores =
        torch::baddbmm(torch::empty({b * kvHeads, groups * t, s}, q.options()), grouped,
                       k.reshape({b * kvHeads, s, d}).transpose(1, 2), /*beta=*/0.0,
                       /*alpha=*/1.0 / std::sqrt(static_cast<double>(d)))
            .view({b, kvHeads, groups * t, s});
    if (mask.defined() && mask.dim() == 4) {
        scores.masked_fill_(mask, -std::numeric_limits<float>::infinity()); // broadcast per row
    } else if (mask.defined() && t > 1) {
        const at::Tensor full = groups > 1 ? mask.repeat({groups, 1}) : mask;
        scores.masked_fill_(full, -std::numeric_limits<float>::infinity());
    }
    at::Tensor weights = scores.scalar_type() == torch::kFloat32
                             ? torch::softmax(scores, -1)
                             : torch::softmax(scores, -1, torch::kFloat32).to(q.scalar_type());
    return torch::matmul(weights, v).view({b, heads, t, d});
}

} // namespace rd::model
