// SceneBuilder's near misses: each changes the matching scene in exactly one way the prompt
// forbids, so the pair (match, near miss) has a known winner.
#include "synth/scene_builder.h"

#include "common/error.h"
#include "synth/split_rules.h"

#include <algorithm>
#include <cstdlib>

namespace rd::synth {

namespace {

const char* const kNearMissNames[] = {"wrong_count",    "wrong_color",     "swapped_position",
                                      "missing_object", "extra_object",    "wrong_shape",
                                      "swapped_colors", "wrong_direction", "no_motion"};

std::vector<SceneObject> groupObjects(const Scene& scene, Shape shape) {
    std::vector<SceneObject> out;
    for (const SceneObject& o : scene.objects)
        if (o.shape == shape)
            out.push_back(o);
    return out;
}

Shape otherShape(const PromptSpec& spec, Rng& rng) {
    std::vector<Shape> options;
    for (Shape s : kShapes)
        if (std::none_of(spec.groups.begin(), spec.groups.end(),
                         [&](const ObjectGroup& g) { return g.shape == s; }))
            options.push_back(s);
    return rng.pick(options);
}

} // namespace

const char* name(NearMiss kind) {
    return kNearMissNames[static_cast<size_t>(kind) - 1];
}

std::vector<NearMiss> SceneBuilder::nearMissesFor(const PromptSpec& spec) const {
    std::vector<NearMiss> kinds;
    const auto& g = spec.groups;
    switch (spec.category) {
    case Category::SingleObject:
    case Category::TwoObjects:
        kinds = {NearMiss::WrongShape, NearMiss::MissingObject};
        break;
    case Category::Counting:
        kinds = {NearMiss::WrongCount, NearMiss::ExtraObject, NearMiss::MissingObject,
                 NearMiss::WrongShape};
        if (g[0].color)
            kinds.push_back(NearMiss::WrongColor);
        break;
    case Category::Colors:
        kinds = {NearMiss::WrongColor, NearMiss::WrongShape, NearMiss::MissingObject};
        break;
    case Category::Position:
        kinds = {NearMiss::SwappedPosition, NearMiss::MissingObject, NearMiss::WrongShape};
        if (g[0].color)
            kinds.push_back(NearMiss::WrongColor);
        break;
    case Category::ColorAttr:
        kinds = {NearMiss::WrongColor, NearMiss::WrongShape, NearMiss::MissingObject};
        // Swapping may draw a held-out combination, which train and id scenes never show.
        if (m_split == Split::Ood ||
            (!isHeldOutCombo(*g[1].color, g[0].shape) && !isHeldOutCombo(*g[0].color, g[1].shape)))
            kinds.push_back(NearMiss::SwappedColors);
        break;
    }
    if (spec.motion) {
        kinds.push_back(NearMiss::WrongDirection);
        kinds.push_back(NearMiss::NoMotion);
    }
    return kinds;
}

Scene SceneBuilder::nearMiss(const PromptSpec& spec, const Scene& match, NearMiss kind,
                             Rng& rng) const {
    const auto allowed = nearMissesFor(spec);
    if (std::find(allowed.begin(), allowed.end(), kind) == allowed.end())
        throw Error(ErrorKind::InvalidArgument, std::string("near miss '") + name(kind) +
                                                    "' does not apply to a " + name(spec.category) +
                                                    " prompt");
    Scene scene = match;
    const size_t gi = static_cast<size_t>(rng.uniformInt(0, int(spec.groups.size()) - 1));
    const ObjectGroup& group = spec.groups[gi];
    switch (kind) {
    case NearMiss::WrongCount:
    case NearMiss::ExtraObject:
    case NearMiss::MissingObject: {
        if (kind == NearMiss::MissingObject && spec.category != Category::Counting) {
            scene.objects.erase(
                std::remove_if(scene.objects.begin(), scene.objects.end(),
                               [&](const auto& o) { return o.shape == group.shape; }),
                scene.objects.end());
            break;
        }
        int count = group.count + (kind == NearMiss::ExtraObject ? 1 : -1);
        if (kind == NearMiss::WrongCount) {
            std::vector<int> far, near;
            for (int n = 1; n <= kMaxCount; ++n)
                if (n != group.count)
                    (std::abs(n - group.count) >= 2 ? far : near).push_back(n);
            count = far.empty() ? rng.pick(near) : rng.pick(far);
        }
        std::vector<SceneObject> objects = groupObjects(match, group.shape);
        while (static_cast<int>(objects.size()) > count)
            objects.pop_back();
        while (static_cast<int>(objects.size()) < count)
            objects.push_back(objects.front()); // same look as the rest of the group
        scene = arrange(std::move(objects), spec, rng);
        break;
    }
    case NearMiss::WrongColor: {
        const ObjectGroup& colored = group.color ? group : spec.groups[1 - gi];
        std::vector<Color> exclude;
        for (const ObjectGroup& g : spec.groups)
            if (g.color)
                exclude.push_back(*g.color);
        const Color wrong = freeColor(colored.shape, exclude, rng);
        for (SceneObject& o : scene.objects)
            if (o.shape == colored.shape)
                o.color = wrong;
        break;
    }
    case NearMiss::WrongShape: {
        const Shape wrong = otherShape(spec, rng);
        for (SceneObject& o : scene.objects)
            if (o.shape == group.shape) {
                o.shape = wrong;
                if (m_split != Split::Ood && isHeldOutCombo(o.color, wrong))
                    o.color = freeColor(wrong, {}, rng);
            }
        break;
    }
    case NearMiss::SwappedPosition:
        std::swap(scene.objects[0].x, scene.objects[1].x);
        std::swap(scene.objects[0].y, scene.objects[1].y);
        break;
    case NearMiss::SwappedColors:
        for (SceneObject& o : scene.objects)
            o.color =
                o.shape == spec.groups[0].shape ? *spec.groups[1].color : *spec.groups[0].color;
        break;
    case NearMiss::WrongDirection: // start where the match ends, travel back
        for (SceneObject& o : scene.objects) {
            o.x += match.motionDx;
            o.y += match.motionDy;
        }
        scene.motionDx = -match.motionDx;
        scene.motionDy = -match.motionDy;
        break;
    case NearMiss::NoMotion: // halfway along the match's path, standing still
        for (SceneObject& o : scene.objects) {
            o.x += match.motionDx / 2;
            o.y += match.motionDy / 2;
        }
        scene.motionDx = scene.motionDy = 0.0;
        break;
    }
    check(spec, scene, false, name(kind));
    return scene;
}

} // namespace rd::synth
