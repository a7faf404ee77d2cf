#include "synth/alignment_judge.h"

#include "synth/prompt_writer.h"

#include <algorithm>
#include <cmath>

namespace rd::synth {

namespace {

bool matches(const ObjectGroup& g, const ObservedObject& o, bool withColor) {
    return o.shape == g.shape && (!withColor || !g.color || o.color == *g.color);
}

int countMatches(const ObjectGroup& g, const std::vector<ObservedObject>& objects, bool withColor) {
    return static_cast<int>(std::count_if(objects.begin(), objects.end(),
                                          [&](const auto& o) { return matches(g, o, withColor); }));
}

std::string groupWords(const ObjectGroup& g) {
    return g.color ? std::string(name(*g.color)) + " " + name(g.shape) : name(g.shape);
}

std::vector<ConstraintResult> constraintsFor(const PromptSpec& spec) {
    auto make = [](ConstraintKind kind, int group, std::string text) {
        ConstraintResult c;
        c.kind = kind;
        c.group = group;
        c.text = std::move(text);
        return c;
    };
    std::vector<ConstraintResult> list;
    const auto& g = spec.groups;
    switch (spec.category) {
    case Category::SingleObject:
    case Category::TwoObjects:
        for (size_t i = 0; i < g.size(); ++i)
            list.push_back(make(ConstraintKind::GroupPresent, int(i), nounPhrase(g[i], false)));
        break;
    case Category::Counting:
        list.push_back(
            make(ConstraintKind::ShapePresent, 0, std::string("at least one ") + name(g[0].shape)));
        list.push_back(make(ConstraintKind::Count, 0, "exactly " + nounPhrase(g[0], true)));
        break;
    case Category::Colors:
    case Category::ColorAttr:
        for (size_t i = 0; i < g.size(); ++i) {
            list.push_back(
                make(ConstraintKind::ShapePresent, int(i), std::string("a ") + name(g[i].shape)));
            list.push_back(
                make(ConstraintKind::GroupPresent, int(i),
                     std::string("the ") + name(g[i].shape) + " is " + name(*g[i].color)));
        }
        break;
    case Category::Position:
        for (size_t i = 0; i < g.size(); ++i)
            list.push_back(make(ConstraintKind::GroupPresent, int(i), nounPhrase(g[i], false)));
        list.push_back(make(ConstraintKind::Relation, 0,
                            "the " + groupWords(g[0]) + " is " + name(*spec.relation) + " the " +
                                groupWords(g[1])));
        break;
    }
    if (spec.motion)
        list.push_back(make(ConstraintKind::Motion, 0,
                            "the " + groupWords(g[0]) + (g[0].count > 1 ? "s move " : " moves ") +
                                directionWords(*spec.motion)));
    return list;
}

bool staticMet(const PromptSpec& spec, const ConstraintResult& c,
               const std::vector<ObservedObject>& objects, int& observed) {
    const ObjectGroup& g = spec.groups[static_cast<size_t>(c.group)];
    switch (c.kind) {
    case ConstraintKind::ShapePresent:
        observed = countMatches(g, objects, false);
        return observed > 0;
    case ConstraintKind::GroupPresent:
        observed = countMatches(g, objects, true);
        return observed > 0;
    case ConstraintKind::Count:
        observed = countMatches(g, objects, true);
        return observed == g.count;
    case ConstraintKind::Relation:
        for (const auto& a : objects)
            for (const auto& b : objects)
                if (matches(spec.groups[0], a, true) && matches(spec.groups[1], b, true) &&
                    relationHolds(*spec.relation, a, b))
                    return true;
        return false;
    case ConstraintKind::Motion:
        break;
    }
    return false;
}

// The group's mean centre in each frame where it is seen.
bool motionMet(const PromptSpec& spec, const Observation& obs) {
    std::vector<ObservedObject> centres;
    for (const auto& frame : obs.frames) {
        double sx = 0, sy = 0;
        int n = 0;
        for (const auto& o : frame)
            if (matches(spec.groups[0], o, true)) {
                sx += o.x;
                sy += o.y;
                ++n;
            }
        if (n > 0)
            centres.push_back({Shape::Circle, Color::Red, sx / n, sy / n, 0.0});
    }
    if (centres.size() < 2 || centres.size() * 2 < obs.frames.size())
        return false;
    const bool horizontal =
        *spec.motion == Direction::LeftToRight || *spec.motion == Direction::RightToLeft;
    const double sign =
        (*spec.motion == Direction::LeftToRight || *spec.motion == Direction::TopToBottom) ? 1.0
                                                                                           : -1.0;
    auto along = [&](const ObservedObject& a, const ObservedObject& b) {
        return sign * (horizontal ? b.x - a.x : b.y - a.y);
    };
    auto across = [&](const ObservedObject& a, const ObservedObject& b) {
        return std::abs(horizontal ? b.y - a.y : b.x - a.x);
    };
    const double travel = along(centres.front(), centres.back());
    if (travel < kMinTravel || across(centres.front(), centres.back()) > 0.5 * travel)
        return false;
    for (size_t i = 1; i < centres.size(); ++i) // steady: no step backwards
        if (along(centres[i - 1], centres[i]) < -0.03)
            return false;
    return true;
}

} // namespace

const char* name(ConstraintKind kind) {
    switch (kind) {
    case ConstraintKind::ShapePresent:
        return "shape_present";
    case ConstraintKind::GroupPresent:
        return "group_present";
    case ConstraintKind::Count:
        return "count";
    case ConstraintKind::Relation:
        return "relation";
    case ConstraintKind::Motion:
        return "motion";
    }
    return "";
}

bool relationHolds(Relation relation, const ObservedObject& a, const ObservedObject& b) {
    const double dx = b.x - a.x, dy = b.y - a.y; // from a to b; y grows downwards
    switch (relation) {
    case Relation::LeftOf:
        return dx > 0 && dx > std::abs(dy);
    case Relation::RightOf:
        return dx < 0 && -dx > std::abs(dy);
    case Relation::Above:
        return dy > 0 && dy > std::abs(dx);
    case Relation::Below:
        return dy < 0 && -dy > std::abs(dx);
    }
    return false;
}

Observation observeScene(const Scene& scene, int frameCount) {
    Observation obs;
    const int frames = std::max(1, frameCount);
    for (int f = 0; f < frames; ++f) {
        std::vector<ObservedObject> objects;
        for (const SceneObject& s : scene.objects) {
            const SceneObject o = objectAt(scene, s, f, frames);
            objects.push_back({o.shape, o.color, o.x, o.y, o.radius});
        }
        obs.frames.push_back(std::move(objects));
    }
    return obs;
}

Judgement judge(const PromptSpec& spec, const Observation& obs) {
    Judgement j;
    j.constraints = constraintsFor(spec);
    int met = 0;
    for (ConstraintResult& c : j.constraints) {
        if (c.kind == ConstraintKind::Motion) {
            c.met = motionMet(spec, obs);
        } else {
            // A clip meets a still constraint when most of its frames do (one bad detection
            // does not sink it).
            int framesMet = 0;
            std::vector<int> observed;
            for (const auto& frame : obs.frames) {
                int seen = 0;
                framesMet += staticMet(spec, c, frame, seen) ? 1 : 0;
                observed.push_back(seen);
            }
            c.met = !obs.frames.empty() && 2 * framesMet > static_cast<int>(obs.frames.size());
            if (!observed.empty()) {
                std::nth_element(observed.begin(), observed.begin() + long(observed.size() / 2),
                                 observed.end());
                c.observedCount = observed[observed.size() / 2];
            }
        }
        met += c.met ? 1 : 0;
    }
    j.satisfied = met == static_cast<int>(j.constraints.size());
    j.score = j.constraints.empty() ? 0.0 : double(met) / double(j.constraints.size());
    return j;
}

} // namespace rd::synth
