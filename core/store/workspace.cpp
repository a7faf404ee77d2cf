#include "store/workspace.h"

#include "common/error.h"
#include "store/generation_repository.h"
#include "store/gsb_repository.h"
#include "store/media_repository.h"
#include "store/model_repository.h"
#include "store/pair_repository.h"
#include "store/prompt_repository.h"
#include "store/rm_judgment_repository.h"
#include "store/run_repository.h"
#include "store/schema.h"
#include "store/sqlite_db.h"

namespace rd::store {
namespace fs = std::filesystem;

namespace {

// Table names are our own constants, never user input.
const char* const kTables[] = {"media",         "prompts",      "generations", "pairs",
                               "models",        "rm_judgments", "gsb_studies", "gsb_items",
                               "gsb_judgments", "runs",         "metrics"};

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
    std::error_code ec;
    fs::path folder = folderOrDatabase;
    if (fs::is_regular_file(folderOrDatabase, ec))
        folder =
            folderOrDatabase.parent_path().empty() ? fs::path(".") : folderOrDatabase.parent_path();
    const fs::path dbPath = fs::is_regular_file(folderOrDatabase, ec)
                                ? folderOrDatabase
                                : folderOrDatabase / kDatabaseFile;
    if (!fs::exists(dbPath, ec))
        throw Error(ErrorKind::NotFound, folderOrDatabase.string() +
                                             ": not a RewardDance workspace (no " + kDatabaseFile +
                                             "; create one with rdance init)");
    auto db = std::make_unique<Database>(dbPath, Database::OpenMode::OpenExisting);
    migrate(*db);
    fs::create_directories(folder / kMediaFolder, ec);
    return std::unique_ptr<Workspace>(new Workspace(fs::absolute(folder), std::move(db)));
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
