#include "store/run_locks.h"

#include "store/run_repository.h"
#include "store/workspace.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace rd::store {
namespace fs = std::filesystem;

fs::path runLockFile(const fs::path& workspaceFolder, RowId run) {
    return workspaceFolder / "locks" / ("run-" + std::to_string(run) + ".lock");
}

bool runIsHeld(const fs::path& workspaceFolder, RowId run) {
    const fs::path file = runLockFile(workspaceFolder, run);
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false; // never leased: no process can hold it
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

std::vector<RowId> markInterruptedRuns(Workspace& ws) {
    std::vector<RowId> interrupted;
    for (const RunRecord& run : ws.runs().list())
        if (run.status == RunStatus::Running && !runIsHeld(ws.folder(), run.id) &&
            ws.runs().markInterrupted(run.id))
            interrupted.push_back(run.id);
    return interrupted;
}

} // namespace rd::store
