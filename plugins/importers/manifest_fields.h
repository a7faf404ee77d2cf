// The generic manifest row (JSONL object or CSV record) and the checks every importer shares.
//
// Fields: prompt (required), category, split, metadata, media_a (required), media_b,
// generator_a, generator_b, seed_a, seed_b, step_a, step_b, preferred (a|b|tie|unknown),
// rationale, source (human|synthetic|import). Unknown fields are an error (a typo must not
// silently drop data).
#pragma once

#include "store/import_source.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>

namespace rd::importers {

enum class FieldTyping {
    Json = 1, // values carry their JSON types (JSONL)
    Text,     // every value is text and numbers are parsed from it (CSV)
};

store::ImportRow rowFromFields(const nlohmann::json& fields, const std::string& file,
                               std::int64_t line, const std::filesystem::path& mediaRoot,
                               FieldTyping typing);

// mediaRoot when set, else the manifest's folder.
std::filesystem::path mediaRootFor(const std::filesystem::path& manifest,
                                   const store::ReaderOptions& options);
// Relative paths are taken from root; absolute ones are kept.
std::filesystem::path resolveMedia(const std::filesystem::path& root, const std::string& path);

// Splits are short identifiers: [a-z0-9_-]{1,32}.
bool isValidSplit(const std::string& split);

// "file:line: field 'f': problem" (text manifests).
[[noreturn]] void failField(const std::string& file, std::int64_t line, const std::string& field,
                            const std::string& problem);
// "file: record N: field 'f': problem" (JSON arrays, where a record spans many lines).
[[noreturn]] void failRecordField(const std::string& file, std::int64_t record,
                                  const std::string& field, const std::string& problem);

} // namespace rd::importers
