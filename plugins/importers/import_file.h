// The one call the CLI, the studio and the benchmarks use to import a manifest: picks the reader
// (by --format or detection), probes media with the media engine, writes in one transaction.
#pragma once

#include "store/import_writer.h"

#include <filesystem>
#include <functional>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::importers {

struct ImportRequest {
    std::filesystem::path input;
    std::string format;              // empty: detect
    std::filesystem::path mediaRoot; // empty: the manifest's folder
    bool copyMedia = false;
    std::function<bool(std::int64_t rowsDone)> progress;
};

// Media facts from core/media (OpenCV for images, FFmpeg for videos).
store::MediaFacts probeWithMediaEngine(const std::filesystem::path& path);

store::ImportReport importFile(store::Workspace& workspace, const ImportRequest& request);

} // namespace rd::importers
