// Maps InternVL2 Hugging Face tensors onto this engine's parameter names, which follow Qwen2's
// layout (INTERNVL2.md §2): InternLM2's packed `wqkv` and Phi-3's fused `qkv_proj` /
// `gate_up_proj` are split into q/k/v and gate/up; other names are renamed. Vision and
// projector names are shared as they are.
#pragma once

#include "model/model_config.h"

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace rd::model {

// Our (name, tensor) pairs for one checkpoint tensor; empty when the tensor has no place in the
// model (the caller reports it as unexpected). Throws rd::Error(Format) when a packed tensor's
// shape cannot be split as the config says.
std::vector<std::pair<std::string, at::Tensor>>
mapHfTensor(const LmConfig& config, const std::string& name, const at::Tensor& tensor);

} // namespace rd::model
