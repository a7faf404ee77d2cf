// Reading JSON manifests with errors that name the file and line.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>

namespace rd::importers {

// Calls onRow(object, lineNumber) for each non-blank line of a JSON Lines file.
void forEachJsonLine(const std::filesystem::path& path,
                     const std::function<void(const nlohmann::json&, std::int64_t)>& onRow);

// Parses a whole JSON file (ImageReward, HPDv2 layouts).
nlohmann::json readJsonDocument(const std::filesystem::path& path);

// The line (1-based) that holds byte offset `offset` of `text`.
std::int64_t lineOfOffset(const std::string& text, std::size_t offset);

} // namespace rd::importers
