#include "eval/reward_window.h"

#include "common/error.h"

namespace rd::eval {

RewardWindow::RewardWindow(std::size_t iterations) : m_capacity(iterations) {
    if (iterations == 0)
        throw Error(ErrorKind::InvalidArgument, "a reward window needs at least one iteration");
}

void RewardWindow::add(const std::vector<double>& rewards) {
    m_window.push_back(rewards);
    while (m_window.size() > m_capacity)
        m_window.pop_front();
}

double RewardWindow::mean() const {
    double sum = 0.0;
    std::size_t n = 0;
    for (const auto& iteration : m_window)
        for (double r : iteration) {
            sum += r;
            ++n;
        }
    return n ? sum / static_cast<double>(n) : 0.0;
}

double RewardWindow::variance() const {
    const double m = mean();
    double sum = 0.0;
    std::size_t n = 0;
    for (const auto& iteration : m_window)
        for (double r : iteration) {
            sum += (r - m) * (r - m);
            ++n;
        }
    return n > 1 ? sum / static_cast<double>(n) : 0.0;
}

VarianceCollapse checkVarianceCollapse(const std::vector<double>& windowVariance, double fraction) {
    VarianceCollapse c;
    if (windowVariance.size() < 2)
        return c;
    size_t peakAt = 0;
    for (size_t i = 1; i < windowVariance.size(); ++i)
        if (windowVariance[i] > windowVariance[peakAt])
            peakAt = i;
    c.peak = windowVariance[peakAt];
    c.latest = windowVariance.back();
    c.collapsed = peakAt + 1 < windowVariance.size() && c.peak > 0 && c.latest < fraction * c.peak;
    return c;
}

} // namespace rd::eval
