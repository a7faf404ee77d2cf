// A logical checkpoint: one safetensors file, or Hugging Face shards tied together by
// model.safetensors.index.json ({"metadata": {...}, "weight_map": {tensor: shard file}}).
//
// Usage:
//   Checkpoint ckpt = Checkpoint::open("InternVL2-8B");  // a folder, a .safetensors or an index
//   for (const TensorInfo& t : ckpt.tensors()) ...      // every tensor, sorted by name
//   at::Tensor w = ckpt.load("language_model.output.weight", at::kBFloat16, device);
//   ckpt.copyInto("vision_model.embeddings.class_embedding", module->class_embedding);
//
// A folder opens model.safetensors when it exists, else model.safetensors.index.json (the order
// transformers uses). For a sharded checkpoint the tensors are exactly the weight_map's; each must
// exist in its shard. Every shard is mapped at open, so missing or corrupt shards fail at once.
#pragma once

#include "model/safetensors_file.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace rd::model {

inline constexpr const char* kSafetensorsFileName = "model.safetensors";
inline constexpr const char* kSafetensorsIndexFileName = "model.safetensors.index.json";

class Checkpoint {
public:
    // Throws rd::Error: NotFound for a missing path or shard (naming all missing shards), Format
    // for a malformed index or safetensors file.
    static Checkpoint open(const std::filesystem::path& path);

    // The file that was opened: the .safetensors file or the index.
    const std::filesystem::path& path() const { return m_path; }
    const std::vector<TensorInfo>& tensors() const { return m_tensors; }
    // A single file's __metadata__, or the index's "metadata" (non-string values as JSON text,
    // e.g. total_size).
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    std::vector<std::filesystem::path> files() const;

    const TensorInfo* find(const std::string& name) const;
    bool contains(const std::string& name) const { return find(name) != nullptr; }
    // The file holding the tensor; throws rd::Error(NotFound) naming the checkpoint.
    const SafetensorsFile& fileOf(const std::string& name) const;

    // See SafetensorsFile: fresh tensors, converted to the caller's dtype and device.
    at::Tensor load(const std::string& name, c10::ScalarType dtype, c10::Device device) const;
    at::Tensor load(const std::string& name) const;
    void copyInto(const std::string& name, const at::Tensor& destination) const;

private:
    Checkpoint() = default;
    static Checkpoint openFile(const std::filesystem::path& path);
    static Checkpoint openIndex(const std::filesystem::path& indexPath);

    std::filesystem::path m_path;
    std::vector<SafetensorsFile> m_files;
    std::vector<TensorInfo> m_tensors;       // sorted by name
    std::vector<std::size_t> m_fileOfTensor; // index into m_files, parallel to m_tensors
    std::map<std::string, std::string> m_metadata;
};

} // namespace rd::model
