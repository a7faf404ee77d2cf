// Atomic file writes: the content goes to a temporary file beside the target, is flushed to disk,
// then renamed over the target. A crash leaves either the old file or the new one, never half.
//
// Usage: rd::writeFileAtomically(path, [&](std::ostream& out) { out << text; });
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>

namespace rd {

void writeFileAtomically(const std::filesystem::path& target,
                         const std::function<void(std::ostream&)>& writeContent);

// Reads a whole file; throws rd::Error(NotFound/Io) naming the file.
std::string readWholeFile(const std::filesystem::path& path);

} // namespace rd
