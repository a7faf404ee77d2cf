#include "compute/thread_governor.h"

#include "compute/compute_context.h"

namespace rd::compute {

ThreadGovernor::ThreadGovernor(int requested, std::chrono::steady_clock::duration interval)
    : m_requested(requested), m_interval(interval), m_lastCheck(std::chrono::steady_clock::now()) {
    ComputeContext ctx;
    ctx.threads = requested;
    m_threads = configureThreads(ctx);
}

std::optional<int> ThreadGovernor::check() {
    const auto now = std::chrono::steady_clock::now();
    if (!adapts() || now - m_lastCheck < m_interval)
        return std::nullopt;
    m_lastCheck = now;
    const int before = m_threads;
    m_threads = configureThreads(ComputeContext{}); // threads 0: one per free core, measured now
    if (m_threads == before)
        return std::nullopt;
    return m_threads;
}

} // namespace rd::compute
