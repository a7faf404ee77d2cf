// The checks every reader makes before it opens a file a user named, so that a folder, a missing
// path or an empty file is reported as what it is ("is a folder, not a file") instead of as a
// confusing read or parse error further on.
//
// Usage: rd::requireRegularFile(path);            // throws rd::Error naming the path
#pragma once

#include <filesystem>

namespace rd {

// Throws rd::Error(NotFound) when nothing is there, rd::Error(InvalidArgument) for a folder or
// anything else that is not a regular file (a device, a socket).
void requireRegularFile(const std::filesystem::path& path);

// requireRegularFile, and rd::Error(Format) "empty file (0 bytes)" for an empty one.
void requireNonEmptyFile(const std::filesystem::path& path);

// An output folder a command is about to create or fill: refused with rd::Error(InvalidArgument)
// when the path names a file. Creates it (and its parents); rd::Error(Io) when that fails.
void prepareOutputFolder(const std::filesystem::path& folder);

// An output file a command is about to write: refused with rd::Error(InvalidArgument) when the
// path names a folder, rd::Error(NotFound) when its folder does not exist.
void requireWritableFilePath(const std::filesystem::path& file);

} // namespace rd
