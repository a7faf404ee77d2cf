// What an importer plugin reads from a manifest: rows of prompt + one or two media + preference.
// Plugins (plugins/importers) implement ManifestReader; ImportWriter stores the rows.
#pragma once

#include "store/records.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace rd::store {

struct ImportRow {
    // Where the row came from, for error messages: "file:line".
    std::string sourceFile;
    std::int64_t line = 0; // 1-based line (text manifests) or record index (JSON arrays)
    bool lineIsRecord = false;

    std::string prompt;
    std::string category;
    std::string split = "train";
    std::string metadataJson = "{}";

    std::filesystem::path mediaA; // absolute, or relative to the current folder
    std::filesystem::path mediaB; // empty: the row holds one generation and no pair
    std::string generatorA = "unknown";
    std::string generatorB = "unknown";
    std::optional<std::int64_t> seedA, seedB, stepA, stepB;

    Preference preferred = Preference::Unknown;
    PairSource source = PairSource::Import;
    std::string rationale;

    std::string where() const {
        return sourceFile + (lineIsRecord ? ": record " : ":") + std::to_string(line);
    }
};

using RowSink = std::function<void(const ImportRow&)>;

struct ReaderOptions {
    // Folder that relative media paths in the manifest are resolved against; empty: the
    // manifest's own folder.
    std::filesystem::path mediaRoot;
};

class ManifestReader {
public:
    virtual ~ManifestReader() = default;
    virtual std::string formatName() const = 0;
    // Calls sink once per row, in file order. Throws rd::Error(Format) naming file, line and
    // field for a malformed row.
    virtual void read(const std::filesystem::path& input, const ReaderOptions& options,
                      const RowSink& sink) = 0;
};

} // namespace rd::store
