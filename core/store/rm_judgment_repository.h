// A reward model's verdicts on pairs: P("yes") (paper Eq. 2) per image order, with rationale.
#pragma once

#include "store/records.h"

#include <vector>

namespace rd::store {

class Database;

class RmJudgmentRepository {
public:
    explicit RmJudgmentRepository(Database& db) : m_db(db) {}

    // Re-judging a pair with the same model and order replaces the earlier judgment.
    RowId upsert(const RmJudgmentRecord& judgment);
    std::vector<RmJudgmentRecord> listForPair(RowId pairId);
    std::vector<RmJudgmentRecord> listForModel(RowId modelId);

private:
    Database& m_db;
};

} // namespace rd::store
