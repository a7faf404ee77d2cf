// Timing helpers shared by the benchmarks: a monotonic clock, elapsed seconds and the median of
// repeated measurements (robust to the odd slow run on a shared machine).
#pragma once

#include <algorithm>
#include <chrono>
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

} // namespace rd::bench
