#include "model/parameter_shapes.h"

namespace rd::model {

std::vector<std::int64_t> convStemWidths(const VisionConfig& v) {
    std::vector<std::int64_t> widths; // hidden / 2^(n-1), ..., hidden / 2, hidden
    for (int stride = v.patchSize; stride > 1; stride /= 2)
        widths.push_back(v.hidden / (stride / 2));
    return widths;
}

namespace {

using Shape = std::vector<std::int64_t>;

void linear(TensorShapes& s, const std::string& name, std::int64_t in, std::int64_t out,
            bool bias) {
    s[name + ".weight"] = {out, in};
    if (bias)
        s[name + ".bias"] = {out};
}

void visionShapes(TensorShapes& s, const VisionConfig& v) {
    const std::int64_t c = v.hidden;
    const std::string e = "vision_model.embeddings.";
    if (v.convStem) {
        const std::vector<std::int64_t> widths = convStemWidths(v);
        std::int64_t in = 3;
        for (size_t i = 0; i < widths.size(); ++i) {
            const std::string conv = e + "conv_stem." + std::to_string(i);
            s[conv + ".weight"] = {widths[i], in, 3, 3};
            s[conv + ".bias"] = {widths[i]};
            in = widths[i];
        }
    } else {
        s[e + "patch_embedding.weight"] = {c, 3, v.patchSize, v.patchSize};
        s[e + "patch_embedding.bias"] = {c};
    }
    s[e + "class_embedding"] = {1, 1, c};
    s[e + "position_embedding"] = {1, v.patchTokens() + 1, c};
    for (int i = 0; i < v.layers; ++i) {
        const std::string p = "vision_model.encoder.layers." + std::to_string(i) + ".";
        for (const char* norm : {"norm1", "norm2"}) {
            s[p + norm + ".weight"] = {c};
            if (v.norm == NormKind::LayerNorm)
                s[p + norm + ".bias"] = {c};
        }
        linear(s, p + "attn.qkv", c, 3 * c, v.qkvBias);
        linear(s, p + "attn.proj", c, c, true);
        if (v.qkNorm) {
            s[p + "attn.q_norm.weight"] = {c};
            s[p + "attn.k_norm.weight"] = {c};
        }
        linear(s, p + "mlp.fc1", c, v.mlpHidden, true);
        linear(s, p + "mlp.fc2", v.mlpHidden, c, true);
        s[p + "ls1"] = {c};
        s[p + "ls2"] = {c};
    }
}

void languageShapes(TensorShapes& s, const LmConfig& l) {
    const std::int64_t d = l.hidden, q = std::int64_t(l.heads) * l.headDim,
                       kv = std::int64_t(l.kvHeads) * l.headDim;
    s["language_model.model.embed_tokens.weight"] = {l.vocabSize, d};
    s["language_model.model.norm.weight"] = {d};
    if (!l.tieEmbeddings)
        s["language_model.lm_head.weight"] = {l.vocabSize, d};
    for (int i = 0; i < l.layers; ++i) {
        const std::string p = "language_model.model.layers." + std::to_string(i) + ".";
        s[p + "input_layernorm.weight"] = {d};
        s[p + "post_attention_layernorm.weight"] = {d};
        linear(s, p + "self_attn.q_proj", d, q, l.qkvBias);
        linear(s, p + "self_attn.k_proj", d, kv, l.qkvBias);
        linear(s, p + "self_attn.v_proj", d, kv, l.qkvBias);
        linear(s, p + "self_attn.o_proj", q, d, false);
        linear(s, p + "mlp.gate_proj", d, l.intermediate, false);
        linear(s, p + "mlp.up_proj", d, l.intermediate, false);
        linear(s, p + "mlp.down_proj", l.intermediate, d, false);
    }
}

} // namespace

TensorShapes parameterShapes(const VlmConfig& c) {
    TensorShapes s;
    visionShapes(s, c.vision);
    const std::int64_t in = c.projectorInput(), d = c.lm.hidden;
    s["mlp1.0.weight"] = {in};
    s["mlp1.0.bias"] = {in};
    linear(s, "mlp1.1", in, d, true);
    linear(s, "mlp1.3", d, d, true);
    languageShapes(s, c.lm);
    return s;
}

} // namespace rd::model
