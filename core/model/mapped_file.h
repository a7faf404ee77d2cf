// A whole file mapped read-only into memory (POSIX mmap), unmapped when the object dies.
//
// Usage:
//   auto file = std::make_shared<MappedFile>("model.safetensors"); // throws rd::Error
//   const std::uint8_t* bytes = file->data(); std::uint64_t n = file->size();
//
// Pages are read lazily by the kernel, so mapping a 16 GB checkpoint costs nothing until tensors
// are touched. The mapping is PROT_READ: writing through data() is a bug and faults. Another
// process truncating the file while it is mapped makes later reads fault (SIGBUS); our own writer
// replaces files by rename, which leaves existing mappings intact.
#pragma once

#include <cstdint>
#include <filesystem>

namespace rd::model {

class MappedFile {
public:
    // Throws rd::Error(NotFound) for a missing path, Io when it cannot be opened or mapped and
    // InvalidArgument when it is not a regular file.
    explicit MappedFile(const std::filesystem::path& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    // nullptr for an empty file.
    const std::uint8_t* data() const { return m_data; }
    std::uint64_t size() const { return m_size; }

private:
    std::filesystem::path m_path;
    const std::uint8_t* m_data = nullptr;
    std::uint64_t m_size = 0;
};

} // namespace rd::model
