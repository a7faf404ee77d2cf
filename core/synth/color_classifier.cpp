#include "synth/color_classifier.h"

#include <algorithm>
#include <cmath>

namespace rd::synth {

namespace {

constexpr int kMinChroma = 50;   // below: grey, white or black
constexpr int kWhiteLevel = 200; // mean level of a white pixel (palette white is 245)
constexpr int kBlackLevel = 55;  // palette black is 20; backgrounds are 100..160 (+-14 texture)

double hueOf(int r, int g, int b) {
    const int mx = std::max({r, g, b}), mn = std::min({r, g, b});
    const double c = mx - mn;
    double h = 0;
    if (mx == r)
        h = 60.0 * std::fmod((g - b) / c + 6.0, 6.0);
    else if (mx == g)
        h = 60.0 * ((b - r) / c + 2.0);
    else
        h = 60.0 * ((r - g) / c + 4.0);
    return h;
}

double hueDistance(double a, double b) {
    const double d = std::abs(a - b);
    return std::min(d, 360.0 - d);
}

} // namespace

const ColorClassifier& ColorClassifier::instance() {
    static const ColorClassifier kInstance;
    return kInstance;
}

ColorClassifier::ColorClassifier() {
    for (int r = 0; r < 32; ++r)
        for (int g = 0; g < 32; ++g)
            for (int b = 0; b < 32; ++b) // the centre of each 8-level bin
                m_table[static_cast<size_t>(r << 10 | g << 5 | b)] =
                    computeLabel(r * 8 + 4, g * 8 + 4, b * 8 + 4);
}

std::uint8_t ColorClassifier::computeLabel(int r, int g, int b) {
    const int mx = std::max({r, g, b}), mn = std::min({r, g, b});
    if (mx - mn < kMinChroma) {
        const int level = (r + g + b) / 3;
        if (level >= kWhiteLevel)
            return static_cast<std::uint8_t>(Color::White);
        if (level <= kBlackLevel)
            return static_cast<std::uint8_t>(Color::Black);
        return 0;
    }
    const double hue = hueOf(r, g, b);
    Color best = Color::Red;
    double bestDistance = 1e9;
    for (Color c : kColors) {
        if (c == Color::White || c == Color::Black)
            continue;
        const Rgb p = paletteRgb(c);
        const double d = hueDistance(hue, hueOf(p.r, p.g, p.b));
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return static_cast<std::uint8_t>(best);
}

std::optional<Color> ColorClassifier::classify(std::uint8_t r, std::uint8_t g,
                                               std::uint8_t b) const {
    const std::uint8_t l = label(r, g, b);
    if (l == 0)
        return std::nullopt;
    return static_cast<Color>(l);
}

} // namespace rd::synth
