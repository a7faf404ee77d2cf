// A generator network on disk: config.json (GeneratorConfig) + model.safetensors (its named
// parameters and buffers), each written atomically. Loading is strict: a missing, unexpected or
// mis-shaped tensor is an rd::Error that names the file and the tensor.
//
// Usage:
//   saveGeneratorWeights(folder, net, {{"step", "1200"}});
//   FlowGenerator net = loadGeneratorWeights(folder, torch::kCPU);
#pragma once

#include "diffusion/flow_generator.h"

#include <filesystem>
#include <map>
#include <string>

namespace rd::diffusion {

inline constexpr const char* kGeneratorConfigFile = "config.json";
inline constexpr const char* kGeneratorWeightsFile = "model.safetensors";

void saveGeneratorWeights(const std::filesystem::path& folder, FlowGenerator& net,
                          const std::map<std::string, std::string>& metadata = {});
GeneratorConfig readGeneratorConfig(const std::filesystem::path& folder);
FlowGenerator loadGeneratorWeights(const std::filesystem::path& folder, c10::Device device);
// The weights of folder copied into an existing network of the same config (EMA, resume).
void copyGeneratorWeights(const std::filesystem::path& folder, FlowGenerator& net);

} // namespace rd::diffusion
