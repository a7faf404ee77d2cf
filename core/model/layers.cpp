#include "model/layers.h"

#include <torch/torch.h>

#include <cmath>

namespace rd::model {

RmsNormImpl::RmsNormImpl(int64_t width, double eps) : m_eps(eps) {
    m_weight = register_parameter("weight", torch::ones({width}));
}

at::Tensor RmsNormImpl::forward(const at::Tensor& x) {
    at::Tensor h = x.to(torch::kFloat32);
    h = h * torch::rsqrt(h.pow(2).mean(-1, /*keepdim=*/true) + m_eps);
    return m_weight * h.to(x.scalar_type());
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, bool causal) {
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    at::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) * scale;
    if (causal && q.size(2) > 1) {
        const int64_t t = q.size(2), s = k.size(2);
        // Query i (absolute position s - t + i) sees keys 0 .. s - t + i.
        const at::Tensor mask =
            torch::ones({t, s}, torch::TensorOptions().dtype(torch::kBool).device(q.device()))
                .triu(s - t + 1);
        scores = scores.masked_fill(mask, -std::numeric_limits<float>::infinity());
    }
    const at::Tensor weights = torch::softmax(scores.to(torch::kFloat32), -1).to(q.scalar_type());
    return torch::matmul(weights, v);
}

} // namespace rd::model
