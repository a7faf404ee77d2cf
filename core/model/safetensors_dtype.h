// Element types of the safetensors format and their LibTorch equivalents.
//
// Usage:
//   std::optional<DType> d = parseDType("BF16");      // nullopt for a name we do not know
//   c10::ScalarType s = toScalarType(DType::BF16);      // at::kBFloat16
//   DType back = dtypeOf(at::kHalf, "tensor 'x'");      // throws rd::Error(Unsupported) for e.g.
//                                                      // complex types
#pragma once

#include <c10/core/ScalarType.h>

#include <cstddef>
#include <optional>
#include <string>

namespace rd::model {

enum class DType {
    F64 = 1,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
};

// The name used in the safetensors header ("F32", "BF16", "BOOL", ...).
const char* dtypeName(DType dtype);

// nullopt when the name is not one of the dtypes above (including valid safetensors dtypes that
// LibTorch 1.13 cannot hold, such as F8_E4M3 or U32: see isKnownUnsupportedDType).
std::optional<DType> parseDType(const std::string& name);

// True for dtype names the safetensors format defines but this engine cannot load, so the error
// can say "unsupported" rather than "unknown".
bool isKnownUnsupportedDType(const std::string& name);

std::size_t elementSize(DType dtype);

c10::ScalarType toScalarType(DType dtype);

// Throws rd::Error(Unsupported) naming `what` for a LibTorch type safetensors cannot store here.
DType dtypeOf(c10::ScalarType type, const std::string& what);

} // namespace rd::model
