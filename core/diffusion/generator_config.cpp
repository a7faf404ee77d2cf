#include "diffusion/generator_config.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

namespace rd::diffusion {

namespace {

struct Preset {
    const char* name;
    int width, depth, heads;
};
// 0.49M, 1.38M and 3.69M parameters (`rdance gen info --preset P` prints them).
constexpr Preset kPresets[] = {{"gen-xs", 64, 4, 4}, {"gen-s", 96, 6, 4}, {"gen-m", 160, 6, 5}};

[[noreturn]] void refuse(const std::string& where, const std::string& field,
                         const std::string& problem) {
    throw Error(ErrorKind::InvalidArgument, where + ": field \"" + field + "\" " + problem);
}

} // namespace

GeneratorConfig generatorPreset(const std::string& name) {
    for (const Preset& p : kPresets)
        if (name == p.name) {
            GeneratorConfig c;
            c.width = p.width;
            c.depth = p.depth;
            c.heads = p.heads;
            return c;
        }
    std::string known;
    for (const Preset& p : kPresets)
        known += std::string(known.empty() ? "" : ", ") + p.name;
    throw Error(ErrorKind::InvalidArgument,
                "unknown generator preset '" + name + "' (known: " + known + ")");
}

std::vector<std::string> generatorPresetNames() {
    std::vector<std::string> names;
    for (const Preset& p : kPresets)
        names.emplace_back(p.name);
    return names;
}

void validate(const GeneratorConfig& c, const std::string& where) {
    auto positive = [&](const char* field, int value) {
        if (value <= 0)
            refuse(where, field, "must be positive (is " + std::to_string(value) + ")");
    };
    positive("image_size", c.imageSize);
    positive("patch_size", c.patchSize);
    positive("width", c.width);
    positive("depth", c.depth);
    positive("heads", c.heads);
    positive("mlp_ratio", c.mlpRatio);
    positive("max_prompt_tokens", c.maxPromptTokens);
    positive("vocab_size", c.vocabSize);
    if (c.textLayers < 0)
        refuse(where, "text_layers", "must not be negative");
    if (c.imageSize % c.patchSize != 0)
        refuse(where, "patch_size", "must divide image_size " + std::to_string(c.imageSize));
    if (c.width % c.heads != 0)
        refuse(where, "heads", "must divide width " + std::to_string(c.width));
    if ((c.width / c.heads) % 2 != 0)
        refuse(where, "heads", "must leave an even head width");
}

nlohmann::json toJson(const GeneratorConfig& c) {
    return {{"architecture", "flow-dit"},
            {"image_size", c.imageSize},
            {"patch_size", c.patchSize},
            {"width", c.width},
            {"depth", c.depth},
            {"heads", c.heads},
            {"mlp_ratio", c.mlpRatio},
            {"text_layers", c.textLayers},
            {"max_prompt_tokens", c.maxPromptTokens},
            {"vocab_size", c.vocabSize}};
}

GeneratorConfig generatorConfigFromJson(const nlohmann::json& j, const std::string& where) {
    if (!j.is_object())
        throw Error(ErrorKind::InvalidArgument, where + ": expected a JSON object");
    if (j.value("architecture", std::string()) != "flow-dit")
        refuse(where, "architecture", "must be \"flow-dit\" (not a generator's config.json?)");
    GeneratorConfig c;
    auto read = [&](const char* field, int& value) {
        if (!j.contains(field))
            refuse(where, field, "is missing");
        if (!j[field].is_number_integer())
            refuse(where, field, "must be an integer");
        value = j[field].get<int>();
    };
    read("image_size", c.imageSize);
    read("patch_size", c.patchSize);
    read("width", c.width);
    read("depth", c.depth);
    read("heads", c.heads);
    read("mlp_ratio", c.mlpRatio);
    read("text_layers", c.textLayers);
    read("max_prompt_tokens", c.maxPromptTokens);
    read("vocab_size", c.vocabSize);
    validate(c, where);
    return c;
}

} // namespace rd::diffusion
