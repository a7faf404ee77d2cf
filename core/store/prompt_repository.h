// Prompt rows: unique by (text, category, split).
#pragma once

#include "store/records.h"

#include <optional>
#include <vector>

namespace rd::store {

class Database;

class PromptRepository {
public:
    explicit PromptRepository(Database& db) : m_db(db) {}

    // Returns the id of the existing row with the same text, category and split, or inserts one.
    RowId findOrInsert(const PromptRecord& prompt, bool* inserted = nullptr);
    std::optional<PromptRecord> get(RowId id);
    std::vector<PromptRecord> listBySplit(const std::string& split);

private:
    Database& m_db;
};

} // namespace rd::store
