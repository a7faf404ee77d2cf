// Builds scenes for a prompt: the scene that satisfies it, and near misses that fail it in one
// known way (wrong count, wrong colour, swapped position, missing or extra object, wrong shape,
// swapped colours; for clips, wrong direction or no motion). Every scene is checked against the
// judge before it is returned, so a "match" always satisfies the prompt and a near miss never
// does. Train and id scenes never draw a held-out colour-shape combination.
//
// Usage:
//   SceneBuilder builder(Split::Train);
//   Scene good = builder.match(spec, rng);
//   for (NearMiss kind : builder.nearMissesFor(spec))
//       Scene bad = builder.nearMiss(spec, good, kind, rng);
#pragma once

#include "synth/prompt_spec.h"
#include "synth/rng.h"
#include "synth/scene.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::synth {

enum class NearMiss {
    WrongCount = 1,
    WrongColor,
    SwappedPosition,
    MissingObject,
    ExtraObject,
    WrongShape,
    SwappedColors,
    WrongDirection,
    NoMotion,
};

const char* name(NearMiss kind); // "wrong_count", ...

constexpr int kDefaultClipFrames = 16;
constexpr double kClipTravel = 0.4; // how far a moving scene travels over the clip

class SceneBuilder {
public:
    explicit SceneBuilder(Split split) : m_split(split) {}

    Scene match(const PromptSpec& spec, Rng& rng) const;
    // The near misses that make sense for this prompt (and this split's colour rules).
    std::vector<NearMiss> nearMissesFor(const PromptSpec& spec) const;
    // `match` must be a scene from match() for the same spec.
    Scene nearMiss(const PromptSpec& spec, const Scene& match, NearMiss kind, Rng& rng) const;

private:
    Scene arrange(std::vector<SceneObject> objects, const PromptSpec& spec, Rng& rng) const;
    Color freeColor(Shape shape, const std::vector<Color>& exclude, Rng& rng) const;
    void check(const PromptSpec& spec, const Scene& scene, bool shouldSatisfy,
               const char* what) const;

    Split m_split;
};

} // namespace rd::synth
