#include "jobs/state_folder.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <fcntl.h>
#include <unistd.h>

namespace rd::jobs {
namespace fs = std::filesystem;

namespace {

fs::path withSuffix(const fs::path& folder, const char* suffix) {
    return folder.parent_path() / (folder.filename().string() + suffix);
}

// fsync a folder so a rename inside it survives a power cut.
void syncFolder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

StateFolder::StateFolder(fs::path folder) : m_folder(std::move(folder)) {}

std::optional<fs::path> StateFolder::current() const {
    if (fs::is_directory(m_folder))
        return m_folder;
    const fs::path old = withSuffix(m_folder, ".old");
    if (fs::is_directory(old))
        return old;
    return std::nullopt;
}

void StateFolder::replace(const std::function<void(const fs::path&)>& writeInto) {
    const fs::path tmp = withSuffix(m_folder, ".tmp"), old = withSuffix(m_folder, ".old");
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp);
    writeInto(tmp);
    syncFolder(tmp);
    // A crash before this point leaves NAME (or NAME.old) untouched.
    if (fs::is_directory(m_folder)) {
        fs::remove_all(old, ec);
        fs::rename(m_folder, old);
    }
    fs::rename(tmp, m_folder);
    syncFolder(m_folder.parent_path());
    fs::remove_all(old, ec);
}

OutFolderClaim::OutFolderClaim(const fs::path& out, const std::string& stateName,
                               const std::string& finishedFile, bool resume) {
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
        throw Error(ErrorKind::InvalidArgument,
                    out.string() + ": the job's out names a file, not a folder");
    // Every refusal comes before anything is created (a throwing constructor cleans nothing up).
    m_saved = StateFolder(out / stateName).current();
    if (resume && !m_saved)
        throw Error(ErrorKind::NotFound,
                    out.string() + ": no saved training state to resume (train without --resume)");
    if (!resume && m_saved)
        throw Error(ErrorKind::InvalidArgument,
                    out.string() + ": holds an unfinished run; pass --resume to continue it, or "
                                   "remove the folder");
    if (!m_saved && fs::exists(out / finishedFile, ec))
        throw Error(ErrorKind::InvalidArgument,
                    out.string() + ": already holds a trained model; train into another out "
                                   "folder or remove it");
    fs::path topMissing;
    for (fs::path p = out; !p.empty() && !fs::exists(p, ec) && p != p.parent_path();
         p = p.parent_path())
        topMissing = p;
    fs::create_directories(out, ec);
    if (ec)
        throw Error(ErrorKind::Io,
                    out.string() + ": cannot create the out folder: " + ec.message());
    if (!topMissing.empty())
        m_created = topMissing;
}

OutFolderClaim::~OutFolderClaim() {
    std::error_code ec;
    if (m_created)
        fs::remove_all(*m_created, ec);
}

nlohmann::json readSavedState(const std::filesystem::path& stateFile,
                              const nlohmann::json& currentSpec) {
    nlohmann::json state;
    try {
        state = nlohmann::json::parse(readWholeFile(stateFile));
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::Format, stateFile.string() + ": " + e.what());
    }
    if (!state.is_object() || !state.contains("spec"))
        throw Error(ErrorKind::Format, stateFile.string() + ": no job spec in the saved state");
    nlohmann::json saved = state["spec"], now = currentSpec;
    for (const char* free : {"time_limit_s", "threads"}) {
        saved.erase(free);
        now.erase(free);
    }
    if (saved != now)
        throw Error(ErrorKind::InvalidArgument,
                    stateFile.string() + ": the saved run used another job spec; resume it with "
                                         "the same spec or train into another out folder");
    return state;
}

} // namespace rd::jobs
