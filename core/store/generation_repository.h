// Generation rows: a generator's output (a media row) for a prompt.
#pragma once

#include "store/records.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::store {

class Database;

class GenerationRepository {
public:
    explicit GenerationRepository(Database& db) : m_db(db) {}

    // Unique by (prompt, media, generator): returns the existing row's id or inserts one.
    RowId findOrInsert(const GenerationRecord& generation, bool* inserted = nullptr);
    std::optional<GenerationRecord> get(RowId id);
    std::vector<GenerationRecord> listByGenerator(const std::string& generator);
    std::vector<GenerationRecord> listByPrompt(RowId promptId);

private:
    Database& m_db;
};

} // namespace rd::store
