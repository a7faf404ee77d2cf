// Which runs a live process still owns. A training process holds an exclusive advisory lock
// (flock) on <workspace>/locks/run-<id>.lock while it runs (jobs/run_lease.h); the kernel drops it
// however the process ends. A row that says "running" while nobody holds its lock was
// interrupted (SIGKILL, a crash, the machine going down).
//
// Usage:
//   store::markInterruptedRuns(ws);   // Workspace::open does it: such rows read "failed"
#pragma once

#include "store/records.h"

#include <filesystem>
#include <vector>

namespace rd::store {

class Workspace;

// The lock file of a run. Lock files are never removed: unlinking one while another process has
// it open would let two processes lock two different files of the same name.
std::filesystem::path runLockFile(const std::filesystem::path& workspaceFolder, RowId run);

// Whether a live process holds the run's lease.
bool runIsHeld(const std::filesystem::path& workspaceFolder, RowId run);

// Marks each "running" run whose lease no process holds as failed; returns their ids. Safe
// against a run finishing meanwhile: only a row still "running" is changed, and a trainer sets
// its final status before it lets the lease go. Its resumable state, if any, still resumes.
std::vector<RowId> markInterruptedRuns(Workspace& ws);

} // namespace rd::store
