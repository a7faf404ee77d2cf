#include "jobs/event_sink.h"

#include "store/run_repository.h"
#include "store/workspace.h"

#include <ostream>

namespace rd::jobs {

EventSink::EventSink(std::ostream* lines, store::Workspace* workspace, store::RowId runId)
    : m_lines(lines), m_workspace(workspace), m_runId(runId) {}

EventSink::~EventSink() {
    try {
        flush();
    } catch (...) { // a destructor must not throw; the job's own flush reports failures
    }
}

void EventSink::event(const nlohmann::json& event) {
    if (m_lines)
        *m_lines << event.dump() << std::endl; // flushed: the studio follows line by line
}

void EventSink::metric(std::int64_t step, const std::string& name, double value) {
    if (!m_workspace || m_runId <= 0)
        return;
    m_pending.push_back({m_runId, step, name, value});
    if (m_pending.size() >= 64)
        flush();
}

void EventSink::flush() {
    if (m_pending.empty() || !m_workspace)
        return;
    m_workspace->runs().addMetrics(m_pending);
    m_pending.clear();
}

} // namespace rd::jobs
