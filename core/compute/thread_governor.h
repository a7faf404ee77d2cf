// Keeps a "one per core" run (threads 0) at one thread per free core while it lasts
// (machine_load.h): check() re-reads the machine's load at most every `interval` and sets
// LibTorch's thread count when the free cores changed. A fixed count (threads > 0) is set once
// and never changed. Results are bit-identical only at the same thread count: a run that must
// repeat exactly (a resume compared with an uninterrupted run) fixes its threads.
//
// Usage (the training harness):
//   ThreadGovernor governor(spec.threads);
//   every step: if (auto n = governor.check()) report(*n);
#pragma once

#include <chrono>
#include <optional>

namespace rd::compute {

class ThreadGovernor {
public:
    explicit ThreadGovernor(
        int requested, std::chrono::steady_clock::duration interval = std::chrono::seconds(15));
    int threads() const { return m_threads; }
    bool adapts() const { return m_requested <= 0; }
    // The new thread count when it changed now; none otherwise (also between checks).
    std::optional<int> check();

private:
    int m_requested;
    std::chrono::steady_clock::duration m_interval;
    std::chrono::steady_clock::time_point m_lastCheck;
    int m_threads = 1;
};

} // namespace rd::compute
