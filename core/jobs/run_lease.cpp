#include "jobs/run_lease.h"

#include "common/error.h"
#include "store/run_locks.h"
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
    const fs::path file = store::runLockFile(ws.folder(), run);
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

} // namespace rd::jobs
