#include "synth/scene.h"

#include "synth/rng.h"
#include "synth/scene_layout.h"

#include <cmath>

namespace rd::synth {

SceneObject objectAt(const Scene& scene, const SceneObject& object, int frameIndex,
                     int frameCount) {
    SceneObject o = object;
    if (frameCount > 1) {
        const double t = static_cast<double>(frameIndex) / (frameCount - 1);
        o.x += scene.motionDx * t;
        o.y += scene.motionDy * t;
    }
    return o;
}

namespace {

// Clear of the border over the whole clip, and of every other object (they move together).
bool fits(const Scene& scene, size_t index, const SceneObject& o) {
    for (double t : {0.0, 1.0}) {
        const double x = o.x + scene.motionDx * t, y = o.y + scene.motionDy * t;
        const double m = o.radius + kBorderMargin / 2;
        if (x < m || x > 1 - m || y < m || y > 1 - m)
            return false;
    }
    for (size_t j = 0; j < scene.objects.size(); ++j) {
        if (j == index)
            continue;
        const SceneObject& p = scene.objects[j];
        const double need = o.radius + p.radius + kObjectGap / 2;
        if (std::hypot(o.x - p.x, o.y - p.y) < need)
            return false;
    }
    return true;
}

} // namespace

Scene jitterScene(const Scene& scene, double amount, std::uint64_t seed) {
    Rng rng(mixSeed(seed, 0x6a6974746572ULL));
    Scene out = scene;
    for (size_t i = 0; i < out.objects.size(); ++i) {
        SceneObject moved = out.objects[i];
        moved.x += rng.uniformReal(-amount, amount) * moved.radius;
        moved.y += rng.uniformReal(-amount, amount) * moved.radius;
        moved.rotationDeg += rng.uniformReal(-20.0, 20.0);
        if (fits(out, i, moved))
            out.objects[i] = moved;
    }
    return out;
}

} // namespace rd::synth
