// config.json in both directions: our own format (every field of VlmConfig) and InternVL2's
// Hugging Face chat-model config.
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_text.h"
#include "model/model_config.h"

#include <nlohmann/json.hpp>

namespace rd::model {
using nlohmann::json;

namespace {

const char* familyName(LmFamily f) {
    return f == LmFamily::Qwen2 ? "qwen2" : f == LmFamily::InternLM2 ? "internlm2" : "phi3";
}
const char* scalingName(RopeScaling s) {
    return s == RopeScaling::None ? "none" : s == RopeScaling::Dynamic ? "dynamic" : "longrope";
}
const char* templateName(ChatTemplate t) {
    return t == ChatTemplate::Hermes2         ? "Hermes-2"
           : t == ChatTemplate::InternLM2Chat ? "internlm2-chat"
                                              : "phi3-chat";
}

// Field access that names the file and field on failure.
class Reader {
public:
    Reader(const json& object, std::string where) : m_object(object), m_where(std::move(where)) {}

    template <typename T> T get(const char* field, const T& fallback) const {
        auto it = m_object.find(field);
        if (it == m_object.end() || it->is_null())
            return fallback;
        try {
            return it->get<T>();
        } catch (const json::exception&) {
            fail(field, "has the wrong type (" + std::string(it->type_name()) + ")");
        }
    }
    template <typename T> T require(const char* field) const {
        if (!m_object.contains(field) || m_object.at(field).is_null())
            fail(field, "missing");
        return get<T>(field, T{});
    }
    [[noreturn]] void fail(const std::string& field, const std::string& why) const {
        throw Error(ErrorKind::Format, m_where + ": field '" + field + "' " + why);
    }
    const json& object() const { return m_object; }

private:
    const json& m_object;
    std::string m_where;
};

LmFamily familyFromArchitecture(const Reader& llm) {
    const auto architectures = llm.get<std::vector<std::string>>("architectures", {});
    const std::string arch =
        architectures.empty() ? llm.get<std::string>("model_type", "") : architectures.front();
    if (arch.find("Qwen2") != std::string::npos || arch == "qwen2")
        return LmFamily::Qwen2;
    if (arch.find("InternLM2") != std::string::npos || arch == "internlm2")
        return LmFamily::InternLM2;
    if (arch.find("Phi3") != std::string::npos || arch == "phi3")
        return LmFamily::Phi3;
    llm.fail("llm_config.architectures", "'" + arch + "' is not Qwen2, InternLM2 or Phi-3");
}

// validate() with the config file named: "m/config.json: model config 'x': lm.heads: ...".
void validateFrom(const VlmConfig& c, const std::string& source) {
    try {
        validate(c);
    } catch (const Error& e) {
        throw Error(e.kind(), source + ": " + e.what());
    }
}

} // namespace

VlmConfig loadHfConfig(const std::filesystem::path& path) {
    const std::string text = readWholeFile(path);
    json root = parseJsonText(text, path.string());
    if (!root.is_object())
        throw Error(ErrorKind::Format, path.string() + ": not a JSON object");
    const Reader top(root, path.string());
    if (!root.contains("vision_config") || !root.contains("llm_config"))
        top.fail("vision_config/llm_config", "missing: not an InternVL chat model config");
    const Reader vision(root["vision_config"], path.string() + " vision_config");
    const Reader llm(root["llm_config"], path.string() + " llm_config");

    VlmConfig c;
    c.name = path.parent_path().filename().string();
    c.downsampleRatio = top.get<double>("downsample_ratio", 0.5);
    c.selectLayer = top.get<int>("select_layer", -1);
    const std::string chat = top.get<std::string>("template", "Hermes-2");
    c.chatTemplate = chat == "phi3-chat"        ? ChatTemplate::Phi3Chat
                     : chat == "internlm2-chat" ? ChatTemplate::InternLM2Chat
                                                : ChatTemplate::Hermes2;

    VisionConfig& v = c.vision;
    v.imageSize = top.get<int>("force_image_size", vision.get<int>("image_size", 448));
    v.patchSize = vision.get<int>("patch_size", 14);
    v.hidden = vision.require<int>("hidden_size");
    v.layers = vision.require<int>("num_hidden_layers");
    v.heads = vision.require<int>("num_attention_heads");
    v.mlpHidden = vision.require<int>("intermediate_size");
    v.norm = vision.get<std::string>("norm_type", "layer_norm") == "rms_norm" ? NormKind::RmsNorm
                                                                              : NormKind::LayerNorm;
    v.normEps = vision.get<double>("layer_norm_eps", 1e-6);
    v.qkvBias = vision.get<bool>("qkv_bias", true);
    v.qkNorm = vision.get<bool>("qk_normalization", false);

    LmConfig& l = c.lm;
    l.family = familyFromArchitecture(llm);
    l.vocabSize = llm.require<int>("vocab_size");
    l.hidden = llm.require<int>("hidden_size");
    l.layers = llm.require<int>("num_hidden_layers");
    l.heads = llm.require<int>("num_attention_heads");
    l.kvHeads = llm.get<int>("num_key_value_heads", l.heads);
    l.headDim = llm.get<int>("head_dim", l.heads > 0 ? l.hidden / l.heads : 0);
    l.intermediate = llm.require<int>("intermediate_size");
    l.ropeTheta = llm.get<double>("rope_theta", 1e4);
    l.rmsEps = llm.get<double>("rms_norm_eps", 1e-6);
    l.qkvBias = l.family == LmFamily::Qwen2;
    l.tieEmbeddings = llm.get<bool>("tie_word_embeddings", false);
    l.originalMaxPositions = llm.get<int>("original_max_position_embeddings", 4096);
    const json scaling = llm.object().value("rope_scaling", json(nullptr));
    if (scaling.is_object()) {
        const Reader s(scaling, path.string() + " llm_config.rope_scaling");
        const std::string type = s.get<std::string>("type", s.get<std::string>("rope_type", ""));
        if (type == "dynamic") {
            l.ropeScaling = RopeScaling::Dynamic;
            l.ropeFactor = s.get<double>("factor", 1.0);
        } else if (type == "su" || type == "longrope") {
            l.ropeScaling = RopeScaling::LongRope;
            l.shortFactor = s.require<std::vector<double>>("short_factor");
            l.longFactor = s.require<std::vector<double>>("long_factor");
        } else if (!type.empty()) {
            s.fail("type", "'" + type + "' is not supported (dynamic, su/longrope)");
        }
    }
    validateFrom(c, path.string());
    return c;
}

std::string toJson(const VlmConfig& c) {
    const VisionConfig& v = c.vision;
    const LmConfig& l = c.lm;
    json root = {{"format", "rewarddance-vlm"},
                 {"name", c.name},
                 {"downsample_ratio", c.downsampleRatio},
                 {"select_layer", c.selectLayer},
                 {"template", templateName(c.chatTemplate)},
                 {"vision",
                  {{"image_size", v.imageSize},
                   {"patch_size", v.patchSize},
                   {"hidden", v.hidden},
                   {"layers", v.layers},
                   {"heads", v.heads},
                   {"mlp_hidden", v.mlpHidden},
                   {"norm", v.norm == NormKind::RmsNorm ? "rms_norm" : "layer_norm"},
                   {"norm_eps", v.normEps},
                   {"qkv_bias", v.qkvBias},
                   {"qk_norm", v.qkNorm},
                   {"conv_stem", v.convStem}}},
                 {"lm",
                  {{"family", familyName(l.family)},
                   {"vocab_size", l.vocabSize},
                   {"hidden", l.hidden},
                   {"layers", l.layers},
                   {"heads", l.heads},
                   {"kv_heads", l.kvHeads},
                   {"head_dim", l.headDim},
                   {"intermediate", l.intermediate},
                   {"rope_theta", l.ropeTheta},
                   {"rms_eps", l.rmsEps},
                   {"qkv_bias", l.qkvBias},
                   {"tie_embeddings", l.tieEmbeddings},
                   {"rope_scaling", scalingName(l.ropeScaling)},
                   {"rope_factor", l.ropeFactor},
                   {"original_max_positions", l.originalMaxPositions},
                   {"short_factor", l.shortFactor},
                   {"long_factor", l.longFactor}}}};
    return root.dump(2);
}

VlmConfig fromJson(const std::string& text, const std::string& source) {
    const json root = parseJsonText(text, source);
    if (!root.is_object())
        throw Error(ErrorKind::Format, source + ": not a JSON object");
    const Reader top(root, source);
    if (top.get<std::string>("format", "") != "rewarddance-vlm")
        top.fail("format", "is not 'rewarddance-vlm'");
    if (!root.contains("vision") || !root.contains("lm"))
        top.fail("vision/lm", "missing");
    const Reader v(root["vision"], source + " vision");
    const Reader l(root["lm"], source + " lm");
    VlmConfig c;
    c.name = top.get<std::string>("name", "");
    c.downsampleRatio = top.require<double>("downsample_ratio");
    c.selectLayer = top.get<int>("select_layer", -1);
    const std::string chat = top.get<std::string>("template", "Hermes-2");
    c.chatTemplate = chat == "phi3-chat"        ? ChatTemplate::Phi3Chat
                     : chat == "internlm2-chat" ? ChatTemplate::InternLM2Chat
                                                : ChatTemplate::Hermes2;
    c.vision.imageSize = v.require<int>("image_size");
    c.vision.patchSize = v.require<int>("patch_size");
    c.vision.hidden = v.require<int>("hidden");
    c.vision.layers = v.require<int>("layers");
    c.vision.heads = v.require<int>("heads");
    c.vision.mlpHidden = v.require<int>("mlp_hidden");
    c.vision.norm = v.get<std::string>("norm", "layer_norm") == "rms_norm" ? NormKind::RmsNorm
                                                                           : NormKind::LayerNorm;
    c.vision.normEps = v.get<double>("norm_eps", 1e-6);
    c.vision.qkvBias = v.get<bool>("qkv_bias", true);
    c.vision.qkNorm = v.get<bool>("qk_norm", false);
    c.vision.convStem = v.get<bool>("conv_stem", false);
    const std::string family = l.require<std::string>("family");
    if (family != "qwen2" && family != "internlm2" && family != "phi3")
        l.fail("family", "'" + family + "' is not qwen2, internlm2 or phi3");
    c.lm.family = family == "qwen2"       ? LmFamily::Qwen2
                  : family == "internlm2" ? LmFamily::InternLM2
                                          : LmFamily::Phi3;
    c.lm.vocabSize = l.require<int>("vocab_size");
    c.lm.hidden = l.require<int>("hidden");
    c.lm.layers = l.require<int>("layers");
    c.lm.heads = l.require<int>("heads");
    c.lm.kvHeads = l.require<int>("kv_heads");
    c.lm.headDim = l.require<int>("head_dim");
    c.lm.intermediate = l.require<int>("intermediate");
    c.lm.ropeTheta = l.get<double>("rope_theta", 1e4);
    c.lm.rmsEps = l.get<double>("rms_eps", 1e-6);
    c.lm.qkvBias = l.get<bool>("qkv_bias", c.lm.family == LmFamily::Qwen2);
    c.lm.tieEmbeddings = l.get<bool>("tie_embeddings", false);
    const std::string scaling = l.get<std::string>("rope_scaling", "none");
    c.lm.ropeScaling = scaling == "dynamic"    ? RopeScaling::Dynamic
                       : scaling == "longrope" ? RopeScaling::LongRope
                                               : RopeScaling::None;
    c.lm.ropeFactor = l.get<double>("rope_factor", 1.0);
    c.lm.originalMaxPositions = l.get<int>("original_max_positions", 4096);
    c.lm.shortFactor = l.get<std::vector<double>>("short_factor", {});
    c.lm.longFactor = l.get<std::vector<double>>("long_factor", {});
    validateFrom(c, source);
    return c;
}

} // namespace rd::model
