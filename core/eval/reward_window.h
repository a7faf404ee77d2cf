// Reward variance in a sliding window of RL iterations, the paper's reward-hacking signal
// (§4.5, Figures 1 and 5: bubbles sized by the variance of rewards within the last 1,000
// iterations). Late-training variance near zero means the policy collapsed onto outputs the
// RM rewards alike.
//
// Usage:
//   RewardWindow window(1000);
//   window.add({0.61, 0.72, 0.55});   // one iteration's rewards
//   window.variance();                // over every reward of the last 1,000 iterations
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace rd::eval {

class RewardWindow {
public:
    explicit RewardWindow(std::size_t iterations);
    void add(const std::vector<double>& rewards);
    double mean() const;
    double variance() const; // population variance; 0 with fewer than two rewards
    std::size_t iterations() const { return m_window.size(); }
    // The iterations in the window, oldest first (saved with a run's state, for resume).
    const std::deque<std::vector<double>>& contents() const { return m_window; }

private:
    std::size_t m_capacity;
    std::deque<std::vector<double>> m_window;
};

// The collapse alert: a run's window-variance curve has collapsed when its latest value fell
// below `fraction` of its peak, after the peak (a policy that stopped exploring).
struct VarianceCollapse {
    bool collapsed = false;
    double peak = 0.0;
    double latest = 0.0;
};
VarianceCollapse checkVarianceCollapse(const std::vector<double>& windowVariance,
                                       double fraction = 0.1);

} // namespace rd::eval
