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
}

at::Tensor DecoderLayerImpl::forward(const at::Tensor& x, const at::Tensor& cos,
                                     const at::Tensor& sin, const at::Tensor& mask,
                                     at::Tensor& cachedKeys, at::Tensor& cachedValues) {
    const LmConfig& c = m_config;
    const int64_t b = x.size(0), t = x.size(1);
    const at::Tensor h = m_inputNorm(x);
    at::Tensor q = m_q(h).view({b, t, c.heads, c.headDim}).transpose(1, 2);
    at::Tensor k = m_k(h).view({b, t, c.kvHeads, c.headDim}).transpose(1, 2);
    at::Tensor v = m_v(h).view({b, t, c.kvHeads, c.headDim}).transpose(1, 2);
    q = applyRope(q, cos, sin);
    k = applyRope(k, cos, sin);
    if (cachedKeys.defined()) {
        k = torch::cat({cachedKeys, k}, 2);
        v = torch::cat({cachedValues, v}, 2);
    }
    cachedKeys = k;
    cachedValues = v;
    const at::Tensor out = attention(q, k, v, mask);
    const at::Tensor attended = x + m_o(out.transpose(1, 2).reshape({b, t, c.heads * c.headDim}));
    const at::Tensor g = m_postNorm(attended);
    return attended + m_down(torch::silu(m_gate(g)) * m_up(g));
}

DecoderLmImpl::DecoderLmImpl(const LmConfig& c) : m_config(c) {
    auto model = register_module("model", std::make_shared<torch::nn::Module>());
    m_embed = model->register_module("embed_tokens", torch::nn::Embedding(c.vocabSize, c.hidden));
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

at::Tensor DecoderLmImpl::forward(const at::Tensor& inputs, KvCache* cache) {
    const int64_t past = cache ? cache->length() : 0, t = inputs.size(1);
    const auto [cos, sin] = ropeTables(m_config, past, t, past + t, inputs.options());
    const at::Tensor mask = causalMask(t, past + t, inputs.device());
    at::Tensor x = inputs;
    for (size_t i = 0; i < m_layers->size(); ++i) {
        at::Tensor noKeys, noValues;
        at::Tensor& keys = cache ? cache->keys[i] : noKeys;
        at::Tensor& values = cache ? cache->values[i] : noValues;
        x = m_layers[i]->as<DecoderLayer>()->forward(x, cos, sin, mask, keys, values);
    }
    return m_norm(x);
}

at::Tensor DecoderLmImpl::logits(const at::Tensor& hidden) {
    if (m_head)
        return m_head(hidden);
    return torch::matmul(hidden, m_embed->weight.t());
}

} // namespace rd::model
