#include "compute/thread_governor.h"

#include "compute/compute_context.h"
#include "compute/machine_load.h"

#include <torch/torch.h>

#include <thread>

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
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int wanted = threadsForFreeCores(cores, otherRunningTasks());
    if (wanted == m_threads)
        return std::nullopt;
    torch::set_num_threads(wanted);
    m_threads = torch::get_num_threads();
    return m_threads;
}

} // namespace rd::compute
