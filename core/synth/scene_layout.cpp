#include "synth/scene_layout.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace rd::synth {

namespace {

bool clear(const std::vector<Point>& placed, const std::vector<double>& radii, const Point& p,
           double r, double gap) {
    for (size_t i = 0; i < placed.size(); ++i) {
        const double dx = placed[i].x - p.x, dy = placed[i].y - p.y;
        const double need = radii[i] + r + gap;
        if (dx * dx + dy * dy < need * need)
            return false;
    }
    return true;
}

std::optional<std::vector<Point>> tryScatter(const std::vector<double>& radii, const Box& box,
                                             double gap, Rng& rng) {
    constexpr int kRestarts = 12, kTries = 80;
    for (int restart = 0; restart < kRestarts; ++restart) {
        std::vector<Point> placed;
        for (size_t i = 0; i < radii.size(); ++i) {
            const double r = radii[i];
            if (box.x0 + r > box.x1 - r || box.y0 + r > box.y1 - r)
                return std::nullopt;
            bool ok = false;
            for (int t = 0; t < kTries && !ok; ++t) {
                const Point p{rng.uniformReal(box.x0 + r, box.x1 - r),
                              rng.uniformReal(box.y0 + r, box.y1 - r)};
                std::vector<double> placedRadii(radii.begin(), radii.begin() + long(i));
                if (clear(placed, placedRadii, p, r, gap)) {
                    placed.push_back(p);
                    ok = true;
                }
            }
            if (!ok)
                break;
        }
        if (placed.size() == radii.size())
            return placed;
    }
    return std::nullopt;
}

// Cells in a grid of cols x rows, objects jittered inside their cells.
std::optional<std::vector<Point>> tryGrid(const std::vector<double>& radii, const Box& box,
                                          double gap, Rng& rng) {
    const int n = static_cast<int>(radii.size());
    const double maxR = *std::max_element(radii.begin(), radii.end());
    const double width = box.x1 - box.x0, height = box.y1 - box.y0;
    for (int cols = 1; cols <= n; ++cols) {
        const int rows = (n + cols - 1) / cols;
        const double cw = width / cols, ch = height / rows;
        if (cw < 2 * maxR + gap || ch < 2 * maxR + gap)
            continue;
        std::vector<int> cells(static_cast<size_t>(cols * rows));
        for (size_t i = 0; i < cells.size(); ++i)
            cells[i] = static_cast<int>(i);
        rng.shuffle(cells);
        std::vector<Point> placed;
        for (int i = 0; i < n; ++i) {
            const int cell = cells[static_cast<size_t>(i)];
            const double r = radii[static_cast<size_t>(i)];
            const double jx = std::max(0.0, cw / 2 - r - gap / 2);
            const double jy = std::max(0.0, ch / 2 - r - gap / 2);
            placed.push_back({box.x0 + cw * (cell % cols + 0.5) + rng.uniformReal(-jx, jx),
                              box.y0 + ch * (cell / cols + 0.5) + rng.uniformReal(-jy, jy)});
        }
        return placed;
    }
    return std::nullopt;
}

} // namespace

std::vector<Point> scatter(std::vector<double>& radii, const Box& box, double gap, Rng& rng) {
    if (radii.empty())
        return {};
    for (int shrink = 0; shrink < 8; ++shrink) {
        if (auto p = tryScatter(radii, box, gap, rng))
            return *p;
        if (auto p = tryGrid(radii, box, gap, rng))
            return *p;
        for (double& r : radii)
            r *= 0.9;
    }
    throw Error(ErrorKind::Internal, "ShapeWorld layout: cannot fit " +
                                         std::to_string(radii.size()) + " objects in the frame");
}

} // namespace rd::synth
