// Names the palette colour of a pixel, or none for the grey background. The backgrounds are
// achromatic and blending a colour with grey keeps its hue, so anti-aliased edges keep their
// object's colour name: chromatic pixels are named by hue, achromatic ones by lightness.
//
// Usage:
//   const ColorClassifier& c = ColorClassifier::instance();
//   std::optional<Color> color = c.classify(r, g, b);
#pragma once

#include "synth/vocabulary.h"

#include <array>
#include <cstdint>
#include <optional>

namespace rd::synth {

class ColorClassifier {
public:
    static const ColorClassifier& instance();

    // 0 for background, else static_cast<int>(Color).
    std::uint8_t label(std::uint8_t r, std::uint8_t g, std::uint8_t b) const {
        return m_table[static_cast<size_t>((r >> 3) << 10 | (g >> 3) << 5 | (b >> 3))];
    }
    std::optional<Color> classify(std::uint8_t r, std::uint8_t g, std::uint8_t b) const;

    // The rule the table caches, on exact values.
    static std::uint8_t computeLabel(int r, int g, int b);

private:
    ColorClassifier();
    std::array<std::uint8_t, 32 * 32 * 32> m_table{};
};

} // namespace rd::synth
