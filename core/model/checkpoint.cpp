#include "model/checkpoint.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace rd::model {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const fs::path& path, const std::string& what,
                       ErrorKind kind = ErrorKind::Format) {
    throw Error(kind, path.string() + ": " + what);
}

Json readIndex(const fs::path& indexPath) {
    Json index;
    try {
        index = Json::parse(readWholeFile(indexPath));
    } catch (const Json::exception& e) {
        fail(indexPath, std::string("not valid JSON: ") + e.what());
    }
    if (!index.is_object())
        fail(indexPath, std::string("is a JSON ") + index.type_name() + ", not an object");
    return index;
}

// Shards live beside the index; a name that climbs out of the folder is not a shard name.
void checkShardName(const fs::path& indexPath, const std::string& tensor,
                    const std::string& shard) {
    const fs::path shardPath(shard);
    const bool climbs = std::any_of(shardPath.begin(), shardPath.end(),
                                    [](const fs::path& part) { return part == ".."; });
    if (shard.empty() || shardPath.is_absolute() || climbs)
        fail(indexPath, "weight_map maps '" + tensor + "' to '" + shard +
                            "', which is not a file name beside the index");
}

std::map<std::string, std::string> readIndexMetadata(const Json& index, const fs::path& indexPath) {
    std::map<std::string, std::string> metadata;
    const auto it = index.find("metadata");
    if (it == index.end() || it->is_null())
        return metadata;
    if (!it->is_object())
        fail(indexPath, std::string("'metadata' is a ") + it->type_name() + ", not an object");
    for (const auto& [key, value] : it->items())
        metadata[key] = value.is_string() ? value.get<std::string>() : value.dump();
    return metadata;
}

} // namespace

Checkpoint Checkpoint::open(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        if (fs::exists(path / kSafetensorsFileName, ec))
            return openFile(path / kSafetensorsFileName);
        if (fs::exists(path / kSafetensorsIndexFileName, ec))
            return openIndex(path / kSafetensorsIndexFileName);
        fail(path,
             std::string("folder has neither ") + kSafetensorsFileName + " nor " +
                 kSafetensorsIndexFileName,
             ErrorKind::NotFound);
    }
    if (!fs::exists(path, ec))
        fail(path, "no such file or folder", ErrorKind::NotFound);
    if (path.extension() == ".json")
        return openIndex(path);
    return openFile(path);
}

Checkpoint Checkpoint::openFile(const fs::path& path) {
    Checkpoint checkpoint;
    checkpoint.m_path = path;
    checkpoint.m_files.emplace_back(path);
    checkpoint.m_tensors = checkpoint.m_files.front().tensors();
    checkpoint.m_fileOfTensor.assign(checkpoint.m_tensors.size(), 0);
    checkpoint.m_metadata = checkpoint.m_files.front().metadata();
    return checkpoint;
}

Checkpoint Checkpoint::openIndex(const fs::path& indexPath) {
    const Json index = readIndex(indexPath);
    const auto weightMap = index.find("weight_map");
    if (weightMap == index.end() || !weightMap->is_object())
        fail(indexPath, "'weight_map' is missing or not an object {tensor: shard file}");

    // Shard file name -> position in m_files, in order of first mention.
    std::map<std::string, std::size_t> shardSlots;
    std::vector<std::string> shardNames;
    for (const auto& [tensor, shard] : weightMap->items()) {
        if (!shard.is_string())
            fail(indexPath, "weight_map entry '" + tensor + "' is a " + shard.type_name() +
                                ", not a shard file name");
        const std::string& name = shard.get_ref<const std::string&>();
        checkShardName(indexPath, tensor, name);
        if (shardSlots.emplace(name, shardNames.size()).second)
            shardNames.push_back(name);
    }

    const fs::path folder = indexPath.parent_path();
    std::vector<std::string> missing;
    std::error_code ec;
    for (const std::string& name : shardNames)
        if (!fs::exists(folder / name, ec))
            missing.push_back(name);
    if (!missing.empty()) {
        std::string list;
        for (const std::string& name : missing)
            list += (list.empty() ? "" : ", ") + name;
        fail(indexPath,
             std::to_string(missing.size()) + " of " + std::to_string(shardNames.size()) +
                 " shard files are missing: " + list,
             ErrorKind::NotFound);
    }

    Checkpoint checkpoint;
    checkpoint.m_path = indexPath;
    checkpoint.m_metadata = readIndexMetadata(index, indexPath);
    for (const std::string& name : shardNames)
        checkpoint.m_files.emplace_back(folder / name);
    // weight_map iterates in key order, so the tensors come out sorted by name.
    for (const auto& [tensor, shard] : weightMap->items()) {
        const std::size_t slot = shardSlots.at(shard.get<std::string>());
        const TensorInfo* info = checkpoint.m_files[slot].find(tensor);
        if (!info)
            fail(indexPath, "weight_map puts '" + tensor + "' in " + shard.get<std::string>() +
                                ", which has no tensor of that name");
        checkpoint.m_tensors.push_back(*info);
        checkpoint.m_fileOfTensor.push_back(slot);
    }
    return checkpoint;
}

std::vector<fs::path> Checkpoint::files() const {
    std::vector<fs::path> paths;
    for (const SafetensorsFile& file : m_files)
        paths.push_back(file.path());
    return paths;
}

const TensorInfo* Checkpoint::find(const std::string& name) const {
    const auto it =
        std::lower_bound(m_tensors.begin(), m_tensors.end(), name,
                         [](const TensorInfo& t, const std::string& n) { return t.name < n; });
    return it != m_tensors.end() && it->name == name ? &*it : nullptr;
}

const SafetensorsFile& Checkpoint::fileOf(const std::string& name) const {
    const TensorInfo* info = find(name);
    if (!info)
        fail(m_path, "no tensor named '" + name + "'", ErrorKind::NotFound);
    return m_files[m_fileOfTensor[static_cast<std::size_t>(info - m_tensors.data())]];
}

at::Tensor Checkpoint::load(const std::string& name, c10::ScalarType dtype,
                            c10::Device device) const {
    return fileOf(name).load(name, dtype, device);
}

at::Tensor Checkpoint::load(const std::string& name) const {
    return fileOf(name).load(name);
}

void Checkpoint::copyInto(const std::string& name, const at::Tensor& destination) const {
    fileOf(name).copyInto(name, destination);
}

} // namespace rd::model
