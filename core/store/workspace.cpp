#include "store/workspace.h"

#include "common/error.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/media_repository.h"
#include "store/model_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/rm_judgment_repository.h"
#include "store/run_locks.h"
#include "store/run_repository.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

#include <cstring>
#include <fstream>

namespace rd::store {
namespace fs = std::filesystem;

namespace {

// Table names are our own constants, never user input.
const char* const kTables[] = {"media",         "prompts",      "generations", "pairs",
                               "models",        "rm_judgments", "gsb_studies", "gsb_items",
                               "gsb_judgments", "runs",         "metrics"};

struct WorkspaceFiles {
    fs::path folder, database;
};

// The folder and database file a user named (either one), refused with a clear message unless
// the file is an SQLite database: opening anything else would turn it into one.
WorkspaceFiles locateWorkspace(const fs::path& folderOrDatabase) {
    std::error_code ec;
    const bool isFile = fs::is_regular_file(folderOrDatabase, ec);
    WorkspaceFiles files;
    files.folder = !isFile                                  ? folderOrDatabase
                   : folderOrDatabase.parent_path().empty() ? fs::path(".")
                                                            : folderOrDatabase.parent_path();
    files.database = isFile ? folderOrDatabase : folderOrDatabase / Workspace::kDatabaseFile;
    const std::string notWorkspace = folderOrDatabase.string() + ": not a RewardDance workspace";
    if (!fs::exists(files.database, ec))
        throw Error(ErrorKind::NotFound, notWorkspace + " (no " + Workspace::kDatabaseFile +
                                             "; create one with rdance init)");
    if (!fs::is_regular_file(files.database, ec))
        throw Error(ErrorKind::InvalidArgument,
                    notWorkspace + " (" + files.database.string() + " is not a file)");
    if (fs::file_size(files.database, ec) == 0)
        throw Error(ErrorKind::Format,
                    notWorkspace + " (" + files.database.string() + " is an empty file, 0 bytes)");
    char header[16] = {};
    std::ifstream in(files.database, std::ios::binary);
    in.read(header, sizeof header);
    if (!in || std::memcmp(header, "SQLite format 3", 16) != 0)
        throw Error(ErrorKind::Format,
                    notWorkspace + " (" + files.database.string() + " is not an SQLite database)");
    return files;
}

// An SQLite file that is not ours (user_version 0) or was tampered with (negative) is refused
// before any migration runs on it.
void requireWorkspaceSchema(Database& db) {
    const int version = db.userVersion();
    if (version < 1)
        throw Error(ErrorKind::Format, db.path().string() +
                                           ": not a RewardDance workspace (schema version " +
                                           std::to_string(version) + ")");
}

} // namespace

Workspace::Workspace(const fs::path& folder, std::unique_ptr<Database> db)
    : m_folder(folder), m_db(std::move(db)), m_media(std::make_unique<MediaRepository>(*m_db)),
      m_prompts(std::make_unique<PromptRepository>(*m_db)),
      m_generations(std::make_unique<GenerationRepository>(*m_db)),
      m_pairs(std::make_unique<PairRepository>(*m_db)),
      m_models(std::make_unique<ModelRepository>(*m_db)),
      m_rmJudgments(std::make_unique<RmJudgmentRepository>(*m_db)),
      m_gsb(std::make_unique<GsbRepository>(*m_db)),
      m_runs(std::make_unique<RunRepository>(*m_db)) {}

Workspace::~Workspace() = default;

std::unique_ptr<Workspace> Workspace::create(const fs::path& folder) {
    const fs::path dbPath = folder / kDatabaseFile;
    std::error_code ec;
    if (fs::exists(dbPath, ec))
        throw Error(ErrorKind::InvalidArgument,
                    folder.string() + ": a workspace already exists here");
    if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
        throw Error(ErrorKind::InvalidArgument, folder.string() + ": exists and is not a folder");
    fs::create_directories(folder / kMediaFolder, ec);
    if (ec)
        throw Error(ErrorKind::Io, folder.string() + ": cannot create folder: " + ec.message());
    auto db = std::make_unique<Database>(dbPath, Database::OpenMode::CreateIfMissing);
    migrate(*db);
    return std::unique_ptr<Workspace>(new Workspace(fs::absolute(folder), std::move(db)));
}

std::unique_ptr<Workspace> Workspace::open(const fs::path& folderOrDatabase) {
    const WorkspaceFiles files = locateWorkspace(folderOrDatabase);
    auto db = std::make_unique<Database>(files.database, Database::OpenMode::OpenExisting);
    requireWorkspaceSchema(*db);
    migrate(*db);
    std::unique_ptr<Workspace> ws(new Workspace(fs::absolute(files.folder), std::move(db)));
    // A run whose process died before it could say so reads "failed" for every reader at once.
    markInterruptedRuns(*ws);
    return ws;
}

std::unique_ptr<Workspace> Workspace::openReadOnly(const fs::path& folderOrDatabase) {
    const WorkspaceFiles files = locateWorkspace(folderOrDatabase);
    auto db = std::make_unique<Database>(files.database, Database::OpenMode::ReadOnly);
    requireWorkspaceSchema(*db);
    if (db->userVersion() < kSchemaVersion) {
        // An older workspace is upgraded once, by whoever may write it; a reader that may not
        // cannot read the old layout with today's queries.
        if (db->filesWritable()) {
            db.reset();
            return open(folderOrDatabase);
        }
        throw Error(ErrorKind::Unsupported,
                    files.database.string() + ": workspace schema version " +
                        std::to_string(db->userVersion()) + " is older than this RewardDance's (" +
                        std::to_string(kSchemaVersion) +
                        ") and read-only here; upgrade it once where it can be written");
    }
    return std::unique_ptr<Workspace>(new Workspace(fs::absolute(files.folder), std::move(db)));
}

fs::path Workspace::resolveMediaPath(const std::string& storedPath) const {
    fs::path p(storedPath);
    return p.is_absolute() ? p : m_folder / p;
}

std::string Workspace::storableMediaPath(const fs::path& absolutePath) const {
    const fs::path normal = absolutePath.lexically_normal();
    const fs::path relative = normal.lexically_relative(m_folder.lexically_normal());
    if (!relative.empty() && *relative.begin() != "..")
        return relative.generic_string();
    return normal.generic_string();
}

std::map<std::string, std::int64_t> Workspace::counts() {
    std::map<std::string, std::int64_t> result;
    for (const char* table : kTables) {
        Statement& s = m_db->cached(std::string("SELECT count(*) FROM ") + table);
        s.step();
        result[table] = s.int64(0);
        s.reset();
    }
    return result;
}

std::string Workspace::integrityCheck() {
    Statement& s = m_db->cached("PRAGMA integrity_check");
    std::string result;
    while (s.step())
        result += (result.empty() ? "" : "\n") + s.text(0);
    s.reset();
    return result;
}

int Workspace::schemaVersion() {
    return m_db->userVersion();
}

} // namespace rd::store
