// The InternViT-style vision encoder (INTERNVL2.md §1): patch embedding, class token, position
// embedding, pre-norm transformer layers with layer scale (LayerNorm or RMSNorm, optional
// QK-norm), the output of a chosen layer. Module and parameter names match the Hugging Face
// checkpoints below `vision_model.`.
#pragma once

#include "model/layers.h"
#include "model/model_config.h"

#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

namespace rd::model {

class VisionAttentionImpl : public torch::nn::Module {
public:
    explicit VisionAttentionImpl(const VisionConfig& config);
    at::Tensor forward(const at::Tensor& x);

private:
    int m_heads;
    torch::nn::Linear m_qkv{nullptr}, m_proj{nullptr};
    RmsNorm m_qNorm{nullptr}, m_kNorm{nullptr};
};
TORCH_MODULE(VisionAttention);

class VisionLayerImpl : public torch::nn::Module {
public:
    explicit VisionLayerImpl(const VisionConfig& config);
    at::Tensor forward(const at::Tensor& x);

private:
    torch::nn::AnyModule m_norm1, m_norm2;
    VisionAttention m_attn{nullptr};
    torch::nn::Linear m_fc1{nullptr}, m_fc2{nullptr};
    at::Tensor m_ls1, m_ls2;
};
TORCH_MODULE(VisionLayer);

class VisionEncoderImpl : public torch::nn::Module {
public:
    VisionEncoderImpl(const VisionConfig& config, int layersUsed);
    // pixels [N, 3, S, S] -> [N, 1 + patches, hidden] after `layersUsed` layers.
    at::Tensor forward(const at::Tensor& pixels);

private:
    VisionConfig m_config;
    int m_layersUsed;
    std::shared_ptr<torch::nn::Module> m_embeddings;
    torch::nn::Conv2d m_patch{nullptr};    // the patch embedding, or
    torch::nn::ModuleList m_stem{nullptr}; // the convolutional stem (VisionConfig::convStem)
    at::Tensor m_class, m_position;
    torch::nn::ModuleList m_layers;
};
TORCH_MODULE(VisionEncoder);

// Pixel shuffle v2 with scale 0.5 (INTERNVL2.md §1): [N, g, g, C] -> [N, g/2 * g/2, 4C], block
// (I, J) holding x(2I,2J), x(2I,2J+1), x(2I+1,2J), x(2I+1,2J+1).
at::Tensor pixelShuffle(const at::Tensor& x, double scale);

} // namespace rd::model
