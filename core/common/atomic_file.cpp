#include "common/atomic_file.h"

#include "common/error.h"
#include "common/file_checks.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rd {
namespace fs = std::filesystem;

namespace {

void syncPath(const fs::path& path, int flags) {
    int fd = ::open(path.c_str(), flags);
    if (fd < 0)
        return; // best effort: some file systems refuse O_RDONLY on directories
    ::fsync(fd);
    ::close(fd);
}

fs::path temporarySibling(const fs::path& target) {
    static std::atomic<unsigned> counter{0};
    return target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                   std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

} // namespace

void writeFileAtomically(const fs::path& target,
                         const std::function<void(std::ostream&)>& writeContent) {
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(parent))
        throw Error(ErrorKind::NotFound,
                    target.string() + ": folder '" + parent.string() + "' does not exist");
    const fs::path temporary = temporarySibling(target);
    try {
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            if (!out)
                throw Error(ErrorKind::Io, target.string() + ": cannot create temporary file " +
                                               temporary.string() + ": " + std::strerror(errno));
            writeContent(out);
            out.flush();
            if (!out)
                throw Error(ErrorKind::Io, target.string() + ": write failed (disk full?)");
        }
        syncPath(temporary, O_WRONLY);
        fs::rename(temporary, target);
        syncPath(parent, O_RDONLY | O_DIRECTORY);
    } catch (...) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw;
    }
}

std::string readWholeFile(const fs::path& path) {
    requireRegularFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, path.string() + ": cannot open: " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace rd
