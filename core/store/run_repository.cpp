#include "store/run_repository.h"

#include "store/sqlite_db.h"

namespace rd::store {

namespace {

const char* const kSelect = "SELECT id, kind, config, status, created_at, started_at, "
                            "finished_at, checkpoint FROM runs";

RunRecord readRun(const Statement& s) {
    RunRecord r;
    r.id = s.int64(0);
    r.kind = s.text(1);
    r.configJson = s.text(2);
    r.status = parseRunStatus(s.text(3)).value_or(RunStatus::Queued);
    r.createdAt = s.text(4);
    if (!s.isNull(5))
        r.startedAt = s.text(5);
    if (!s.isNull(6))
        r.finishedAt = s.text(6);
    r.checkpoint = s.text(7);
    return r;
}

} // namespace

RowId RunRepository::create(const std::string& kind, const std::string& configJson) {
    m_db.cached("INSERT INTO runs(kind, config) VALUES (?, ?)")
        .bind(1, kind)
        .bind(2, configJson.empty() ? std::string("{}") : configJson)
        .run();
    return m_db.lastInsertRowId();
}

std::optional<RunRecord> RunRepository::get(RowId id) {
    Statement& s = m_db.cached(std::string(kSelect) + " WHERE id = ?").bind(1, id);
    std::optional<RunRecord> result;
    if (s.step())
        result = readRun(s);
    s.reset();
    return result;
}

std::vector<RunRecord> RunRepository::list() {
    Statement& s = m_db.cached(std::string(kSelect) + " ORDER BY id");
    std::vector<RunRecord> result;
    while (s.step())
        result.push_back(readRun(s));
    s.reset();
    return result;
}

void RunRepository::setStatus(RowId id, RunStatus status) {
    const char* sql =
        status == RunStatus::Running
            // A resumed run keeps the time it first started and is no longer finished.
            ? "UPDATE runs SET status = ?, finished_at = NULL, "
              "started_at = coalesce(started_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
              "WHERE id = ?"
            : status == RunStatus::Queued ? "UPDATE runs SET status = ? WHERE id = ?"
                                          : "UPDATE runs SET status = ?, finished_at = "
                                            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                                            "WHERE id = ?";
    m_db.cached(sql).bind(1, toString(status)).bind(2, id).run();
}

bool RunRepository::markInterrupted(RowId id) {
    m_db.cached("UPDATE runs SET status = 'failed', "
                "finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                "WHERE id = ? AND status = 'running'")
        .bind(1, id)
        .run();
    return m_db.changes() > 0;
}

void RunRepository::setCheckpoint(RowId id, const std::string& checkpoint) {
    m_db.cached("UPDATE runs SET checkpoint = ? WHERE id = ?")
        .bind(1, checkpoint)
        .bind(2, id)
        .run();
}

void RunRepository::addMetrics(const std::vector<MetricPoint>& points) {
    Transaction tx(m_db);
    Statement& s =
        m_db.cached("INSERT INTO metrics(run_id, step, name, value) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(run_id, name, step) DO UPDATE SET value = excluded.value");
    for (const MetricPoint& p : points)
        s.bind(1, p.runId).bind(2, p.step).bind(3, p.name).bind(4, p.value).run();
    tx.commit();
}

std::vector<MetricPoint> RunRepository::metrics(RowId runId, const std::string& name) {
    Statement& s = m_db.cached("SELECT run_id, step, name, value FROM metrics "
                               "WHERE run_id = ? AND name = ? ORDER BY step")
                       .bind(1, runId)
                       .bind(2, name);
    std::vector<MetricPoint> result;
    while (s.step())
        result.push_back(MetricPoint{s.int64(0), s.int64(1), s.text(2), s.real(3)});
    s.reset();
    return result;
}

std::optional<MetricPoint> RunRepository::lastMetric(RowId runId, const std::string& name) {
    Statement& s = m_db.cached("SELECT run_id, step, name, value FROM metrics "
                               "WHERE run_id = ? AND name = ? ORDER BY step DESC LIMIT 1")
                       .bind(1, runId)
                       .bind(2, name);
    std::optional<MetricPoint> last;
    if (s.step())
        last = MetricPoint{s.int64(0), s.int64(1), s.text(2), s.real(3)};
    s.reset();
    return last;
}

std::vector<std::string> RunRepository::metricNames(RowId runId) {
    Statement& s = m_db.cached("SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name")
                       .bind(1, runId);
    std::vector<std::string> result;
    while (s.step())
        result.push_back(s.text(0));
    s.reset();
    return result;
}

} // namespace rd::store
