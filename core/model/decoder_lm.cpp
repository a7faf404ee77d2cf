#include "model/decoder_lm.h"

#include "model/rope.h"

#include <torch/torch.h>

namespace rd::model {

namespace {

torch::nn::Linear linear(int64_t in, int64_t out, bool bias) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

} // namespace

DecoderLayerImpl::DecoderLayerImpl(const LmConfig& c) : m_config(c) {
    m_inputNorm = register_module("input_layernorm", RmsNorm(c.hidden, c.rmsEps));
    m_postNorm = register_module("post_attention_layernorm", RmsNorm(c.hidden, c.rmsEps));
    auto attn = register_module("self_attn", std::make_shared<torch::nn::Module>());
    m_q = attn->register_module("q_proj", linear(c.hidden, c.heads * c.headDim, c.qkvBias));
    m_k = attn->register_module("k_proj", linear(c.hidden, c.kvHeads * c.headDim, c.qkvBias));
    m_v = attn->register_module("v_proj", linear(c.hidden, c.kvHeads * c.headDim, c.qkvBias));
    m_o = attn->register_module("o_proj", linear(c.heads * c.headDim, c.hidden, false));
    auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>());
    m_gate = mlp->register_module("gate_proj", linear(c.hidden, c.intermediate, false));
    m_up = mlp->register_module("up_proj", linear(c.hidden, c.intermediate, false));
    m_down = mlp->register_module("down_proj", linear(c.intermediate, c.hidden, false));
    m_qkv = std::make_unique<FusedLinears>(std::vector<torch::nn::Linear>{m_q, m_k, m_v});
    m_gateUp = std::make_unique<FusedLinears>(std::vector<torch::nn::Linear>{m_gate, m_up});
}

at::Tensor DecoderLayerImpl::forward(const at::Tensor& x, const at::Tensor& cos,
                                     const at::Tensor& sin, const at::Tensor& mask,
                                     at::Tensor& cachedKeys, at::Tensor& cachedValues,
                                     const at::Tensor& readAt) {
    const LmConfig& c = m_config;
    const int64_t b = x.size(0), t = x.size(1);
    const std::vector<at::Tensor> qkv = m_qkv->forward(m_inputNorm(x));
    at::Tensor k = qkv[1].reshape({b, t, c.kvHeads, c.headDim}).transpose(1, 2);
    at::Tensor v = qkv[2].reshape({b, t, c.kvHeads, c.headDim}).transpose(1, 2);
    k = applyRope(k, cos, sin);
    const int64_t past = cachedKeys.defined() ? cachedKeys.size(2) : 0;
    if (cachedKeys.defined()) {
        k = torch::cat({cachedKeys, k}, 2);
        v = torch::cat({cachedValues, v}, 2);
    }
    cachedKeys = k;
    cachedValues = v;
    if (!readAt.defined()) {
        const at::Tensor q =
            applyRope(qkv[0].reshape({b, t, c.heads, c.headDim}).transpose(1, 2), cos, sin);
        return finish(x, attention(q, k, v, mask));
    }
    // Every key and value is needed, but queries, the output projection and the MLP only at
    // one position per row: a reward reads a single answer token (paper Eq. 2).
    const at::Tensor rows = torch::arange(b, readAt.options());
    const auto atRead = [&](const at::Tensor& perToken) {
        return perToken.index({rows, readAt}).unsqueeze(1); // [B, T, ...] -> [B, 1, ...]
    };
    const auto tableAtRead = [&](const at::Tensor& table) {
        return table.index_select(0, readAt).view({b, 1, 1, -1}); // one rotation per row
    };
    const at::Tensor q =
        applyRope(atRead(qkv[0]).reshape({b, 1, c.heads, c.headDim}).transpose(1, 2),
                  tableAtRead(cos), tableAtRead(sin));
    // Row r's query (absolute position past + readAt[r]) sees keys up to itself: padding to its
    // right stays hidden.
    const at::Tensor hidden = torch::arange(past + t, readAt.options())
                                  .unsqueeze(0)
                                  .gt((readAt + past).unsqueeze(1))
                                  .view({b, 1, 1, -1});
    return finish(atRead(x), attention(q, k, v, hidden));
}

at::Tensor DecoderLayerImpl::finish(const at::Tensor& residual, const at::Tensor& attended) {
    const LmConfig& c = m_config;
    const int64_t b = residual.size(0), t = residual.size(1);
    const at::Tensor x =
        residual + m_o(attended.transpose(1, 2).reshape({b, t, c.heads * c.headDim}));
    const std::vector<at::Tensor> gateUp = m_gateUp->forward(m_postNorm(x));
    return x + m_down(torch::silu(gateUp[0]) * gateUp[1]);
}

DecoderLmImpl::DecoderLmImpl(const LmConfig& c) : m_config(c) {
    auto model = register_module("model", std::make_shared<torch::nn::Module>());
    m_embed = model->register_module("embed_tokens", torch::nn::Embedding(c.vocabSize, c.hidden));
    {
        // std 0.02 as Qwen2/InternLM2 initialise it: LibTorch's default N(0, 1) puts text
        // embeddings at RMS 1.0 against about 0.2 for the projected image tokens, so a model
        // trained from scratch first reads the text and barely the image.
        torch::NoGradGuard noGrad;
        m_embed->weight.normal_(0.0, 0.02);
    }
    m_layers = model->register_module("layers", torch::nn::ModuleList());
    for (int i = 0; i < c.layers; ++i)
        m_layers->push_back(DecoderLayer(c));
    m_norm = model->register_module("norm", RmsNorm(c.hidden, c.rmsEps));
    if (!c.tieEmbeddings)
        m_head = register_module("lm_head", linear(c.hidden, c.vocabSize, false));
}

at::Tensor DecoderLmImpl::embed(const at::Tensor& ids) {
    return m_embed(ids);
}

at::Tensor DecoderLmImpl::forward(const at::Tensor& inputs, KvCache* cache,
                                  const at::Tensor& readAt) {
    const int64_t past = cache ? cache->length() : 0, t = inputs.size(1);
    const auto [cos, sin] = ropeTables(m_config, past, t, past + t, inputs.options());
    const at::Tensor mask = causalMask(t, past + t, inputs.device());
    at::Tensor x = inputs;
    for (size_t i = 0; i < m_layers->size(); ++i) {
        at::Tensor noKeys, noValues;
        at::Tensor& keys = cache ? cache->keys[i] : noKeys;
        at::Tensor& values = cache ? cache->values[i] : noValues;
        const bool last = i + 1 == m_layers->size();
        x = m_layers[i]->as<DecoderLayer>()->forward(x, cos, sin, mask, keys, values,
                                                     last ? readAt : at::Tensor());
    }
    return m_norm(x);
}

at::Tensor DecoderLmImpl::logits(const at::Tensor& hidden) {
    if (m_head)
        return m_head(hidden);
    return torch::matmul(hidden, m_embed->weight.t());
}

} // namespace rd::model
