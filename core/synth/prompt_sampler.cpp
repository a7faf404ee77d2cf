#include "synth/prompt_sampler.h"

#include "common/error.h"
#include "synth/split_rules.h"

#include <vector>

namespace rd::synth {

namespace {

enum class OodFeature { Phrasing = 1, Combo, Count };

std::vector<Shape> allShapes() {
    return {kShapes.begin(), kShapes.end()};
}

bool hasColors(Category c) {
    return c == Category::Colors || c == Category::ColorAttr;
}

// Everything but the wording; colours and counts restricted to the split's allowed ones.
PromptSpec drawSpec(Category category, Split split, MediaMode mode, Rng& rng) {
    PromptSpec spec;
    spec.category = category;
    const bool twoGroups = category == Category::TwoObjects || category == Category::Position ||
                           category == Category::ColorAttr;
    std::vector<Shape> shapes = allShapes();
    rng.shuffle(shapes);
    spec.groups.resize(twoGroups ? 2 : 1);
    for (size_t i = 0; i < spec.groups.size(); ++i)
        spec.groups[i].shape = shapes[i];

    bool colored = hasColors(category);
    if (category == Category::Position)
        colored = rng.chance(0.5); // GenEval's position prompts name no colours; ours often do
    if (category == Category::Counting)
        colored = rng.chance(0.4);
    if (colored) {
        for (ObjectGroup& g : spec.groups)
            g.color = rng.pick(allowedColors(g.shape, split));
        while (category == Category::ColorAttr && spec.groups[0].color == spec.groups[1].color)
            spec.groups[1].color = rng.pick(allowedColors(spec.groups[1].shape, split));
    }
    if (category == Category::Counting)
        spec.groups[0].count = rng.pick(allowedCounts(split, mode == MediaMode::Video));
    if (category == Category::Position)
        spec.relation = kRelations[static_cast<size_t>(rng.uniformInt(0, 3))];
    if (mode == MediaMode::Video)
        spec.motion = kDirections[static_cast<size_t>(rng.uniformInt(0, 3))];
    return spec;
}

PromptWording drawWording(const PromptSpec& spec, Split split, Rng& rng) {
    std::vector<int> candidates;
    for (int t = 0; t < templateCount(spec.category); ++t)
        if (split == Split::Ood || !isOodTemplate(spec.category, t))
            candidates.push_back(t);
    PromptWording wording;
    wording.templateIndex = rng.pick(candidates);
    wording.oodMotionWords = split == Split::Ood && spec.motion && rng.chance(0.5);
    return wording;
}

// Makes an ood draw carry the chosen held-out feature.
void forceFeature(OodFeature feature, PromptSpec& spec, PromptWording& wording, Rng& rng) {
    switch (feature) {
    case OodFeature::Phrasing: {
        if (spec.motion && rng.chance(0.5)) {
            wording.oodMotionWords = true;
            return;
        }
        std::vector<int> ood;
        for (int t = 0; t < templateCount(spec.category); ++t)
            if (isOodTemplate(spec.category, t))
                ood.push_back(t);
        wording.templateIndex = rng.pick(ood);
        return;
    }
    case OodFeature::Combo: {
        const ColorShape combo = rng.pick(heldOutCombos());
        const size_t i = static_cast<size_t>(rng.uniformInt(0, int(spec.groups.size()) - 1));
        spec.groups[i].shape = combo.shape;
        spec.groups[i].color = combo.color;
        if (spec.groups.size() == 2) {
            ObjectGroup& other = spec.groups[1 - i];
            while (other.shape == combo.shape)
                other.shape = kShapes[static_cast<size_t>(rng.uniformInt(0, 4))];
            while (!other.color || other.color == combo.color)
                other.color = rng.pick(allowedColors(other.shape, Split::Ood));
        }
        return;
    }
    case OodFeature::Count:
        spec.groups[0].count = kHeldOutCount;
        return;
    }
}

} // namespace

std::vector<Category> categoriesFor(MediaMode mode) {
    if (mode == MediaMode::Video)
        return {Category::SingleObject, Category::Colors, Category::Counting};
    return {kCategories.begin(), kCategories.end()};
}

SampledPrompt samplePrompt(Category category, Split split, MediaMode mode, Rng& rng) {
    if (mode == MediaMode::Video && category != Category::SingleObject &&
        category != Category::Colors && category != Category::Counting)
        throw Error(ErrorKind::InvalidArgument,
                    std::string("ShapeWorld has no video prompts for ") + name(category));
    SampledPrompt p;
    p.split = split;
    p.spec = drawSpec(category, split, mode, rng);
    p.wording = drawWording(p.spec, split, rng);
    if (split == Split::Ood && !hasOodFeature(p.spec, p.wording)) {
        // Choose which held-out feature to add, among those the prompt can carry, so OOD
        // prompts spread over unseen phrasing, combinations and counts.
        std::vector<OodFeature> features{OodFeature::Phrasing};
        if (hasColors(category) || (category == Category::Position && p.spec.groups[0].color) ||
            (category == Category::Counting && p.spec.groups[0].color))
            features.push_back(OodFeature::Combo);
        if (category == Category::Counting && mode == MediaMode::Image)
            features.push_back(OodFeature::Count);
        forceFeature(rng.pick(features), p.spec, p.wording, rng);
    }
    validate(p.spec);
    if (!isAllowed(p.spec, p.wording, split))
        throw Error(ErrorKind::Internal, "ShapeWorld sampler drew a prompt outside its split");
    p.text = writePrompt(p.spec, p.wording);
    return p;
}

} // namespace rd::synth
