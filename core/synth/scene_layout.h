// Places round footprints in a box without overlap: random scatter first (varied layouts), a
// jittered grid when scatter fails (crowded counting scenes). Same-coloured objects that touched
// would merge into one blob for the oracle, so every pair keeps a gap.
//
// Usage:
//   Box box{0.03, 0.03, 0.97, 0.97};
//   std::vector<Point> centres = scatter({0.1, 0.12, 0.1}, box, kObjectGap, rng);
#pragma once

#include "synth/rng.h"

#include <vector>

namespace rd::synth {

struct Point {
    double x = 0.0;
    double y = 0.0;
};

// Objects lie wholly inside the box: centre at least its radius from every edge.
struct Box {
    double x0 = 0.0;
    double y0 = 0.0;
    double x1 = 1.0;
    double y1 = 1.0;
};

constexpr double kObjectGap = 0.05;    // edge-to-edge distance between objects
constexpr double kBorderMargin = 0.03; // edge-to-border distance

// Centres for the given radii. When neither scatter nor the grid fits, shrinks the radii in place
// (by 10% a step) and retries; throws rd::Error(Internal) if even that cannot fit them.
std::vector<Point> scatter(std::vector<double>& radii, const Box& box, double gap, Rng& rng);

} // namespace rd::synth
