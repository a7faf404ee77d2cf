// Parsing JSON text strictly, for every file a user hands us (job specs, manifests, model and
// reward configs, tokenizers): a syntax error names the line and column, and an object that
// states one key twice is refused (nlohmann keeps the last silently, so `"lr": 1e-3, ...,
// "lr": 1` would train with the second without a word).
//
// Usage: nlohmann::json spec = rd::parseJsonText(text, "job.json");
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rd {

// Throws rd::Error(Format) "where: not valid JSON: ... at line L, column C" or "where: key 'k'
// appears twice in one object".
nlohmann::json parseJsonText(const std::string& text, const std::string& where);

} // namespace rd
