#include "synth/scene_builder.h"

#include "common/error.h"
#include "synth/alignment_judge.h"
#include "synth/scene_layout.h"
#include "synth/split_rules.h"

#include <algorithm>
#include <cmath>

namespace rd::synth {

namespace {

// Fewer objects may be larger; at 64 px the smallest radius is still ~5.5 px, which the oracle
// tells apart reliably (see test_synth_oracle).
void drawRadii(std::vector<double>& radii, size_t count, bool video, Rng& rng) {
    double lo = 0.11, hi = 0.15;
    if (video) {
        lo = 0.09;
        hi = 0.12;
    } else if (count > 4) {
        lo = 0.085;
        hi = 0.105;
    } else if (count > 2) {
        lo = 0.095;
        hi = 0.125;
    }
    radii.resize(count);
    for (double& r : radii)
        r = rng.uniformReal(lo, hi);
}

// Two objects in a relation: the offset along the relation's axis is clearly larger than the
// one across it, so the judge's rule never sits on its boundary.
bool placePair(SceneObject& a, SceneObject& b, Relation relation, Rng& rng) {
    const double m = kBorderMargin;
    for (int t = 0; t < 400; ++t) {
        const double d = rng.uniformReal(a.radius + b.radius + 0.12, 0.7);
        const double c = rng.uniformReal(-0.35, 0.35) * d;
        double dx = 0, dy = 0;
        switch (relation) {
        case Relation::LeftOf: // a left of b: b lies to the right
            dx = d, dy = c;
            break;
        case Relation::RightOf:
            dx = -d, dy = c;
            break;
        case Relation::Above: // a above b: b lies below (y grows downwards)
            dx = c, dy = d;
            break;
        case Relation::Below:
            dx = c, dy = -d;
            break;
        }
        a.x = rng.uniformReal(a.radius + m, 1 - a.radius - m);
        a.y = rng.uniformReal(a.radius + m, 1 - a.radius - m);
        b.x = a.x + dx;
        b.y = a.y + dy;
        if (b.x >= b.radius + m && b.x <= 1 - b.radius - m && b.y >= b.radius + m &&
            b.y <= 1 - b.radius - m)
            return true;
    }
    return false;
}

// Where a moving scene's objects start: far enough from the edge they move towards.
Box startBox(Direction direction) {
    const double m = kBorderMargin;
    switch (direction) {
    case Direction::LeftToRight:
        return {m, m, 1 - m - kClipTravel, 1 - m};
    case Direction::RightToLeft:
        return {m + kClipTravel, m, 1 - m, 1 - m};
    case Direction::TopToBottom:
        return {m, m, 1 - m, 1 - m - kClipTravel};
    case Direction::BottomToTop:
        return {m, m + kClipTravel, 1 - m, 1 - m};
    }
    return {};
}

} // namespace

Color SceneBuilder::freeColor(Shape shape, const std::vector<Color>& exclude, Rng& rng) const {
    std::vector<Color> options;
    for (Color c : allowedColors(shape, m_split))
        if (std::find(exclude.begin(), exclude.end(), c) == exclude.end())
            options.push_back(c);
    if (options.empty())
        throw Error(ErrorKind::Internal,
                    "ShapeWorld: no colour left for a " + std::string(name(shape)));
    return rng.pick(options);
}

Scene SceneBuilder::arrange(std::vector<SceneObject> objects, const PromptSpec& spec,
                            Rng& rng) const {
    Scene scene;
    scene.backgroundGrey = rng.uniformInt(100, 160);
    std::vector<double> radii;
    drawRadii(radii, objects.size(), spec.isVideo(), rng);
    for (size_t i = 0; i < objects.size(); ++i) {
        objects[i].radius = radii[i];
        objects[i].rotationDeg = rng.uniformReal(-20.0, 20.0);
    }
    if (spec.relation && objects.size() == 2) {
        if (!placePair(objects[0], objects[1], *spec.relation, rng))
            throw Error(ErrorKind::Internal, "ShapeWorld layout: cannot place a related pair");
    } else {
        Box box{kBorderMargin, kBorderMargin, 1 - kBorderMargin, 1 - kBorderMargin};
        if (spec.motion)
            box = startBox(*spec.motion);
        const std::vector<Point> centres = scatter(radii, box, kObjectGap, rng);
        for (size_t i = 0; i < objects.size(); ++i) {
            objects[i].x = centres[i].x;
            objects[i].y = centres[i].y;
            objects[i].radius = radii[i]; // scatter may have shrunk them
        }
    }
    if (spec.motion) {
        const Direction d = *spec.motion;
        scene.motionDx = d == Direction::LeftToRight   ? kClipTravel
                         : d == Direction::RightToLeft ? -kClipTravel
                                                       : 0.0;
        scene.motionDy = d == Direction::TopToBottom   ? kClipTravel
                         : d == Direction::BottomToTop ? -kClipTravel
                                                       : 0.0;
    }
    scene.objects = std::move(objects);
    return scene;
}

Scene SceneBuilder::match(const PromptSpec& spec, Rng& rng) const {
    validate(spec);
    std::vector<SceneObject> objects;
    for (const ObjectGroup& g : spec.groups) {
        // Free-colour counting scenes are one colour or a mix, so colour is no counting cue.
        const bool oneColor = rng.chance(0.5);
        const Color shared = g.color ? *g.color : freeColor(g.shape, {}, rng);
        for (int k = 0; k < g.count; ++k) {
            SceneObject o;
            o.shape = g.shape;
            o.color = g.color || oneColor ? shared : freeColor(g.shape, {}, rng);
            objects.push_back(o);
        }
    }
    Scene scene = arrange(std::move(objects), spec, rng);
    check(spec, scene, true, "match");
    return scene;
}

void SceneBuilder::check(const PromptSpec& spec, const Scene& scene, bool shouldSatisfy,
                         const char* what) const {
    const int frames = spec.isVideo() ? kDefaultClipFrames : 1;
    if (judge(spec, observeScene(scene, frames)).satisfied != shouldSatisfy)
        throw Error(ErrorKind::Internal, std::string("ShapeWorld scene builder: the ") + what +
                                             " scene " + (shouldSatisfy ? "fails" : "satisfies") +
                                             " its prompt");
}

} // namespace rd::synth
