// Timing helpers shared by the benchmarks: a monotonic clock, elapsed seconds and the median of
// repeated measurements (robust to the odd slow run on a shared machine).
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <vector>

namespace rd::bench {

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

inline double median(std::vector<double> values) {
    if (values.empty())
        throw std::invalid_argument("median of no measurements");
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Seconds per unit of work for the engine and a baseline (PyTorch, or the engine without an
// optimisation), timed in alternating rounds: the machine's speed drifts over seconds, so each
// round's ratio compares like with like.
struct AlternatingTimes {
    double engineSeconds = 0.0;   // median over rounds
    double baselineSeconds = 0.0; // median over rounds
    double ratio = 0.0;           // median of the per-round baseline / engine ratios
    std::vector<double> ratios;
};

inline AlternatingTimes timeAlternating(int rounds, const std::function<double()>& engine,
                                        const std::function<double()>& baseline) {
    std::vector<double> engineTimes, baselineTimes;
    AlternatingTimes t;
    for (int round = 0; round < rounds; ++round) {
        engineTimes.push_back(engine());
        baselineTimes.push_back(baseline());
        t.ratios.push_back(baselineTimes.back() / engineTimes.back());
    }
    t.engineSeconds = median(engineTimes);
    t.baselineSeconds = median(baselineTimes);
    t.ratio = median(t.ratios);
    return t;
}

} // namespace rd::bench
