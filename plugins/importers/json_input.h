// Reading JSON manifests with errors that name the file and line.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>

namespace rd::importers {

// Calls onRow(object, lineNumber) for each non-blank line of a JSON Lines file.
void forEachJsonLine(const std::filesystem::path& path,
                     const std::function<void(const nlohmann::json&, std::int64_t)>& onRow);

// Parses a whole JSON file (ImageReward, HPDv2 layouts). Both readers refuse text that is not
// UTF-8 and objects that state a key twice (common/json_text.h).
nlohmann::json readJsonDocument(const std::filesystem::path& path);

} // namespace rd::importers
