// Two stand-in "generators" over ShapeWorld, so a workspace has generations to compare before any
// model is trained: a clean renderer (the matching scene, drawn cleanly) and a sloppy one (often
// a near miss - wrong count, colour, position, ... - jittered, blurred and noisy). The demo's GSB
// study compares them.
//
// Usage:
//   Rng rng(seed);
//   GeneratedImage g = generate(GeneratorStyle::Sloppy, spec, Split::Train, 256, rng);
//   cv::Mat rgb = render(g.scene, g.look);
#pragma once

#include "synth/renderer.h"
#include "synth/scene_builder.h"

#include <optional>

namespace rd::synth {

enum class GeneratorStyle { Clean = 1, Sloppy };

constexpr const char* kCleanGenerator = "shapeworld-clean";
constexpr const char* kSloppyGenerator = "shapeworld-sloppy";
constexpr const char* kNearMissGenerator = "shapeworld-nearmiss"; // the pairs' deliberate misses

struct GeneratedImage {
    Scene scene;
    RenderOptions look;
    std::optional<NearMiss> mistake; // what the sloppy generator got wrong, if anything
};

GeneratedImage generate(GeneratorStyle style, const PromptSpec& spec, Split split, int size,
                        Rng& rng);

} // namespace rd::synth
