// Reward models and generators known to the workspace (their checkpoints live on disk).
#pragma once

#include "store/records.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::store {

class Database;

class ModelRepository {
public:
    explicit ModelRepository(Database& db) : m_db(db) {}

    // Inserts the model, or updates arch/param count/path of the one with the same name.
    RowId upsert(const ModelRecord& model);
    std::optional<ModelRecord> findByName(const std::string& name);
    std::vector<ModelRecord> list();

private:
    Database& m_db;
};

} // namespace rd::store
