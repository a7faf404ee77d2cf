// Jobs (RM training, ReFL, search, ...) and the metrics they log per step.
#pragma once

#include "store/records.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::store {

class Database;

class RunRepository {
public:
    explicit RunRepository(Database& db) : m_db(db) {}

    RowId create(const std::string& kind, const std::string& configJson);
    std::optional<RunRecord> get(RowId id);
    std::vector<RunRecord> list();
    // Running stamps started_at; done/failed/cancelled stamp finished_at.
    void setStatus(RowId id, RunStatus status);
    void setCheckpoint(RowId id, const std::string& checkpoint);
    // Running -> failed, for a run whose process died; false (and no change) when the run is
    // no longer running (it ended meanwhile).
    bool markInterrupted(RowId id);

    // Writes a batch of points in one transaction; a point logged again replaces the old value.
    void addMetrics(const std::vector<MetricPoint>& points);
    std::vector<MetricPoint> metrics(RowId runId, const std::string& name);
    // The point of the highest step, if any.
    std::optional<MetricPoint> lastMetric(RowId runId, const std::string& name);
    std::vector<std::string> metricNames(RowId runId);

private:
    Database& m_db;
};

} // namespace rd::store
