// `rdance demo`: a ready-to-use workspace built from ShapeWorld alone - images (256 px, for the
// studio) and short clips in all three splits, their preference pairs with rationales, two
// stand-in generators (shapeworld-clean and shapeworld-sloppy) and a GSB study between them
// ("demo: sloppy vs clean": baseline clean, candidate sloppy), blind and in random left/right
// order, with a few honeypot items whose answer is known. Everything is written in one
// transaction; the same seed gives the same workspace.
//
// Usage:
//   DemoReport r = buildDemo("demo-workspace", DemoOptions{});
#pragma once

#include "store/records.h"
#include "synth/synth_writer.h"

#include <cstdint>
#include <filesystem>
#include <functional>

namespace rd::synth {

constexpr const char* kDemoStudyName = "demo: sloppy vs clean";

struct DemoOptions {
    std::uint64_t seed = 1;
    int imagePrompts[3] = {360, 120, 120}; // train, id, ood
    int clipPrompts[3] = {30, 10, 10};
    int imageSize = 256;
    int clipSize = 128;
    int frames = kDefaultClipFrames;
    int gsbItems = 120; // normal items; honeypots come on top
    int honeypots = 8;
    int repeats = 8; // earlier pairs shown again, sides swapped (self-consistency)
    int threads = 2;
    std::function<bool(const SynthProgress&)> progress;
};

struct DemoReport {
    SynthWriteReport write;
    long images = 0;
    long clips = 0;
    store::RowId studyId = 0;
    int gsbItems = 0;
    int honeypots = 0;
    int repeats = 0;
};

// Creates the workspace (it must not exist yet) and fills it. On failure nothing is committed,
// and a folder this call created is removed again.
DemoReport buildDemo(const std::filesystem::path& folder, const DemoOptions& options);

} // namespace rd::synth
