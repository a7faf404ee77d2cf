#include "bad_models.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rd::test {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

void writeBytes(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// A safetensors file: 8-byte little-endian header length, the JSON header, then the data.
struct Safetensors {
    json header;
    std::string data;
};

Safetensors parse(const std::string& bytes) {
    std::uint64_t length = 0;
    std::memcpy(&length, bytes.data(), sizeof length);
    return {json::parse(bytes.substr(8, length)), bytes.substr(8 + length)};
}

std::string serialise(const Safetensors& file) {
    std::string header = file.header.dump();
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::uint64_t length = header.size();
    std::string bytes(reinterpret_cast<const char*>(&length), sizeof length);
    return bytes + header + file.data;
}

// The same tensors without one, packed again so the offsets stay contiguous.
Safetensors without(const Safetensors& file, const std::string& name) {
    Safetensors out{json::object(), {}};
    for (const auto& [key, info] : file.header.items()) {
        if (key == name)
            continue;
        if (key == "__metadata__") {
            out.header[key] = info;
            continue;
        }
        const auto begin = info["data_offsets"][0].get<std::size_t>();
        const auto end = info["data_offsets"][1].get<std::size_t>();
        json moved = info;
        moved["data_offsets"] = {out.data.size(), out.data.size() + (end - begin)};
        out.data += file.data.substr(begin, end - begin);
        out.header[key] = moved;
    }
    return out;
}

void editConfig(const fs::path& folder, const std::string& field, const json& value) {
    json config = json::parse(readBytes(folder / "config.json"));
    config["lm"][field] = value;
    writeBytes(folder / "config.json", config.dump(2));
}

fs::path copyOf(const fs::path& good, const fs::path& into, const std::string& name) {
    const fs::path folder = into / name;
    fs::copy(good, folder, fs::copy_options::recursive);
    return folder;
}

} // namespace

void writeBadModels(const fs::path& good, const fs::path& into) {
    fs::create_directories(into);
    editConfig(copyOf(good, into, "heads0"), "heads", 0);
    editConfig(copyOf(good, into, "huge"), "hidden", 1000000000);
    const fs::path tooBig = copyOf(good, into, "toobig");
    editConfig(tooBig, "hidden", 65536);
    editConfig(tooBig, "intermediate", 262144);
    editConfig(tooBig, "layers", 512);
    editConfig(tooBig, "vocab_size", 4194304);

    const std::string weights = readBytes(good / "model.safetensors");
    Safetensors nan = parse(weights);
    for (const auto& [key, info] : nan.header.items())
        if (key != "__metadata__" && info["dtype"] == "F32") {
            const float value = std::numeric_limits<float>::quiet_NaN();
            std::memcpy(&nan.data[info["data_offsets"][0].get<std::size_t>()], &value,
                        sizeof value);
            break;
        }
    writeBytes(copyOf(good, into, "nan") / "model.safetensors", serialise(nan));

    const Safetensors all = parse(weights);
    if (!all.header.contains("language_model.lm_head.weight"))
        throw std::runtime_error("the good model has no lm_head to leave out");
    writeBytes(copyOf(good, into, "nohead") / "model.safetensors",
               serialise(without(all, "language_model.lm_head.weight")));

    fs::remove(copyOf(good, into, "noreward") / "reward.json");
    writeBytes(copyOf(good, into, "truncated") / "model.safetensors",
               weights.substr(0, weights.size() * 6 / 10));
}

} // namespace rd::test
