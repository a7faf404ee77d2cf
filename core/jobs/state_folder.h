// A folder that is replaced as a whole, crash-safely: the new content is written to
// NAME.tmp, then NAME is renamed to NAME.old, NAME.tmp to NAME, and NAME.old removed. A crash at
// any point leaves a complete NAME or a complete NAME.old, and current() finds it. Used for a
// training run's resumable state (weights, optimizer, step), which must never be half-written.
//
// Usage:
//   StateFolder state(runDir / "state");
//   state.replace([&](const fs::path& tmp) { save everything into tmp; });
//   if (auto dir = state.current()) resume from *dir;
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace rd::jobs {

class StateFolder {
public:
    explicit StateFolder(std::filesystem::path folder);

    // The complete state, if any (NAME, else NAME.old left by a crash mid-swap).
    std::optional<std::filesystem::path> current() const;
    // Writes a new state through writeInto(tmp folder) and swaps it in.
    void replace(const std::function<void(const std::filesystem::path&)>& writeInto);

private:
    std::filesystem::path m_folder;
};

// A training job's hold on its out folder. The constructor makes the checks every job makes
// before it starts: the path is a folder (or nothing yet); with resume, a saved state must exist
// (saved()); without, there must be neither an unfinished run (a state) nor a finished result
// (`finishedFile`). It creates the folder. A job refused before it starts (no pairs, a bad
// backbone) leaves nothing behind: unless keep() was called, the destructor removes the folders
// the constructor created, with what the job put there meanwhile (a tokenizer.json).
//
// Usage (the trainers):
//   jobs::OutFolderClaim claim(out, "state", "model.safetensors", resume);
//   ... load or build the model, open the run row ...
//   claim.keep(); // the run started: its folder stays, whatever happens next
class OutFolderClaim {
public:
    // Throws rd::Error naming the folder.
    OutFolderClaim(const std::filesystem::path& out, const std::string& stateName,
                   const std::string& finishedFile, bool resume);
    ~OutFolderClaim();
    OutFolderClaim(const OutFolderClaim&) = delete;
    OutFolderClaim& operator=(const OutFolderClaim&) = delete;

    const std::optional<std::filesystem::path>& saved() const { return m_saved; }
    void keep() { m_created.reset(); }

private:
    std::optional<std::filesystem::path> m_saved;
    std::optional<std::filesystem::path> m_created; // the top-most folder this claim made
};

// A training job's saved state file (JSON with the job's spec under "spec"), read back for
// --resume after checking it was saved by the same spec: a resumed run may change only
// time_limit_s and threads, which do not alter what it learns (another thread count rounds
// parallel sums otherwise: bit-exact repeats need the same count). Throws rd::Error naming the
// file when it is unreadable or the spec differs.
nlohmann::json readSavedState(const std::filesystem::path& stateFile,
                              const nlohmann::json& currentSpec);

} // namespace rd::jobs
