#include "model/mapped_file.h"

#include "common/error.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rd::model {

namespace {

// Closes the descriptor on every path out of the constructor; the mapping outlives it.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

} // namespace

MappedFile::MappedFile(const std::filesystem::path& path) : m_path(path) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        const int error = errno;
        throw Error(error == ENOENT ? ErrorKind::NotFound : ErrorKind::Io,
                    path.string() + ": cannot open: " + std::strerror(error));
    }
    struct stat status {};
    if (::fstat(fd.get(), &status) != 0)
        throw Error(ErrorKind::Io, path.string() + ": cannot stat: " + std::strerror(errno));
    if (!S_ISREG(status.st_mode))
        throw Error(ErrorKind::InvalidArgument, path.string() + ": not a regular file");
    m_size = static_cast<std::uint64_t>(status.st_size);
    if (m_size == 0)
        return; // mmap refuses zero-length mappings; there is nothing to read anyway
    void* mapping = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (mapping == MAP_FAILED)
        throw Error(ErrorKind::Io, path.string() + ": cannot map " + std::to_string(m_size) +
                                       " bytes into memory: " + std::strerror(errno));
    m_data = static_cast<const std::uint8_t*>(mapping);
}

MappedFile::~MappedFile() {
    if (m_data)
        ::munmap(const_cast<std::uint8_t*>(m_data), m_size);
}

} // namespace rd::model
