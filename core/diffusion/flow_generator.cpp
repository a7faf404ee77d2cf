#include "diffusion/flow_generator.h"

#include "common/error.h"

#include <torch/torch.h>

#include <cmath>

namespace rd::diffusion {

namespace F = torch::nn::functional;

namespace {

// x * (1 + scale) + shift, per row of the batch.
at::Tensor modulate(const at::Tensor& x, const at::Tensor& shift, const at::Tensor& scale) {
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1);
}

// Sinusoidal features of t in [0, 1] (scaled by 1000 as DiT's integer timesteps are).
at::Tensor timestepFeatures(const at::Tensor& t, int64_t dims) {
    const int64_t half = dims / 2;
    const at::Tensor freqs = torch::exp(
        -std::log(10000.0) * torch::arange(half, t.options().dtype(torch::kFloat32)) / half);
    const at::Tensor args = (t.to(torch::kFloat32) * 1000.0).unsqueeze(1) * freqs.unsqueeze(0);
    return torch::cat({torch::cos(args), torch::sin(args)}, 1);
}

// Fixed 2-D sine-cosine positions of an n x n patch grid (DiT's), [n * n, width].
at::Tensor gridPositions(int64_t n, int64_t width) {
    const int64_t quarter = width / 4;
    const at::Tensor freqs =
        1.0 / torch::pow(10000.0, torch::arange(quarter, torch::kFloat32) / quarter);
    const at::Tensor coords = torch::arange(n, torch::kFloat32);
    const at::Tensor ys = coords.repeat_interleave(n).unsqueeze(1) * freqs;
    const at::Tensor xs = coords.repeat({n}).unsqueeze(1) * freqs;
    at::Tensor pos =
        torch::cat({torch::sin(ys), torch::cos(ys), torch::sin(xs), torch::cos(xs)}, 1);
    if (pos.size(1) < width) // width not a multiple of 4: pad with zeros
        pos = F::pad(pos, F::PadFuncOptions({0, width - pos.size(1)}));
    return pos;
}

} // namespace

PromptEncoding PromptEncoding::select(const at::Tensor& index) const {
    return {tokens.index_select(0, index), padded.index_select(0, index),
            pooled.index_select(0, index)};
}

PromptEncoding PromptEncoding::concat(const PromptEncoding& a, const PromptEncoding& b) {
    if (a.tokens.size(1) != b.tokens.size(1))
        throw Error(ErrorKind::InvalidArgument, "prompt encodings of different lengths");
    return {torch::cat({a.tokens, b.tokens}), torch::cat({a.padded, b.padded}),
            torch::cat({a.pooled, b.pooled})};
}

ModulatedBlockImpl::ModulatedBlockImpl(int width, int heads, int mlpRatio, bool modulated)
    : m_heads(heads) {
    // Modulated blocks take their norms' affine part from the conditioning instead.
    auto norm = [&] {
        return torch::nn::LayerNorm(
            torch::nn::LayerNormOptions({width}).elementwise_affine(!modulated).eps(1e-6));
    };
    m_norm1 = register_module("norm1", norm());
    m_norm2 = register_module("norm2", norm());
    m_qkv = register_module("qkv", torch::nn::Linear(width, 3 * width));
    m_out = register_module("out", torch::nn::Linear(width, width));
    m_up = register_module("up", torch::nn::Linear(width, mlpRatio * width));
    m_down = register_module("down", torch::nn::Linear(mlpRatio * width, width));
    if (modulated) {
        m_modulation = register_module("modulation", torch::nn::Linear(width, 6 * width));
        torch::NoGradGuard noGrad;
        m_modulation->weight.zero_();
        m_modulation->bias.zero_();
    }
}

at::Tensor ModulatedBlockImpl::forward(const at::Tensor& x, const at::Tensor& padded,
                                       const at::Tensor& cond) {
    const int64_t b = x.size(0), t = x.size(1), width = x.size(2);
    const int64_t headWidth = width / m_heads;
    std::vector<at::Tensor> mod;
    if (m_modulation)
        mod = m_modulation->forward(F::silu(cond)).chunk(6, 1);

    at::Tensor h = m_norm1->forward(x);
    if (m_modulation)
        h = modulate(h, mod[0], mod[1]);
    const auto qkv = m_qkv->forward(h).view({b, t, 3, m_heads, headWidth}).permute({2, 0, 3, 1, 4});
    at::Tensor scores =
        torch::matmul(qkv[0], qkv[1].transpose(-2, -1)) * (1.0 / std::sqrt(double(headWidth)));
    scores = scores.masked_fill(padded.view({b, 1, 1, t}), -1e9);
    at::Tensor attended = torch::matmul(torch::softmax(scores, -1), qkv[2]);
    attended = m_out->forward(attended.transpose(1, 2).reshape({b, t, width}));
    at::Tensor y = x + (m_modulation ? mod[2].unsqueeze(1) * attended : attended);

    h = m_norm2->forward(y);
    if (m_modulation)
        h = modulate(h, mod[3], mod[4]);
    h = m_down->forward(F::gelu(m_up->forward(h), F::GELUFuncOptions().approximate("tanh")));
    return y + (m_modulation ? mod[5].unsqueeze(1) * h : h);
}

FlowGeneratorImpl::FlowGeneratorImpl(const GeneratorConfig& config) : m_config(config) {
    validate(config, "generator config");
    const int w = config.width;
    const int p = config.patchSize;
    m_tokenEmbedding =
        register_module("token_embedding", torch::nn::Embedding(config.vocabSize + 2, w));
    m_textPosition =
        register_parameter("text_position", torch::randn({config.maxPromptTokens, w}) * 0.02);
    m_imagePosition = register_buffer("image_position", gridPositions(config.patchesPerSide(), w));
    for (int i = 0; i < config.textLayers; ++i)
        m_textBlocks.push_back(
            register_module("text_block" + std::to_string(i),
                            ModulatedBlock(w, config.heads, config.mlpRatio, false)));
    m_textNorm =
        register_module("text_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({w})));
    m_patchIn = register_module("patch_in", torch::nn::Linear(3 * p * p, w));
    m_time1 = register_module("time1", torch::nn::Linear(256, w));
    m_time2 = register_module("time2", torch::nn::Linear(w, w));
    m_pooledIn = register_module("pooled_in", torch::nn::Linear(w, w));
    for (int i = 0; i < config.depth; ++i)
        m_blocks.push_back(register_module("block" + std::to_string(i),
                                           ModulatedBlock(w, config.heads, config.mlpRatio, true)));
    m_finalNorm = register_module(
        "final_norm",
        torch::nn::LayerNorm(torch::nn::LayerNormOptions({w}).elementwise_affine(false)));
    m_finalModulation = register_module("final_modulation", torch::nn::Linear(w, 2 * w));
    m_patchOut = register_module("patch_out", torch::nn::Linear(w, 3 * p * p));
    // adaLN-Zero: the network starts by predicting zero velocity.
    torch::NoGradGuard noGrad;
    for (auto* layer : {&m_finalModulation, &m_patchOut}) {
        (*layer)->weight.zero_();
        (*layer)->bias.zero_();
    }
}

PromptEncoding FlowGeneratorImpl::encodePrompts(const at::Tensor& tokens) {
    if (tokens.dim() != 2 || tokens.size(1) > m_config.maxPromptTokens)
        throw Error(ErrorKind::InvalidArgument, "prompt tokens must be [batch, <= " +
                                                    std::to_string(m_config.maxPromptTokens) + "]");
    PromptEncoding e;
    e.padded = tokens.eq(m_config.padToken());
    at::Tensor x =
        m_tokenEmbedding->forward(tokens) + m_textPosition.slice(0, 0, tokens.size(1)).unsqueeze(0);
    for (auto& block : m_textBlocks)
        x = block->forward(x, e.padded, at::Tensor());
    e.tokens = m_textNorm->forward(x);
    const at::Tensor real = (~e.padded).to(e.tokens.scalar_type()).unsqueeze(-1);
    e.pooled = (e.tokens * real).sum(1) / real.sum(1).clamp_min(1.0);
    return e;
}

at::Tensor FlowGeneratorImpl::patchify(const at::Tensor& images) const {
    const int64_t b = images.size(0), p = m_config.patchSize, n = m_config.patchesPerSide();
    return images.reshape({b, 3, n, p, n, p})
        .permute({0, 2, 4, 1, 3, 5})
        .reshape({b, n * n, 3 * p * p});
}

at::Tensor FlowGeneratorImpl::unpatchify(const at::Tensor& patches) const {
    const int64_t b = patches.size(0), p = m_config.patchSize, n = m_config.patchesPerSide();
    return patches.reshape({b, n, n, 3, p, p})
        .permute({0, 3, 1, 4, 2, 5})
        .reshape({b, 3, n * p, n * p});
}

at::Tensor FlowGeneratorImpl::velocity(const at::Tensor& x, const at::Tensor& t,
                                       const PromptEncoding& prompt) {
    const int64_t s = m_config.imageSize;
    if (x.dim() != 4 || x.size(1) != 3 || x.size(2) != s || x.size(3) != s)
        throw Error(ErrorKind::InvalidArgument, "the generator takes [batch, 3, " +
                                                    std::to_string(s) + ", " + std::to_string(s) +
                                                    "] images");
    const int64_t b = x.size(0);
    const at::Tensor cond =
        m_time2->forward(F::silu(m_time1->forward(timestepFeatures(t.expand({b}), 256)))) +
        m_pooledIn->forward(prompt.pooled);
    const at::Tensor image = m_patchIn->forward(patchify(x)) + m_imagePosition.unsqueeze(0);
    const int64_t textLength = prompt.tokens.size(1);
    at::Tensor h = torch::cat({prompt.tokens, image}, 1);
    const at::Tensor padded =
        torch::cat({prompt.padded, torch::zeros({b, image.size(1)}, prompt.padded.options())}, 1);
    for (auto& block : m_blocks)
        h = block->forward(h, padded, cond);
    const auto mod = m_finalModulation->forward(F::silu(cond)).chunk(2, 1);
    h = modulate(m_finalNorm->forward(h.slice(1, textLength)), mod[0], mod[1]);
    return unpatchify(m_patchOut->forward(h));
}

int64_t FlowGeneratorImpl::parameterCount() const {
    int64_t n = 0;
    for (const auto& p : parameters())
        n += p.numel();
    return n;
}

} // namespace rd::diffusion
