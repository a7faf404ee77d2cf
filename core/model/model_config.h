// Shapes of the vision-language model (INTERNVL2.md §1-2): an InternViT-style vision encoder,
// pixel shuffle + MLP projector, and a decoder LM in the Qwen2, InternLM2 or Phi-3 style.
// Configs come from presets (a ladder of small sizes that train on two CPU cores, and the
// InternVL2 1B-26B shapes) or from an InternVL2 Hugging Face config.json.
//
// Usage:
//   VlmConfig c = presetConfig("internvl2-1b");
//   ParameterCount n = countParameters(c);      // analytic, nothing allocated
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rd::model {

enum class NormKind { LayerNorm = 1, RmsNorm };
enum class LmFamily { Qwen2 = 1, InternLM2, Phi3 };
enum class RopeScaling { None = 1, Dynamic, LongRope };
enum class ChatTemplate { Hermes2 = 1, InternLM2Chat, Phi3Chat };

struct VisionConfig {
    int imageSize = 448;
    int patchSize = 14;
    int hidden = 1024;
    int layers = 24;
    int heads = 16;
    int mlpHidden = 4096;
    NormKind norm = NormKind::LayerNorm;
    double normEps = 1e-6;
    bool qkvBias = true;
    bool qkNorm = false;
    // A convolutional stem instead of the one-conv patch embedding (Xiao et al. 2021, "Early
    // convolutions help transformers see better"): log2(patch_size) 3x3 stride-2 convolutions
    // with GELU between them, widening to `hidden`. The from-scratch presets may use it; the
    // InternViT checkpoints do not.
    bool convStem = false;

    int gridSize() const { return imageSize / patchSize; }
    int patchTokens() const { return gridSize() * gridSize(); }
};

struct LmConfig {
    LmFamily family = LmFamily::Qwen2;
    int vocabSize = 151655;
    int hidden = 896;
    int layers = 24;
    int heads = 14;
    int kvHeads = 2;
    int headDim = 64;
    int intermediate = 4864;
    double ropeTheta = 1e6;
    double rmsEps = 1e-6;
    bool qkvBias = true; // Qwen2: q/k/v projections carry biases
    bool tieEmbeddings = false;
    RopeScaling ropeScaling = RopeScaling::None;
    double ropeFactor = 1.0;
    int originalMaxPositions = 4096; // LongRoPE: short factors up to here
    std::vector<double> shortFactor; // LongRoPE per-frequency factors (headDim / 2 each)
    std::vector<double> longFactor;
};

struct VlmConfig {
    std::string name;
    VisionConfig vision;
    LmConfig lm;
    double downsampleRatio = 0.5; // pixel shuffle
    int selectLayer = -1;         // vision layer whose output is used (-1: the last)
    ChatTemplate chatTemplate = ChatTemplate::Hermes2;

    // Image tokens per tile after pixel shuffle: (448/14)^2 * 0.5^2 = 256 for InternVL2.
    int tokensPerTile() const;
    int projectorInput() const; // hidden * (1 / downsample)^2
    int visionLayersUsed() const;
};

struct ParameterCount {
    std::int64_t vision = 0;
    std::int64_t projector = 0;
    std::int64_t language = 0;
    std::int64_t total() const { return vision + projector + language; }
};

ParameterCount countParameters(const VlmConfig& config);

// "rd-xs", "rd-s", "rd-m", "rd-l" (from-scratch ladder, 64 px) and "internvl2-1b", "-2b",
// "-4b", "-8b", "-26b". Throws rd::Error(InvalidArgument) listing the names for another.
VlmConfig presetConfig(const std::string& name);
std::vector<std::string> presetNames();

// Reads an InternVL2 chat model's config.json (vision_config, llm_config, downsample_ratio,
// select_layer, template). Throws rd::Error naming the file and field.
VlmConfig loadHfConfig(const std::filesystem::path& configJson);

// Our own config.json next to our checkpoints (every field above), and back.
std::string toJson(const VlmConfig& config);
VlmConfig fromJson(const std::string& json, const std::string& source);

// Throws rd::Error(InvalidArgument) naming the inconsistent field (heads not dividing hidden...).
void validate(const VlmConfig& config);

} // namespace rd::model
