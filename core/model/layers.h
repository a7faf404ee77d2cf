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

// Scaled dot-product attention (LibTorch 1.13 has no fused kernel): q [B,H,T,D] against
// k, v [B,H,S,D]; causal masks query i from keys past the i-th position of the new tokens
// (the first S - T keys are the cache, all visible).
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, bool causal);

} // namespace rd::model
