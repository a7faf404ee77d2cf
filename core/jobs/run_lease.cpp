#include "jobs/run_lease.h"

#include "common/error.h"
#include "store/run_repository.h"
#include "store/workspace.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace rd::jobs {

namespace {

// Lock files are never removed: unlinking one while another process has it open would let two
// processes lock two different files of the same name.
fs::path lockFile(const fs::path& workspaceFolder, store::RowId run) {
    return workspaceFolder / "locks" / ("run-" + std::to_string(run) + ".lock");
}

int openLockFile(const fs::path& file) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(ErrorKind::Io,
                    file.string() + ": cannot open the run's lock file: " + std::strerror(errno));
    return fd;
}

} // namespace

RunLease::RunLease(store::Workspace& ws, store::RowId run) {
    const fs::path file = lockFile(ws.folder(), run);
    m_fd = openLockFile(file);
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(m_fd);
        m_fd = -1;
        if (error == EWOULDBLOCK)
            throw Error(ErrorKind::InvalidArgument, "run " + std::to_string(run) +
                                                        " is already running in another process (" +
                                                        file.string() + " is locked)");
        throw Error(ErrorKind::Io, file.string() + ": cannot lock: " + std::strerror(error));
    }
    ws.runs().setStatus(run, store::RunStatus::Running);
}

RunLease::~RunLease() {
    if (m_fd >= 0)
        ::close(m_fd); // closing the last descriptor drops the lock
}

bool runIsHeld(const fs::path& workspaceFolder, store::RowId run) {
    const fs::path file = lockFile(workspaceFolder, run);
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false; // never leased: no process can hold it
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

std::vector<store::RowId> markInterruptedRuns(store::Workspace& ws) {
    std::vector<store::RowId> interrupted;
    for (const store::RunRecord& run : ws.runs().list())
        if (run.status == store::RunStatus::Running && !runIsHeld(ws.folder(), run.id) &&
            ws.runs().markInterrupted(run.id))
            interrupted.push_back(run.id);
    return interrupted;
}

} // namespace rd::jobs
