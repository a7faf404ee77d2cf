// The decoder language model (INTERNVL2.md §2) in one layout: RMSNorm, RoPE, grouped-query
// attention (optional q/k/v biases), SwiGLU MLP, KV cache. Module names follow Qwen2's Hugging
// Face names below `language_model.`; InternLM2 and Phi-3 checkpoints are mapped onto them
// (packed wqkv / qkv_proj / gate_up_proj split at load time, see hf_names.h).
#pragma once

#include "model/fused_linears.h"
#include "model/kv_cache.h"
#include "model/layers.h"
#include "model/model_config.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

#include <memory>

namespace rd::model {

class DecoderLayerImpl : public torch::nn::Module {
public:
    explicit DecoderLayerImpl(const LmConfig& config);
    // x [B, T, d]; keys/values of earlier tokens come from and go back to the cache slots.
    // mask: causalMask(T, cached + T). With readAt ([B] positions among the T new tokens) the
    // cache still takes every key and value, but only those positions come out: [B, 1, d].
    at::Tensor forward(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                       const at::Tensor& mask, at::Tensor& cachedKeys, at::Tensor& cachedValues,
                       const at::Tensor& readAt = {});

private:
    // Output projection and MLP after attention, both with their residuals.
    at::Tensor finish(const at::Tensor& residual, const at::Tensor& attended);

    LmConfig m_config;
    RmsNorm m_inputNorm{nullptr}, m_postNorm{nullptr};
    torch::nn::Linear m_q{nullptr}, m_k{nullptr}, m_v{nullptr}, m_o{nullptr};
    torch::nn::Linear m_gate{nullptr}, m_up{nullptr}, m_down{nullptr};
    std::unique_ptr<FusedLinears> m_qkv, m_gateUp; // the same weights, one GEMM when frozen
};
TORCH_MODULE(DecoderLayer);

class DecoderLmImpl : public torch::nn::Module {
public:
    explicit DecoderLmImpl(const LmConfig& config);

    at::Tensor embed(const at::Tensor& ids);
    // inputs [B, T, d] (token embeddings, image features already placed) -> final-norm hidden
    // states [B, T, d]. With a cache, positions continue after the cached tokens and the cache
    // grows by T. readAt ([B] positions among the T inputs) returns only those: [B, 1, d], and
    // the last layer computes nothing else (scoring reads one answer token per row).
    at::Tensor forward(const at::Tensor& inputs, KvCache* cache, const at::Tensor& readAt = {});
    at::Tensor logits(const at::Tensor& hidden);
    const LmConfig& config() const { return m_config; }

private:
    LmConfig m_config;
    torch::nn::Embedding m_embed{nullptr};
    torch::nn::ModuleList m_layers;
    RmsNorm m_norm{nullptr};
    torch::nn::Linear m_head{nullptr};
};
TORCH_MODULE(DecoderLm);

} // namespace rd::model
