// The judge: decides whether what an image shows satisfies a prompt, constraint by constraint,
// in GenEval's terms (Table 4's categories). It reads objects, not pixels: the oracle feeds it
// the objects it detects, and the scene's own objects give the ground truth, so truth and oracle
// are judged by one rule and any disagreement comes from detection alone.
//
// Usage:
//   Observation seen = observeScene(scene, 1);                 // or the oracle's detections
//   Judgement j = judge(spec, seen);
//   j.satisfied; j.score;                                      // score = constraints met / all
#pragma once

#include "synth/prompt_spec.h"
#include "synth/scene.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::synth {

struct ObservedObject {
    Shape shape = Shape::Circle;
    Color color = Color::Red;
    double x = 0.0; // centre in [0, 1] of width / height
    double y = 0.0;
    double radius = 0.0; // fraction of the shorter side
};

// One frame for an image; a clip's frames in order.
struct Observation {
    std::vector<std::vector<ObservedObject>> frames;
};

enum class ConstraintKind {
    ShapePresent = 1, // an object of the group's shape, any colour
    GroupPresent,     // an object of the group's shape and colour (when the prompt names one)
    Count,            // exactly the group's count of such objects
    Relation,         // the groups stand in the prompt's relation
    Motion,           // the group moves the prompt's way across the clip
};

struct ConstraintResult {
    ConstraintKind kind = ConstraintKind::ShapePresent;
    int group = 0;
    std::string text; // "exactly three red circles", "the red circle is left of the star"
    bool met = false;
    int observedCount = 0; // objects matching the group (median over frames), for rationales
};

struct Judgement {
    bool satisfied = false;
    double score = 0.0; // fraction of constraints met, in [0, 1]
    std::vector<ConstraintResult> constraints;
};

constexpr double kMinTravel = 0.2; // a clip "moves" when the group travels 0.2 of the frame

Observation observeScene(const Scene& scene, int frameCount);
Judgement judge(const PromptSpec& spec, const Observation& observation);

// Whether a stands in `relation` to b: the offset along the relation's axis points the right
// way and is larger than the offset across it.
bool relationHolds(Relation relation, const ObservedObject& a, const ObservedObject& b);

const char* name(ConstraintKind kind); // "shape_present", "group_present", "count", ...

} // namespace rd::synth
