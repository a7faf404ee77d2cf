#include "model/vision_encoder.h"

#include "model/parameter_shapes.h"

#include <torch/torch.h>

#include <cmath>

namespace rd::model {

namespace {

torch::nn::AnyModule makeNorm(const VisionConfig& c) {
    if (c.norm == NormKind::RmsNorm)
        return torch::nn::AnyModule(RmsNorm(c.hidden, c.normEps));
    return torch::nn::AnyModule(
        torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden}).eps(c.normEps)));
}

} // namespace

VisionAttentionImpl::VisionAttentionImpl(const VisionConfig& c) : m_heads(c.heads) {
    m_qkv = register_module(
        "qkv", torch::nn::Linear(torch::nn::LinearOptions(c.hidden, 3 * c.hidden).bias(c.qkvBias)));
    m_proj = register_module("proj", torch::nn::Linear(c.hidden, c.hidden));
    if (c.qkNorm) {
        m_qNorm = register_module("q_norm", RmsNorm(c.hidden, c.normEps));
        m_kNorm = register_module("k_norm", RmsNorm(c.hidden, c.normEps));
    }
}

at::Tensor VisionAttentionImpl::forward(const at::Tensor& x) {
    const int64_t b = x.size(0), n = x.size(1), c = x.size(2), d = c / m_heads;
    const at::Tensor qkv = m_qkv(x).reshape({b, n, 3, m_heads, d}).permute({2, 0, 3, 1, 4});
    at::Tensor q = qkv[0], k = qkv[1], v = qkv[2];
    if (m_qNorm) { // normalised over all heads together (the full width C)
        q = m_qNorm(q.transpose(1, 2).flatten(-2, -1)).view({b, n, m_heads, d}).transpose(1, 2);
        k = m_kNorm(k.transpose(1, 2).flatten(-2, -1)).view({b, n, m_heads, d}).transpose(1, 2);
    }
    const at::Tensor out = attention(q, k, v, /*mask=*/at::Tensor());
    return m_proj(out.transpose(1, 2).reshape({b, n, c}));
}

VisionLayerImpl::VisionLayerImpl(const VisionConfig& c) {
    m_norm1 = makeNorm(c);
    m_norm2 = makeNorm(c);
    register_module("norm1", m_norm1.ptr());
    register_module("norm2", m_norm2.ptr());
    m_attn = register_module("attn", VisionAttention(c));
    auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
    m_fc1 = mlp->register_module("fc1", torch::nn::Linear(c.hidden, c.mlpHidden));
    m_fc2 = mlp->register_module("fc2", torch::nn::Linear(c.mlpHidden, c.hidden));
    // Layer scale starts at 1 for training from scratch (checkpoints overwrite it).
    m_ls1 = register_parameter("ls1", torch::ones({c.hidden}));
    m_ls2 = register_parameter("ls2", torch::ones({c.hidden}));
}

at::Tensor VisionLayerImpl::forward(const at::Tensor& x) {
    // addcmul: the layer scale and the residual in one pass over the activations.
    const at::Tensor h = torch::addcmul(x, m_ls1, m_attn(m_norm1.forward(x)));
    return torch::addcmul(h, m_ls2, m_fc2(torch::gelu(m_fc1(m_norm2.forward(h)))));
}

VisionEncoderImpl::VisionEncoderImpl(const VisionConfig& c, int layersUsed)
    : m_config(c), m_layersUsed(layersUsed) {
    m_embeddings = register_module("embeddings", std::make_shared<torch::nn::Module>());
    if (c.convStem) {
        m_stem = m_embeddings->register_module("conv_stem", torch::nn::ModuleList());
        int64_t in = 3;
        for (int64_t width : convStemWidths(c)) {
            m_stem->push_back(
                torch::nn::Conv2d(torch::nn::Conv2dOptions(in, width, 3).stride(2).padding(1)));
            in = width;
        }
    } else {
        m_patch = m_embeddings->register_module(
            "patch_embedding",
            torch::nn::Conv2d(
                torch::nn::Conv2dOptions(3, c.hidden, c.patchSize).stride(c.patchSize)));
    }
    m_class =
        m_embeddings->register_parameter("class_embedding", torch::randn({1, 1, c.hidden}) * 0.02);
    m_position = m_embeddings->register_parameter(
        "position_embedding", torch::randn({1, c.patchTokens() + 1, c.hidden}) * 0.02);
    auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
    m_layers = encoder->register_module("layers", torch::nn::ModuleList());
    for (int i = 0; i < c.layers; ++i)
        m_layers->push_back(VisionLayer(c));
}

at::Tensor VisionEncoderImpl::forward(const at::Tensor& pixels) {
    const int64_t n = pixels.size(0);
    at::Tensor x = pixels;
    if (m_stem) {
        for (size_t i = 0; i < m_stem->size(); ++i) {
            x = m_stem[i]->as<torch::nn::Conv2d>()->forward(x);
            if (i + 1 < m_stem->size())
                x = torch::gelu(x);
        }
    } else {
        x = m_patch(pixels);
    }
    x = x.flatten(2).transpose(1, 2); // [N, patches, C], row-major
    x = torch::cat({m_class.expand({n, 1, -1}).to(x.scalar_type()), x}, 1);
    at::Tensor position = m_position;
    if (x.size(1) != position.size(1)) {
        // Another image size: interpolate the patch grid of the position embedding (bicubic).
        const int64_t grid = m_config.gridSize(), side = std::lround(std::sqrt(x.size(1) - 1));
        at::Tensor patches = position.index({torch::indexing::Slice(), torch::indexing::Slice(1)})
                                 .reshape({1, grid, grid, -1})
                                 .permute({0, 3, 1, 2});
        patches = torch::nn::functional::interpolate(patches.to(torch::kFloat32),
                                                     torch::nn::functional::InterpolateFuncOptions()
                                                         .size(std::vector<int64_t>{side, side})
                                                         .mode(torch::kBicubic)
                                                         .align_corners(false));
        patches = patches.permute({0, 2, 3, 1}).reshape({1, side * side, -1}).to(x.scalar_type());
        position = torch::cat(
            {position.index({torch::indexing::Slice(), torch::indexing::Slice(0, 1)}), patches}, 1);
    }
    x = x + position.to(x.scalar_type());
    for (int i = 0; i < m_layersUsed; ++i)
        x = m_layers[i]->as<VisionLayer>()->forward(x);
    return x;
}

at::Tensor pixelShuffle(const at::Tensor& x, double scale) {
    const int64_t n = x.size(0), w = x.size(1), h = x.size(2), c = x.size(3);
    const auto hs = static_cast<int64_t>(h * scale), ws = static_cast<int64_t>(w * scale);
    at::Tensor y = x.reshape({n, w, hs, static_cast<int64_t>(c / scale)});
    y = y.permute({0, 2, 1, 3}).contiguous();
    y = y.view({n, hs, ws, static_cast<int64_t>(c / (scale * scale))});
    return y.permute({0, 2, 1, 3}).contiguous(); // ps_version v2
}

} // namespace rd::model
