#include "model/hf_names.h"

#include "common/error.h"

#include <torch/torch.h>

namespace rd::model {

namespace {

const std::string kLayers = "language_model.model.layers.";

struct Rename {
    const char* theirs;
    const char* ours;
};

// Per-layer renames (after "language_model.model.layers.N.").
const Rename kInternLm2Layer[] = {
    {"attention.wo.weight", "self_attn.o_proj.weight"},
    {"feed_forward.w1.weight", "mlp.gate_proj.weight"},
    {"feed_forward.w3.weight", "mlp.up_proj.weight"},
    {"feed_forward.w2.weight", "mlp.down_proj.weight"},
    {"attention_norm.weight", "input_layernorm.weight"},
    {"ffn_norm.weight", "post_attention_layernorm.weight"},
};

[[noreturn]] void badShape(const std::string& name, const at::Tensor& t, const std::string& want) {
    std::string shape;
    for (auto d : t.sizes())
        shape += (shape.empty() ? "" : "x") + std::to_string(d);
    throw Error(ErrorKind::Format,
                "checkpoint tensor '" + name + "' is " + shape + ", expected " + want);
}

// InternLM2 packs (H + 2 KV) * D rows as KV groups of [q_per_kv Q heads, 1 K head, 1 V head].
std::vector<std::pair<std::string, at::Tensor>> splitWqkv(const LmConfig& c,
                                                          const std::string& name,
                                                          const std::string& prefix,
                                                          const at::Tensor& t) {
    const int64_t groups = c.heads / c.kvHeads, d = c.headDim;
    if (t.dim() != 2 || t.size(0) != (c.heads + 2 * c.kvHeads) * d || t.size(1) != c.hidden)
        badShape(name, t, "[(heads + 2 kv_heads) * head_dim, hidden]");
    const at::Tensor g = t.view({c.kvHeads, groups + 2, d, c.hidden});
    return {{prefix + "self_attn.q_proj.weight",
             g.slice(1, 0, groups).reshape({c.heads * d, c.hidden}).contiguous()},
            {prefix + "self_attn.k_proj.weight",
             g.select(1, groups).reshape({c.kvHeads * d, c.hidden}).contiguous()},
            {prefix + "self_attn.v_proj.weight",
             g.select(1, groups + 1).reshape({c.kvHeads * d, c.hidden}).contiguous()}};
}

// Phi-3's qkv_proj is [Q | K | V] stacked along the rows; gate_up_proj is [gate ; up].
std::vector<std::pair<std::string, at::Tensor>>
splitPhi3(const LmConfig& c, const std::string& name, const std::string& prefix,
          const std::string& rest, const at::Tensor& t) {
    if (rest == "self_attn.qkv_proj.weight") {
        const int64_t q = c.heads * c.headDim, kv = c.kvHeads * c.headDim;
        if (t.dim() != 2 || t.size(0) != q + 2 * kv)
            badShape(name, t, "[(heads + 2 kv_heads) * head_dim, hidden]");
        return {{prefix + "self_attn.q_proj.weight", t.slice(0, 0, q).contiguous()},
                {prefix + "self_attn.k_proj.weight", t.slice(0, q, q + kv).contiguous()},
                {prefix + "self_attn.v_proj.weight", t.slice(0, q + kv).contiguous()}};
    }
    if (rest == "mlp.gate_up_proj.weight") {
        if (t.dim() != 2 || t.size(0) != 2 * c.intermediate)
            badShape(name, t, "[2 * intermediate, hidden]");
        return {{prefix + "mlp.gate_proj.weight", t.slice(0, 0, c.intermediate).contiguous()},
                {prefix + "mlp.up_proj.weight", t.slice(0, c.intermediate).contiguous()}};
    }
    return {{prefix + rest, t}};
}

} // namespace

std::vector<std::pair<std::string, at::Tensor>>
mapHfTensor(const LmConfig& c, const std::string& name, const at::Tensor& t) {
    if (name.rfind("language_model.", 0) != 0)
        return {{name, t}}; // vision_model.* and mlp1.* are named alike
    if (c.family == LmFamily::Qwen2)
        return {{name, t}};
    if (c.family == LmFamily::InternLM2) {
        if (name == "language_model.model.tok_embeddings.weight")
            return {{"language_model.model.embed_tokens.weight", t}};
        if (name == "language_model.output.weight")
            return {{"language_model.lm_head.weight", t}};
    }
    if (name.rfind(kLayers, 0) == 0) {
        const size_t dot = name.find('.', kLayers.size());
        const std::string prefix = name.substr(0, dot + 1);
        const std::string rest = name.substr(dot + 1);
        if (c.family == LmFamily::Phi3)
            return splitPhi3(c, name, prefix, rest, t);
        if (rest == "attention.wqkv.weight")
            return splitWqkv(c, name, prefix, t);
        for (const Rename& r : kInternLm2Layer)
            if (rest == r.theirs)
                return {{prefix + r.ours, t}};
        return {};
    }
    return {{name, t}};
}

} // namespace rd::model
