#include "synth/split_rules.h"

namespace rd::synth {

const std::vector<ColorShape>& heldOutCombos() {
    static const std::vector<ColorShape> kCombos{{Color::Yellow, Shape::Circle},
                                                 {Color::Green, Shape::Square},
                                                 {Color::White, Shape::Triangle},
                                                 {Color::Purple, Shape::Star},
                                                 {Color::Orange, Shape::Hexagon}};
    return kCombos;
}

bool isHeldOutCombo(Color color, Shape shape) {
    for (const ColorShape& c : heldOutCombos())
        if (c.color == color && c.shape == shape)
            return true;
    return false;
}

std::vector<Color> allowedColors(Shape shape, Split split) {
    std::vector<Color> colors;
    for (Color c : kColors)
        if (split == Split::Ood || !isHeldOutCombo(c, shape))
            colors.push_back(c);
    return colors;
}

std::vector<int> allowedCounts(Split split, bool video) {
    std::vector<int> counts;
    // Videos move their objects through a band of the frame: three is as many as fit cleanly.
    const int maxCount = video ? 3 : kMaxCount;
    for (int n = 1; n <= maxCount; ++n)
        if (split == Split::Ood || n != kHeldOutCount)
            counts.push_back(n);
    return counts;
}

bool hasOodFeature(const PromptSpec& spec, const PromptWording& wording) {
    if (isOodWording(spec, wording))
        return true;
    for (const ObjectGroup& g : spec.groups) {
        if (g.color && isHeldOutCombo(*g.color, g.shape))
            return true;
        if (spec.category == Category::Counting && g.count == kHeldOutCount)
            return true;
    }
    return false;
}

bool isAllowed(const PromptSpec& spec, const PromptWording& wording, Split split) {
    return split == Split::Ood ? hasOodFeature(spec, wording) : !hasOodFeature(spec, wording);
}

} // namespace rd::synth
