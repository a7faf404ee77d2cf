// Writes tensors and string metadata as one safetensors file, atomically (temporary file +
// rename: a crash leaves the old file or the new one, never half of one).
//
// Usage:
//   writeSafetensors(dir / "model.safetensors", {{"w", weight}, {"b", bias}}, {{"format", "pt"}});
//
// The layout follows the reference implementation: 8-byte little-endian header length, compact
// JSON header ("__metadata__" first, then tensors) padded with spaces to a multiple of 8 bytes,
// then the tensors' bytes back to back in name order. Tensors may live on any device and in any
// memory layout: each is copied to contiguous CPU memory in turn, so the extra memory needed is
// one tensor's worth. Dtypes: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>

namespace rd::model {

// Throws rd::Error: InvalidArgument for an empty or reserved ("__metadata__") name, an undefined
// tensor or text that is not UTF-8; Unsupported for another dtype or a sparse tensor; NotFound
// when the folder does not exist; Io when writing fails. The target is untouched on failure.
void writeSafetensors(const std::filesystem::path& path,
                      const std::map<std::string, at::Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace rd::model
