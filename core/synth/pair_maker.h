// Preference pairs with known winners for ShapeWorld prompts. For each prompt a bundle holds the
// clean generator's match, the sloppy generator's sample, near misses (each wrong in one known
// way), and sometimes a second clean match or a near miss's twin; its pairs are match vs near
// miss (match wins), clean vs sloppy, near miss vs near miss (winner by score, a tie when wrong
// alike), match vs match (tie, both right), each with its rationale in both formats and a
// difficulty. The winner sits first or second at random, so "yes" and "no" are balanced.
//
// Usage:
//   BundleOptions options;                                  // 64 px images
//   std::vector<PromptBundle> bundles = makeBundles(Split::Train, MediaMode::Image, 100, 7,
//                                                   options);
#pragma once

#include "synth/pair_verdict.h"
#include "synth/prompt_sampler.h"
#include "synth/rationale_writer.h"
#include "synth/renderer.h"
#include "synth/scene_builder.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rd::synth {

enum class ImageRole { Match = 1, SecondMatch, Sloppy, NearMissImage, NearMissTwin };
const char* name(ImageRole role);

struct SynthImage {
    Scene scene;
    RenderOptions look;
    ImageRole role = ImageRole::Match;
    std::optional<NearMiss> nearMiss; // near misses, and the sloppy sample's mistake
    std::string generator;
    std::int64_t seed = 0; // stored as the generation's seed (non-negative)
};

struct SynthPair {
    int first = 0; // index into the bundle's images: image 1, the pair's "a"
    int second = 0;
    Winner winner = Winner::Tie;
    Difficulty difficulty = Difficulty::Hard;
    Rationale rationale;
};

struct PromptBundle {
    SampledPrompt prompt;
    int frames = 1; // 1 for images
    std::vector<SynthImage> images;
    std::vector<SynthPair> pairs;
};

struct BundleOptions {
    int size = 64;
    int frames = kDefaultClipFrames; // clips
    int nearMisses = 2;
    bool sloppy = true;
};

Observation observeImage(const SynthImage& image, int frames);

PromptBundle makeBundle(const SampledPrompt& prompt, std::uint64_t seed,
                        const BundleOptions& options);
// `count` prompts of a split, categories in turn (so every category is present once count >= 6
// for images, 3 for clips), each from its own seed derived from (seed, split, index).
std::vector<PromptBundle> makeBundles(Split split, MediaMode mode, int count, std::uint64_t seed,
                                      const BundleOptions& options);

} // namespace rd::synth
