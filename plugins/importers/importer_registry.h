// The importer plugins by name, and format detection for `rdance import` without --format.
//
// Formats: jsonl, csv, folder-pair, imagereward, hpdv2, pickapic.
#pragma once

#include "store/import_source.h"

#include <memory>
#include <string>
#include <vector>

namespace rd::importers {

std::vector<std::string> formatNames();

// Throws rd::Error(InvalidArgument) naming the known formats for an unknown name.
std::unique_ptr<store::ManifestReader> makeReader(const std::string& format);

// A folder -> folder-pair; .csv -> csv; .jsonl -> pickapic when the first row has "caption",
// else jsonl; .json -> imagereward or hpdv2 from the first record's fields.
std::string detectFormat(const std::filesystem::path& input);

} // namespace rd::importers
