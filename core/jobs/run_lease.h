// A training process's claim on its run row, so that a run whose process died (SIGKILL, a crash,
// the machine going down) is not shown as "running" for ever.
//
// The claim is an exclusive advisory lock (flock) on <workspace>/locks/run-<id>.lock, taken
// before the row is marked running and held while the process lives; the kernel drops it however
// the process ends. A row that says "running" while nobody holds its lock was interrupted:
// store::markInterruptedRuns (run when a workspace opens) marks it failed. A second process that
// tries to run the same run at once is refused.
//
// Usage (the trainers):
//   jobs::RunLease lease(ws, runId); // marks the run running; throws if another process runs it
//   ... train, then set the final status before the lease goes out of scope.
#pragma once

#include "store/records.h"

#include <filesystem>
#include <vector>

namespace rd::store {
class Workspace;
}

namespace rd::jobs {

class RunLease {
public:
    // Takes the lease, then marks the run running (in that order, so that a "running" row
    // always has a lease behind it). Throws rd::Error(InvalidArgument) naming the run when
    // another process holds it, and rd::Error(Io) when the lock file cannot be made.
    RunLease(store::Workspace& ws, store::RowId run);
    ~RunLease();
    RunLease(const RunLease&) = delete;
    RunLease& operator=(const RunLease&) = delete;

private:
    int m_fd = -1;
};

} // namespace rd::jobs
