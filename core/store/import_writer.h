// Stores manifest rows in a workspace as ONE transaction: a bad row (missing or unreadable media,
// bad value) aborts the import with an error naming file, line and field, and the workspace is
// left exactly as it was. Re-importing adds nothing twice: media are deduplicated by SHA-256,
// prompts by (text, category, split), generations by (prompt, media, generator), pairs by
// (prompt, generation a, generation b).
//
// Usage:
//   ImportReport r = importManifest(ws, reader, "pairs.jsonl", {}, probe, {});
#pragma once

#include "store/import_source.h"

#include <cstdint>
#include <filesystem>
#include <functional>

namespace rd::store {

class Workspace;

// What the media engine says about a file; the store itself decodes nothing.
struct MediaFacts {
    MediaKind kind = MediaKind::Image;
    int width = 0;
    int height = 0;
    std::int64_t frames = 1;
    std::optional<double> fps;
    std::optional<double> durationS;
};
using MediaProber = std::function<MediaFacts(const std::filesystem::path&)>;

struct ImportOptions {
    // Copy each new media file into the workspace's media/ folder (content-addressed), so the
    // workspace stands alone; otherwise the original path is stored.
    bool copyMedia = false;
    // Called every progressEvery rows (inside the transaction); return false to cancel.
    std::function<bool(std::int64_t rowsDone)> progress;
    std::int64_t progressEvery = 1000;
};

struct ImportReport {
    std::int64_t rows = 0;
    std::int64_t promptsAdded = 0;
    std::int64_t mediaAdded = 0;
    std::int64_t mediaReused = 0;
    std::int64_t generationsAdded = 0;
    std::int64_t pairsAdded = 0;
    std::int64_t pairsExisting = 0;
};

ImportReport importManifest(Workspace& workspace, ManifestReader& reader,
                            const std::filesystem::path& input, const ReaderOptions& readerOptions,
                            const MediaProber& prober, const ImportOptions& options);

} // namespace rd::store
