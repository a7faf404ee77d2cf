// Building blocks shared by the vision encoder and the language model.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace rd::model {

// RMSNorm as InternViT-6B and the decoders compute it: in float32, cast back, times weight.
class RmsNormImpl : public torch::nn::Module {
public:
    RmsNormImpl(int64_t width, double eps);
    at::Tensor forward(const at::Tensor& x);

private:
    at::Tensor m_weight;
    double m_eps;
};
TORCH_MODULE(RmsNorm);

// The causal mask of T new tokens after S - T cached ones: true where query i must not see
// key j (the cached keys are all visible). Built once per forward, shared by every layer.
at::Tensor causalMask(int64_t newTokens, int64_t totalTokens, const c10::Device& device);

// Scaled dot-product attention (LibTorch 1.13 has no fused kernel): q [B,H,T,D] against
// k, v [B,KV,S,D] with H a multiple of KV (grouped-query attention: query head h reads KV
// head h / (H / KV)); mask [T,S] from causalMask, [B,1,1,S] (per-row, for a single query
// per row), or undefined for full attention.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const at::Tensor& mask);

} // namespace rd::model
