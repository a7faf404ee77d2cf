// Preference pairs: two generations of one prompt and which one is preferred.
#pragma once

#include "store/records.h"

#include <optional>
#include <string>
#include <vector>

namespace rd::store {

class Database;

struct PairFilter {
    std::optional<std::string> split;
    std::optional<PairSource> source;
    std::int64_t offset = 0;
    std::int64_t limit = -1; // -1: no limit
};

class PairRepository {
public:
    explicit PairRepository(Database& db) : m_db(db) {}

    // Inserts the pair unless one with the same prompt and generations exists (then nullopt).
    std::optional<RowId> insertIfAbsent(const PairRecord& pair);
    std::optional<PairRecord> get(RowId id);
    std::optional<RowId> findId(RowId promptId, RowId genA, RowId genB);
    std::vector<PairRecord> list(const PairFilter& filter);
    void setPreference(RowId id, Preference preferred, const std::string& rationale);

private:
    Database& m_db;
};

} // namespace rd::store
