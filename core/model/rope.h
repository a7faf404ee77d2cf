// Rotary position embeddings in the rotate-half form (Qwen2, InternLM2, Phi-3), with InternLM2's
// dynamic NTK scaling (a larger base beyond the original context) and Phi-3's LongRoPE
// (per-frequency factors and a cos/sin scale).
#pragma once

#include "model/model_config.h"

#include <ATen/core/Tensor.h>

#include <utility>

namespace rd::model {

// cos and sin [positions, headDim] for positions first .. first + count - 1; totalLength is the
// sequence length the model sees (it selects the scaling regime).
std::pair<at::Tensor, at::Tensor> ropeTables(const LmConfig& config, int64_t first, int64_t count,
                                             int64_t totalLength, const at::TensorOptions& options);

// x [B, H, T, D] rotated by the tables.
at::Tensor applyRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);

} // namespace rd::model
