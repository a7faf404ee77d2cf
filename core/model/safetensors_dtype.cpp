#include "model/safetensors_dtype.h"

#include "common/error.h"

#include <array>

namespace rd::model {

namespace {

struct DTypeEntry {
    DType dtype;
    const char* name;
    std::size_t size;
    c10::ScalarType scalarType;
};

constexpr std::array<DTypeEntry, 10> kDTypes{{
    {DType::F64, "F64", 8, c10::ScalarType::Double},
    {DType::F32, "F32", 4, c10::ScalarType::Float},
    {DType::F16, "F16", 2, c10::ScalarType::Half},
    {DType::BF16, "BF16", 2, c10::ScalarType::BFloat16},
    {DType::I64, "I64", 8, c10::ScalarType::Long},
    {DType::I32, "I32", 4, c10::ScalarType::Int},
    {DType::I16, "I16", 2, c10::ScalarType::Short},
    {DType::I8, "I8", 1, c10::ScalarType::Char},
    {DType::U8, "U8", 1, c10::ScalarType::Byte},
    {DType::Bool, "BOOL", 1, c10::ScalarType::Bool},
}};

const DTypeEntry& entryOf(DType dtype) {
    for (const DTypeEntry& entry : kDTypes)
        if (entry.dtype == dtype)
            return entry;
    throw Error(ErrorKind::Internal, "safetensors dtype " +
                                         std::to_string(static_cast<int>(dtype)) +
                                         " is not in the dtype table");
}

} // namespace

const char* dtypeName(DType dtype) {
    return entryOf(dtype).name;
}

std::optional<DType> parseDType(const std::string& name) {
    for (const DTypeEntry& entry : kDTypes)
        if (name == entry.name)
            return entry.dtype;
    return std::nullopt;
}

bool isKnownUnsupportedDType(const std::string& name) {
    // The rest of the reference implementation's list (safetensors 0.4+): unsigned wide integers,
    // complex and the 8-, 6- and 4-bit floats, none of which LibTorch 1.13 has.
    static const char* const kUnsupported[] = {"U16",     "U32",     "U64",         "C64",
                                               "F8_E4M3", "F8_E5M2", "F8_E8M0",     "F6_E2M3",
                                               "F6_E3M2", "F4",      "F8_E4M3FNUZ", "F8_E5M2FNUZ"};
    for (const char* unsupported : kUnsupported)
        if (name == unsupported)
            return true;
    return false;
}

std::size_t elementSize(DType dtype) {
    return entryOf(dtype).size;
}

c10::ScalarType toScalarType(DType dtype) {
    return entryOf(dtype).scalarType;
}

DType dtypeOf(c10::ScalarType type, const std::string& what) {
    for (const DTypeEntry& entry : kDTypes)
        if (entry.scalarType == type)
            return entry.dtype;
    throw Error(ErrorKind::Unsupported, what + ": element type " + c10::toString(type) +
                                            " cannot be stored in safetensors here (supported: "
                                            "F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
}

} // namespace rd::model
