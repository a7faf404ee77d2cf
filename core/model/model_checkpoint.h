// Saving and loading whole models: our checkpoint folder (config.json with format
// "rewarddance-vlm" + model.safetensors, written atomically) and InternVL2 Hugging Face folders
// (config.json of InternVLChatModel + model.safetensors or sharded safetensors), whose tensor
// names are mapped onto ours (hf_names.h) with a strict report of missing, unexpected and
// mis-shaped tensors before anything is copied.
//
// Usage:
//   saveModel(vlm, "runs/rm-s/step-1000");
//   VisionLanguageModel loaded = loadModel("runs/rm-s/step-1000", torch::kCPU);
#pragma once

#include "model/load_report.h"
#include "model/vlm.h"

#include <filesystem>
#include <map>
#include <string>

namespace rd::model {

inline constexpr const char* kConfigFileName = "config.json";

// Writes config.json and model.safetensors into folder (created), each atomically.
void saveModel(VisionLanguageModel& model, const std::filesystem::path& folder,
               const std::map<std::string, std::string>& metadata = {});

// Reads the config (ours or InternVL2's), builds the model on device and loads every tensor,
// converted to the parameters' dtype (float32 unless `dtype` says otherwise). Throws
// rd::Error(Format) with the load report's summary when the checkpoint does not fit, and naming
// the tensor when one holds NaN or infinite values.
VisionLanguageModel loadModel(const std::filesystem::path& folder, c10::Device device,
                              c10::ScalarType dtype = c10::kFloat);

// Whether folder's config.json is ours ("format": "rewarddance-vlm"), not InternVL2's.
bool isRewardDanceCheckpoint(const std::filesystem::path& folder);

// The config of a checkpoint folder (ours or InternVL2's), without loading weights.
VlmConfig readModelConfig(const std::filesystem::path& folder);

// The comparison loadModel makes, for callers who want the report itself.
LoadReport checkModelCheckpoint(const VlmConfig& config, const std::filesystem::path& folder);

} // namespace rd::model
