// Scene: what a ShapeWorld image (or clip) shows, in coordinates independent of pixel size:
// x and y in [0, 1] across the width and height, radius as a fraction of the shorter side.
// A scene is the ground truth the renderer draws and the judge checks; the oracle never sees it.
//
// Usage:
//   Scene scene;
//   scene.objects.push_back({Shape::Star, Color::Red, 0.3, 0.5, 0.12, 0.0});
//   scene.motionDx = 0.4;                                  // clips: moves right by 0.4 widths
//   SceneObject later = objectAt(scene, scene.objects[0], 15, 16);
#pragma once

#include "synth/vocabulary.h"

#include <cstdint>
#include <vector>

namespace rd::synth {

struct SceneObject {
    Shape shape = Shape::Circle;
    Color color = Color::Red;
    double x = 0.5; // centre, first frame
    double y = 0.5;
    double radius = 0.1; // circumradius: a polygon's corners touch this circle
    double rotationDeg = 0.0;
};

struct Scene {
    std::vector<SceneObject> objects;
    int backgroundGrey = 128; // achromatic, between the palette's black and white
    // Clips: every object moves by (motionDx, motionDy) from the first frame to the last.
    double motionDx = 0.0;
    double motionDy = 0.0;

    bool isMoving() const { return motionDx != 0.0 || motionDy != 0.0; }
};

// Moves each object by up to `amount` of its radius in x and y, keeping a move only when the
// object stays clear of the others and of the border (so no two objects merge). Rotations get
// up to +-20 degrees more. Used for sloppy renders and harder pairs.
Scene jitterScene(const Scene& scene, double amount, std::uint64_t seed);

// The object in frame frameIndex of frameCount (linear motion; frameCount 1 is a still image).
SceneObject objectAt(const Scene& scene, const SceneObject& object, int frameIndex, int frameCount);

} // namespace rd::synth
