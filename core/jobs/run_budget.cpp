#include "jobs/run_budget.h"

#include "common/atomic_file.h"
#include "jobs/event_sink.h"
#include "jobs/job_names.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <algorithm>

namespace rd::jobs {
namespace fs = std::filesystem;

RunBudget::RunBudget(std::int64_t steps, double timeLimitSeconds, double secondsBefore,
                     std::int64_t checkpointEvery)
    : m_steps(steps), m_timeLimit(timeLimitSeconds), m_secondsBefore(secondsBefore),
      m_checkpointEvery(checkpointEvery), m_start(std::chrono::steady_clock::now()) {}

double RunBudget::elapsed() const {
    return m_secondsBefore +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

double RunBudget::progress() const {
    return m_timeLimit > 0 ? elapsed() / m_timeLimit : 0.0;
}

double RunBudget::fraction(std::int64_t stepsDone) const {
    double done = progress();
    if (m_steps > 0)
        done = std::max(done, static_cast<double>(stepsDone) / static_cast<double>(m_steps));
    return std::clamp(done, 0.0, 1.0);
}

std::int64_t RunBudget::logEvery() const {
    return m_steps > 0 ? std::max<std::int64_t>(1, m_steps / 200) : 5;
}

StepEnd RunBudget::after(std::int64_t stepsDone, bool cancelled, std::int64_t stopAfterStep) const {
    StepEnd end;
    const bool timeUp = m_timeLimit > 0 && elapsed() >= m_timeLimit;
    end.last = stepsDone == m_steps || timeUp;
    if (timeUp) {
        end.stop = true;
        end.reason = "time_limit";
        return end;
    }
    if (end.last) {
        end.reason = "steps";
        return end;
    }
    const bool pause = cancelled || (stopAfterStep > 0 && stepsDone == stopAfterStep);
    end.saveState = pause || (m_checkpointEvery > 0 && stepsDone % m_checkpointEvery == 0);
    if (pause) {
        end.stop = true;
        end.reason = cancelled ? "cancelled" : "stopped";
    }
    return end;
}

bool isFinished(const std::string& reason) {
    return reason != "cancelled" && reason != "stopped";
}

void closeRun(store::Workspace& ws, store::RowId runId, const fs::path& out,
              const fs::path& stateFolder, const std::string& reason, nlohmann::json summary) {
    if (!isFinished(reason)) {
        ws.runs().setStatus(runId, reason == "cancelled" ? store::RunStatus::Cancelled
                                                         : store::RunStatus::Queued);
        return;
    }
    summary["run_id"] = runId;
    summary["stop_reason"] = reason;
    writeFileAtomically(out / "training.json", [&](std::ostream& o) { o << summary.dump(2); });
    std::error_code ec;
    fs::remove_all(stateFolder, ec);
    ws.runs().setCheckpoint(runId, out.string());
    ws.runs().setStatus(runId, store::RunStatus::Done);
}

void endRun(store::Workspace& ws, EventSink& sink, store::RowId runId, const fs::path& out,
            const fs::path& stateFolder, const std::string& reason, std::int64_t steps,
            double seconds, const nlohmann::json& summary, const nlohmann::json& event) {
    nlohmann::json closing = {{"steps", steps}, {"seconds", seconds}};
    closing.update(summary);
    closeRun(ws, runId, out, stateFolder, reason, closing);
    nlohmann::json last = {{"event", isFinished(reason) ? events::kDone : events::kPaused},
                           {"run_id", runId},
                           {"steps", steps},
                           {"seconds", seconds},
                           {"stop_reason", reason}};
    last.update(event);
    sink.event(last);
}

} // namespace rd::jobs
