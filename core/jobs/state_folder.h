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

// The checks every training job makes on its out folder before it starts: with resume, a saved
// state must exist (returned); without, there must be neither an unfinished run (a state) nor a
// finished result (`finishedFile`). Creates the folder. Throws rd::Error naming the folder.
std::optional<std::filesystem::path> claimOutFolder(const std::filesystem::path& out,
                                                    const std::string& stateName,
                                                    const std::string& finishedFile, bool resume);

// A training job's saved state file (JSON with the job's spec under "spec"), read back for
// --resume after checking it was saved by the same spec: a resumed run may change only
// time_limit_s and threads, which do not alter what it computes. Throws rd::Error naming the
// file when it is unreadable or the spec differs.
nlohmann::json readSavedState(const std::filesystem::path& stateFile,
                              const nlohmann::json& currentSpec);

} // namespace rd::jobs
