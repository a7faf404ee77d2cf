// One .safetensors file, memory-mapped: its tensor list, its metadata, and tensors loaded from it.
//
// Usage:
//   SafetensorsFile file("model.safetensors");    // maps the file, validates the whole header
//   for (const TensorInfo& t : file.tensors()) ... // sorted by name
//   at::Tensor w = file.load("lm_head.weight", at::kBFloat16, device);  // device from the caller
//   file.copyInto("model.norm.weight", norm->weight);  // straight into an existing parameter
//
// Loaded tensors own their memory (they never alias the read-only mapping), so callers may write
// into them. Copies of a SafetensorsFile share the mapping; const methods are thread-safe.
// Errors are rd::Error naming the file and the tensor.
#pragma once

#include "model/mapped_file.h"
#include "model/safetensors_header.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rd::model {

class SafetensorsFile {
public:
    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return m_file->path(); }
    const std::vector<TensorInfo>& tensors() const { return m_header->tensors; }
    const std::map<std::string, std::string>& metadata() const { return m_header->metadata; }
    // Where the data section starts in the file (8 + header length).
    std::uint64_t dataOffset() const { return m_header->dataOffset; }

    // nullptr when the file has no tensor of that name.
    const TensorInfo* find(const std::string& name) const;
    // Throws rd::Error(NotFound) naming the file when the tensor is absent.
    const TensorInfo& info(const std::string& name) const;

    // A fresh tensor converted to dtype on device.
    at::Tensor load(const std::string& name, c10::ScalarType dtype, c10::Device device) const;
    // A fresh CPU tensor in the stored dtype.
    at::Tensor load(const std::string& name) const;
    // Copies into destination (any dtype and device, same shape) without an intermediate tensor
    // where LibTorch can convert in one pass; autograd is off for the copy, so module parameters
    // are fine. Throws rd::Error(Format) when the shapes differ.
    void copyInto(const std::string& name, const at::Tensor& destination) const;

private:
    // A CPU tensor over the mapped bytes in the stored dtype; a copy when the bytes are not
    // aligned for the element type, and for BOOL (whose bytes must be normalised to 0/1).
    at::Tensor mappedView(const TensorInfo& info) const;

    std::shared_ptr<const MappedFile> m_file;
    std::shared_ptr<const SafetensorsHeader> m_header;
};

} // namespace rd::model
