// Where a job reports: one JSON object per line on stdout (the studio reads these from the child
// process, DESIGN "Data flow") and its metrics in the workspace's metrics table (the studio plots
// them while the job runs; WAL lets it read while we write).
//
// Usage:
//   EventSink sink(&std::cout, &workspace, runId);
//   sink.event({{"event", events::kProgress}, {"step", 10}});  // names: job_names.h
//   sink.metric(10, metrics::kTrainLoss, 0.52); // buffered; flush() writes one transaction
#pragma once

#include "store/records.h"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::jobs {

class EventSink {
public:
    // Either may be null: no lines, or no stored metrics.
    EventSink(std::ostream* lines, store::Workspace* workspace, store::RowId runId);
    ~EventSink();

    void event(const nlohmann::json& event);
    void metric(std::int64_t step, const std::string& name, double value);
    // Writes the buffered metrics in one transaction (also done every 64 points).
    void flush();
    store::RowId runId() const { return m_runId; }

private:
    std::ostream* m_lines;
    store::Workspace* m_workspace;
    store::RowId m_runId;
    std::vector<store::MetricPoint> m_pending;
};

} // namespace rd::jobs
