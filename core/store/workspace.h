// rd::store::Workspace: the front door to a RewardDance workspace, a folder holding one SQLite
// file (workspace.db, WAL mode) and a media/ folder for media the studio makes itself.
//
// Usage:
//   auto ws = Workspace::create("demo");       // or Workspace::open("demo")
//   ws->pairs().list({});
// One Workspace per thread: the SQLite connection inside is not shared between threads.
#pragma once

#include "store/records.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace rd::store {

class Database;
class MediaRepository;
class PromptRepository;
class GenerationRepository;
class PairRepository;
class ModelRepository;
class RmJudgmentRepository;
class GsbRepository;
class RunRepository;

class Workspace {
public:
    static constexpr const char* kDatabaseFile = "workspace.db";
    static constexpr const char* kMediaFolder = "media";

    // Creates the folder, the database at the current schema and media/. Fails when a workspace
    // already exists there.
    static std::unique_ptr<Workspace> create(const std::filesystem::path& folder);
    // Opens an existing workspace (the folder or its workspace.db), migrating an older schema and
    // marking runs whose process died (run_locks.h) failed. Refuses, with rd::Error naming the
    // path, a file that is not a workspace (empty, not SQLite, not our schema).
    static std::unique_ptr<Workspace> open(const std::filesystem::path& folderOrDatabase);
    // The same for commands that only read (info, export, results): writes nothing and works on
    // a read-only workspace. An older schema is migrated where the workspace can be written (as
    // open() does) and refused where it cannot.
    static std::unique_ptr<Workspace> openReadOnly(const std::filesystem::path& folderOrDatabase);

    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    const std::filesystem::path& folder() const { return m_folder; }
    std::filesystem::path mediaFolder() const { return m_folder / kMediaFolder; }
    // Media paths are stored relative to the workspace folder when inside it.
    std::filesystem::path resolveMediaPath(const std::string& storedPath) const;
    std::string storableMediaPath(const std::filesystem::path& absolutePath) const;

    // Row count of every table, for `rdance info`.
    std::map<std::string, std::int64_t> counts();
    // PRAGMA integrity_check; "ok" when the file is sound.
    std::string integrityCheck();
    int schemaVersion();

    Database& database() { return *m_db; }
    MediaRepository& media() { return *m_media; }
    PromptRepository& prompts() { return *m_prompts; }
    GenerationRepository& generations() { return *m_generations; }
    PairRepository& pairs() { return *m_pairs; }
    ModelRepository& models() { return *m_models; }
    RmJudgmentRepository& rmJudgments() { return *m_rmJudgments; }
    GsbRepository& gsb() { return *m_gsb; }
    RunRepository& runs() { return *m_runs; }

private:
    Workspace(const std::filesystem::path& folder, std::unique_ptr<Database> db);

    std::filesystem::path m_folder;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<MediaRepository> m_media;
    std::unique_ptr<PromptRepository> m_prompts;
    std::unique_ptr<GenerationRepository> m_generations;
    std::unique_ptr<PairRepository> m_pairs;
    std::unique_ptr<ModelRepository> m_models;
    std::unique_ptr<RmJudgmentRepository> m_rmJudgments;
    std::unique_ptr<GsbRepository> m_gsb;
    std::unique_ptr<RunRepository> m_runs;
};

} // namespace rd::store
