// The encoding check every text manifest (CSV, JSON Lines, JSON) gets before it is parsed: a
// UTF-16 or UTF-32 file (what spreadsheet programs write as "Unicode text") is named as such,
// instead of failing later with a message cut short at its first NUL byte.
#pragma once

#include <filesystem>

namespace rd::importers {

// Throws rd::Error(Format) naming the file when it starts with a UTF-16/UTF-32 byte-order mark or
// holds NUL bytes in its first 64 KiB. A UTF-8 byte-order mark is fine (readers skip it).
void requireUtf8Text(const std::filesystem::path& file);

} // namespace rd::importers
