// What the training loops share about a run's length and its end (RM training, generator SFT,
// ReFL): steps or a time budget, the time spent across resumed sessions, when to log, when to
// save the resumable state, when to stop, and the bookkeeping of a run that ends or pauses.
//
// Usage:
//   RunBudget budget(spec.steps, spec.timeLimitSeconds, state.seconds, spec.checkpointEvery);
//   while (budget.more(step)) { ...; ++step; StepEnd end = budget.after(step, cancelled, stopAt);
//                               if (end.saveState) save(); if (end.stop) break; }
//   closeRun(ws, runId, out, stateFolder, end.reason, summary);
#pragma once

#include "store/records.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>

namespace rd::store {
class Workspace;
}

namespace rd::jobs {

struct StepEnd {
    bool last = false;      // the run's final step (steps reached or time spent)
    bool saveState = false; // replace the resumable state now
    bool stop = false;      // leave the loop after this step
    std::string reason;     // "steps", "time_limit", "stopped", "cancelled" (when stop or last)
};

class RunBudget {
public:
    // steps 0: the run lasts timeLimitSeconds; secondsBefore: time spent by earlier sessions.
    RunBudget(std::int64_t steps, double timeLimitSeconds, double secondsBefore,
              std::int64_t checkpointEvery);
    bool timed() const { return m_steps == 0; }
    bool more(std::int64_t stepsDone) const { return timed() || stepsDone < m_steps; }
    double elapsed() const;  // seconds, earlier sessions included
    double progress() const; // the share of the time budget spent (timed runs)
    // How far the run is, 0..1: the steps done or the time spent, whichever ends it first (the
    // "fraction" of the trainers' progress events, what a progress bar shows).
    double fraction(std::int64_t stepsDone) const;
    std::int64_t logEvery() const;
    // After `stepsDone` steps: a cancel or a test's stopAfterStep pauses the run with its state
    // saved (for --resume); a spent time budget ends it like its last step.
    StepEnd after(std::int64_t stepsDone, bool cancelled, std::int64_t stopAfterStep) const;

private:
    std::int64_t m_steps;
    double m_timeLimit, m_secondsBefore;
    std::int64_t m_checkpointEvery;
    std::chrono::steady_clock::time_point m_start;
};

// A finished run (reason "steps", "time_limit", "early_stopping") writes out/training.json
// (summary + run_id, stop_reason), drops its state folder and is marked done with its
// checkpoint; a paused one is marked queued ("stopped") or cancelled.
bool isFinished(const std::string& reason);
void closeRun(store::Workspace& ws, store::RowId runId, const std::filesystem::path& out,
              const std::filesystem::path& stateFolder, const std::string& reason,
              nlohmann::json summary);

class EventSink;

// The end of a trainer's session, shared by the RM, generator and ReFL trainers: closeRun with
// the summary {steps, seconds} + `summary`, then the run's last event, "done" or "paused", with
// {run_id, steps, seconds, stop_reason} + `event`.
void endRun(store::Workspace& ws, EventSink& sink, store::RowId runId,
            const std::filesystem::path& out, const std::filesystem::path& stateFolder,
            const std::string& reason, std::int64_t steps, double seconds,
            const nlohmann::json& summary, const nlohmann::json& event);

} // namespace rd::jobs
