// Writes ShapeWorld bundles into a workspace: media files first (rendered in parallel, named by
// their SHA-256 under WS/media/shapeworld/<split>/, each with a JSON sidecar holding its scene),
// then every row - prompts, media, generations, pairs - in ONE transaction, so a failure or a
// cancel leaves the workspace's rows as they were (files already written stay; they are
// harmless and reused by the next run). Writing the same bundles again adds nothing.
//
// Usage:
//   auto bundles = makeBundles(Split::Train, MediaMode::Image, 100, seed, {});
//   SynthWriteReport r = writeBundles(*ws, bundles, {});
#pragma once

#include "store/records.h"
#include "synth/pair_maker.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::synth {

struct SynthProgress {
    std::string phase; // "render" or "rows"
    long done = 0;
    long total = 0;
};

struct SynthWriteOptions {
    int threads = 2;  // render workers
    double fps = 8.0; // clips
    // Called now and then (from one thread at a time); return false to cancel (rd::Error
    // Cancelled, nothing committed).
    std::function<bool(const SynthProgress&)> progress;
};

struct WrittenPair {
    store::RowId pairId = 0;
    size_t bundle = 0;
    size_t pair = 0; // index into the bundle's pairs
};

struct SynthWriteReport {
    long prompts = 0;
    long promptsAdded = 0;
    long mediaAdded = 0;
    long mediaReused = 0;
    long generationsAdded = 0;
    long pairsAdded = 0;
    long pairsExisting = 0;
    std::vector<WrittenPair> pairs; // the pairs added by this run
};

// Called inside the transaction after the rows are written, before commit (the demo adds its
// GSB study here); an exception rolls everything back.
using BeforeCommit = std::function<void(store::Workspace&, const SynthWriteReport&)>;

SynthWriteReport writeBundles(store::Workspace& workspace, const std::vector<PromptBundle>& bundles,
                              const SynthWriteOptions& options,
                              const BeforeCommit& beforeCommit = {});

// The sidecar beside a media file ("<file>.json" with the extension replaced).
std::filesystem::path sidecarPath(const std::filesystem::path& mediaFile);

} // namespace rd::synth
