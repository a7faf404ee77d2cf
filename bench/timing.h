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

// Seconds per unit of work for the engine and its Python baseline, timed in alternating rounds
// (the machine's speed drifts over seconds, so each round's ratio compares like with like).
struct AlternatingTimes {
    double cppSeconds = 0.0;    // median over rounds
    double pythonSeconds = 0.0; // median over rounds
    double ratio = 0.0;         // median of the per-round python / C++ ratios
    std::vector<double> ratios;
};

inline AlternatingTimes timeAlternating(int rounds, const std::function<double()>& cpp,
                                        const std::function<double()>& python) {
    std::vector<double> cppTimes, pythonTimes;
    AlternatingTimes t;
    for (int round = 0; round < rounds; ++round) {
        cppTimes.push_back(cpp());
        pythonTimes.push_back(python());
        t.ratios.push_back(pythonTimes.back() / cppTimes.back());
    }
    t.cppSeconds = median(cppTimes);
    t.pythonSeconds = median(pythonTimes);
    t.ratio = median(t.ratios);
    return t;
}

} // namespace rd::bench
