// The safetensors header: an 8-byte little-endian length N, then N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"key": "value"}}
// then the data section; offsets are relative to its start (byte 8 + N).
//
// Usage:
//   SafetensorsHeader header = parseSafetensorsHeader(bytes, size, "model.safetensors");
//   for (const TensorInfo& t : header.tensors) ... t.name, t.dtype, t.shape, t.byteSize()
//
// The parser validates everything a reader relies on before any tensor is touched: a file that
// passes can be sliced at the stated offsets without reading out of bounds. Every defect is an
// rd::Error(Format) (Unsupported for a valid dtype LibTorch lacks) whose message starts with the
// file label and names the tensor and field at fault.
#pragma once

#include "model/safetensors_dtype.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rd::model {

// The reference implementation's limit: a larger header is a corrupt length, not a real model.
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;
// More dimensions than any model uses; a longer shape is a corrupt header.
inline constexpr std::size_t kMaxTensorRank = 64;

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t dataBegin = 0; // byte offsets within the data section, end exclusive
    std::uint64_t dataEnd = 0;

    std::int64_t numel() const;
    std::uint64_t byteSize() const { return dataEnd - dataBegin; }
};

struct SafetensorsHeader {
    std::uint64_t headerBytes = 0;   // N, the JSON length including any padding
    std::uint64_t dataOffset = 0;    // 8 + N: where the data section starts in the file
    std::vector<TensorInfo> tensors; // sorted by name
    std::map<std::string, std::string> metadata;
};

// `bytes` holds the whole file (fileSize bytes); `fileLabel` prefixes every error message.
SafetensorsHeader parseSafetensorsHeader(const std::uint8_t* bytes, std::uint64_t fileSize,
                                         const std::string& fileLabel);

// A shape as text, "[2, 3]", for messages.
std::string shapeToString(const std::vector<std::int64_t>& shape);

} // namespace rd::model
