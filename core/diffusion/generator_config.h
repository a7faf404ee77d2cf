// The shape of a flow-matching text-to-image generator (a small DiT, issue "Generator, ReFL..."),
// stored as config.json beside its weights. Presets are sized for two CPU cores: the 64 px image
// is cut into 8 px patches, so the transformer sees 64 image tokens whatever the width.
//
// Usage:
//   GeneratorConfig c = generatorPreset("gen-s");
//   c.vocabSize = tokenizer.vocabSize();
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace rd::diffusion {

struct GeneratorConfig {
    int imageSize = 64;       // square RGB images
    int patchSize = 8;        // imageSize must be a multiple
    int width = 128;          // transformer width (text and image tokens alike)
    int depth = 4;            // DiT blocks
    int heads = 4;            // width must be a multiple
    int mlpRatio = 4;         // MLP hidden = mlpRatio x width
    int textLayers = 2;       // the prompt encoder's transformer layers
    int maxPromptTokens = 32; // longer prompts are refused
    int vocabSize = 512;      // the prompt tokenizer's; two more rows: the null and pad tokens

    int patchesPerSide() const { return imageSize / patchSize; }
    int nullToken() const { return vocabSize; } // the empty prompt, for classifier-free guidance
    int padToken() const { return vocabSize + 1; }
};

GeneratorConfig generatorPreset(const std::string& name); // throws rd::Error naming the presets
std::vector<std::string> generatorPresetNames();          // "gen-xs", "gen-s", "gen-m"

// Throws rd::Error(InvalidArgument) for inconsistent sizes, naming the field and `where`.
void validate(const GeneratorConfig& config, const std::string& where);
nlohmann::json toJson(const GeneratorConfig& config);
GeneratorConfig generatorConfigFromJson(const nlohmann::json& json, const std::string& where);

} // namespace rd::diffusion
