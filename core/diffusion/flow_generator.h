// The generator network: a prompt encoder (token embeddings + a small bidirectional transformer)
// and a DiT over 8 px patches that predicts the flow-matching velocity. Conditioning follows DiT
// (adaLN-Zero from the timestep and the pooled prompt) and single-stream MMDiT (the prompt's
// tokens join the image tokens in every block's attention), so colours bind to their shapes.
//
// Usage:
//   FlowGenerator net(config);
//   PromptEncoding p = net->encodePrompts(tokens);        // tokens [B, L], padded with padToken
//   at::Tensor v = net->velocity(x, t, p);                // x [B, 3, S, S] in [-1, 1], t [B]
#pragma once

#include "diffusion/generator_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace rd::diffusion {

struct PromptEncoding {
    at::Tensor tokens; // [B, L, width] the encoder's output
    at::Tensor padded; // [B, L] true at padding
    at::Tensor pooled; // [B, width] mean over the real tokens

    // Rows `index` of every tensor (for splitting or repeating a batch).
    PromptEncoding select(const at::Tensor& index) const;
    // Two encodings of the same token length stacked along the batch.
    static PromptEncoding concat(const PromptEncoding& a, const PromptEncoding& b);
};

// One pre-norm transformer block whose norms are modulated by a conditioning vector (adaLN-Zero:
// the modulation starts at zero, so each block starts as the identity).
class ModulatedBlockImpl : public torch::nn::Module {
public:
    ModulatedBlockImpl(int width, int heads, int mlpRatio, bool modulated);
    // x [B, T, width]; padded [B, T] true where keys are padding; cond [B, width] or undefined.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& padded, const at::Tensor& cond);

private:
    int m_heads;
    torch::nn::LayerNorm m_norm1{nullptr}, m_norm2{nullptr};
    torch::nn::Linear m_qkv{nullptr}, m_out{nullptr}, m_up{nullptr}, m_down{nullptr};
    torch::nn::Linear m_modulation{nullptr}; // cond -> 6 x width, only when modulated
};
TORCH_MODULE(ModulatedBlock);

class FlowGeneratorImpl : public torch::nn::Module {
public:
    explicit FlowGeneratorImpl(const GeneratorConfig& config);

    PromptEncoding encodePrompts(const at::Tensor& tokens);
    // The velocity d x_t / d t of the path x_t = (1 - t) x0 + t noise (so noise - x0).
    at::Tensor velocity(const at::Tensor& x, const at::Tensor& t, const PromptEncoding& prompt);
    const GeneratorConfig& config() const { return m_config; }
    int64_t parameterCount() const;

private:
    at::Tensor patchify(const at::Tensor& images) const;    // [B,3,S,S] -> [B, N, 3 p p]
    at::Tensor unpatchify(const at::Tensor& patches) const; // the inverse

    GeneratorConfig m_config;
    torch::nn::Embedding m_tokenEmbedding{nullptr};
    at::Tensor m_textPosition, m_imagePosition;
    std::vector<ModulatedBlock> m_textBlocks, m_blocks;
    torch::nn::LayerNorm m_textNorm{nullptr};
    torch::nn::Linear m_patchIn{nullptr}, m_time1{nullptr}, m_time2{nullptr}, m_pooledIn{nullptr};
    torch::nn::LayerNorm m_finalNorm{nullptr};
    torch::nn::Linear m_finalModulation{nullptr}, m_patchOut{nullptr};
};
TORCH_MODULE(FlowGenerator);

} // namespace rd::diffusion
