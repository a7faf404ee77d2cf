// SHA-256 of a file's content (OpenSSL), the key that deduplicates media in a workspace.
#pragma once

#include <filesystem>
#include <string>

namespace rd::store {

// Lower-case hex digest. Throws rd::Error(NotFound/Io) naming the file.
std::string sha256File(const std::filesystem::path& path);

} // namespace rd::store
