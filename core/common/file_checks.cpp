#include "common/file_checks.h"

#include "common/error.h"

namespace rd {
namespace fs = std::filesystem;

void requireRegularFile(const fs::path& path) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status))
        throw Error(ErrorKind::NotFound, path.string() + ": no such file");
    if (fs::is_directory(status))
        throw Error(ErrorKind::InvalidArgument, path.string() + ": is a folder, not a file");
    if (!fs::is_regular_file(status))
        throw Error(ErrorKind::InvalidArgument, path.string() + ": not a regular file");
}

void requireNonEmptyFile(const fs::path& path) {
    requireRegularFile(path);
    std::error_code ec;
    if (fs::file_size(path, ec) == 0 && !ec)
        throw Error(ErrorKind::Format, path.string() + ": empty file (0 bytes)");
}

void prepareOutputFolder(const fs::path& folder) {
    std::error_code ec;
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
        throw Error(ErrorKind::InvalidArgument,
                    folder.string() + ": is a file, not a folder (give a folder to write into)");
    fs::create_directories(folder, ec);
    if (ec)
        throw Error(ErrorKind::Io, folder.string() + ": cannot create the folder: " + ec.message());
}

void requireWritableFilePath(const fs::path& file) {
    std::error_code ec;
    if (fs::is_directory(file, ec))
        throw Error(ErrorKind::InvalidArgument,
                    file.string() + ": is a folder (give a file name to write)");
    const fs::path parent = file.parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw Error(ErrorKind::NotFound,
                    file.string() + ": the folder " + parent.string() + " does not exist");
}

} // namespace rd
