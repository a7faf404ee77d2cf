#include "model/safetensors_header.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <optional>
#include <set>

namespace rd::model {

namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kMaxInt64 = static_cast<std::uint64_t>(std::numeric_limits<int64_t>::max());

[[noreturn]] void fail(const std::string& where, const std::string& what,
                       ErrorKind kind = ErrorKind::Format) {
    throw Error(kind, where + ": " + what);
}

// Names come from untrusted files: keep messages readable when one is megabytes long.
std::string quoted(const std::string& text) {
    constexpr std::size_t kMaxShown = 120;
    if (text.size() <= kMaxShown)
        return "'" + text + "'";
    return "'" + text.substr(0, kMaxShown) + "...' (" + std::to_string(text.size()) + " bytes)";
}

std::uint64_t readLittleEndian64(const std::uint8_t* bytes) {
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | bytes[i];
    return value;
}

// nlohmann keeps the last of two equal keys without a word; a header naming one tensor twice (or
// giving a tensor two dtypes) is ambiguous, so the parse callback remembers the first duplicate.
class DuplicateKeyFinder {
public:
    bool operator()(int depth, Json::parse_event_t event, Json& parsed) {
        if (event == Json::parse_event_t::object_start) {
            m_openObjects.emplace_back();
        } else if (event == Json::parse_event_t::object_end) {
            if (!m_openObjects.empty())
                m_openObjects.pop_back();
        } else if (event == Json::parse_event_t::key && !m_openObjects.empty()) {
            const std::string& key = parsed.get_ref<const std::string&>();
            if (!m_openObjects.back().insert(key).second && !m_duplicate) {
                m_duplicate = key;
                m_duplicateDepth = depth;
            }
        }
        return true;
    }
    const std::optional<std::string>& duplicate() const { return m_duplicate; }
    bool duplicateAtTopLevel() const { return m_duplicateDepth == 1; }

private:
    std::vector<std::set<std::string>> m_openObjects;
    std::optional<std::string> m_duplicate;
    int m_duplicateDepth = 0;
};

Json parseJson(const std::uint8_t* begin, std::uint64_t length, const std::string& label) {
    DuplicateKeyFinder finder;
    Json header;
    try {
        header = Json::parse(begin, begin + length,
                             [&finder](int depth, Json::parse_event_t event, Json& parsed) {
                                 return finder(depth, event, parsed);
                             });
    } catch (const Json::exception& e) {
        fail(label, std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.is_object())
        fail(label, std::string("header is a JSON ") + header.type_name() + ", not an object");
    if (finder.duplicate()) {
        if (finder.duplicateAtTopLevel())
            fail(label, "header names tensor " + quoted(*finder.duplicate()) + " twice");
        fail(label, "header repeats the key " + quoted(*finder.duplicate()) + " inside an entry");
    }
    return header;
}

std::map<std::string, std::string> parseMetadata(const Json& metadata, const std::string& label) {
    std::map<std::string, std::string> result;
    if (metadata.is_null())
        return result;
    if (!metadata.is_object())
        fail(label, std::string("__metadata__ is a ") + metadata.type_name() +
                        ", not an object of strings");
    for (const auto& [key, value] : metadata.items()) {
        if (!value.is_string())
            fail(label,
                 "__metadata__ " + quoted(key) + " is a " + value.type_name() + ", not a string");
        result[key] = value.get<std::string>();
    }
    return result;
}

const Json& field(const Json& entry, const char* name, const std::string& where) {
    const auto it = entry.find(name);
    if (it == entry.end())
        fail(where, std::string("missing field '") + name + "'");
    return *it;
}

DType parseEntryDType(const Json& value, const std::string& where) {
    if (!value.is_string())
        fail(where, std::string("'dtype' is a ") + value.type_name() + ", not a string");
    const std::string& name = value.get_ref<const std::string&>();
    if (const std::optional<DType> dtype = parseDType(name))
        return *dtype;
    if (isKnownUnsupportedDType(name))
        fail(where, "dtype " + quoted(name) + " is not supported by this engine (LibTorch 1.13)",
             ErrorKind::Unsupported);
    fail(where, "unknown dtype " + quoted(name));
}

// Returns the element count; refuses negative, non-integer and overflowing dimensions.
std::uint64_t parseShape(const Json& value, std::vector<std::int64_t>& shape,
                         const std::string& where) {
    if (!value.is_array())
        fail(where, std::string("'shape' is a ") + value.type_name() + ", not an array");
    if (value.size() > kMaxTensorRank)
        fail(where, "shape has " + std::to_string(value.size()) + " dimensions (more than " +
                        std::to_string(kMaxTensorRank) + ")");
    std::uint64_t numel = 1;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const Json& dim = value[i];
        if (dim.is_number_integer() && !dim.is_number_unsigned())
            fail(where, "shape[" + std::to_string(i) + "] is negative (" + dim.dump() + ")");
        if (!dim.is_number_unsigned())
            fail(where, "shape[" + std::to_string(i) + "] is not a non-negative integer (" +
                            dim.dump() + ")");
        const std::uint64_t size = dim.get<std::uint64_t>();
        if (size > kMaxInt64 || (size != 0 && numel > kMaxInt64 / size))
            fail(where, "shape " + value.dump() + " has more elements than fit in 64 bits");
        numel *= size;
        shape.push_back(static_cast<std::int64_t>(size));
    }
    return numel;
}

TensorInfo parseEntry(const std::string& name, const Json& entry, std::uint64_t dataSize,
                      const std::string& label) {
    const std::string where = label + ": tensor " + quoted(name);
    if (!entry.is_object())
        fail(where, std::string("entry is a ") + entry.type_name() +
                        ", not an object {dtype, shape, data_offsets}");
    TensorInfo info;
    info.name = name;
    info.dtype = parseEntryDType(field(entry, "dtype", where), where);
    const std::uint64_t numel = parseShape(field(entry, "shape", where), info.shape, where);

    const Json& offsets = field(entry, "data_offsets", where);
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
        fail(where, "'data_offsets' is " + offsets.dump() +
                        ", not [begin, end] with non-negative integers");
    info.dataBegin = offsets[0].get<std::uint64_t>();
    info.dataEnd = offsets[1].get<std::uint64_t>();
    if (info.dataBegin > info.dataEnd)
        fail(where, "data_offsets " + offsets.dump() + " end before they begin");
    if (info.dataEnd > dataSize)
        fail(where, "data_offsets " + offsets.dump() + " run past the end of the data section (" +
                        std::to_string(dataSize) + " bytes)");

    const std::uint64_t itemBytes = elementSize(info.dtype);
    if (numel > std::numeric_limits<std::uint64_t>::max() / itemBytes ||
        numel * itemBytes != info.byteSize())
        fail(where, "data_offsets " + offsets.dump() + " span " + std::to_string(info.byteSize()) +
                        " bytes but shape " + shapeToString(info.shape) + " of " +
                        dtypeName(info.dtype) + " needs " + std::to_string(numel) + " x " +
                        std::to_string(itemBytes));
    return info;
}

// Two tensors sharing bytes would alias: writing one through a loaded copy is fine, but such a
// file is not what any writer produces, so it is corrupt. Empty tensors own no bytes.
void checkNoOverlap(const std::vector<TensorInfo>& tensors, const std::string& label) {
    std::vector<const TensorInfo*> byOffset;
    for (const TensorInfo& t : tensors)
        if (t.byteSize() > 0)
            byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](const TensorInfo* a, const TensorInfo* b) {
        return a->dataBegin != b->dataBegin ? a->dataBegin < b->dataBegin : a->dataEnd < b->dataEnd;
    });
    const TensorInfo* furthest = nullptr;
    for (const TensorInfo* t : byOffset) {
        if (furthest && t->dataBegin < furthest->dataEnd)
            fail(label, "tensors " + quoted(furthest->name) + " and " + quoted(t->name) +
                            " overlap in the data section");
        if (!furthest || t->dataEnd > furthest->dataEnd)
            furthest = t;
    }
}

} // namespace

std::int64_t TensorInfo::numel() const {
    std::int64_t count = 1;
    for (std::int64_t dim : shape)
        count *= dim;
    return count;
}

std::string shapeToString(const std::vector<std::int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

SafetensorsHeader parseSafetensorsHeader(const std::uint8_t* bytes, std::uint64_t fileSize,
                                         const std::string& fileLabel) {
    if (fileSize < 8)
        fail(fileLabel, "file is " + std::to_string(fileSize) +
                            " bytes, too short for a safetensors header length");
    SafetensorsHeader header;
    header.headerBytes = readLittleEndian64(bytes);
    if (header.headerBytes > kMaxSafetensorsHeaderBytes)
        fail(fileLabel, "header length " + std::to_string(header.headerBytes) +
                            " is absurd (over 100 MB): not a safetensors file, or corrupt");
    if (header.headerBytes > fileSize - 8)
        fail(fileLabel, "header length " + std::to_string(header.headerBytes) +
                            " runs past the end of the file (" + std::to_string(fileSize) +
                            " bytes): truncated or not a safetensors file");
    header.dataOffset = 8 + header.headerBytes;
    const std::uint64_t dataSize = fileSize - header.dataOffset;

    const Json json = parseJson(bytes + 8, header.headerBytes, fileLabel);
    for (const auto& [name, entry] : json.items()) {
        if (name == "__metadata__")
            header.metadata = parseMetadata(entry, fileLabel);
        else
            header.tensors.push_back(parseEntry(name, entry, dataSize, fileLabel));
    }
    // json objects iterate in key order, so tensors are already sorted by name.
    checkNoOverlap(header.tensors, fileLabel);
    return header;
}

} // namespace rd::model
