#include "store/rm_judgment_repository.h"

#include "store/sqlite_db.h"

namespace rd::store {

namespace {

const char* const kSelect = "SELECT id, pair_id, model_id, ordering, p_yes, rationale, "
                            "latency_ms, created_at, p_no FROM rm_judgments";

RmJudgmentRecord readJudgment(const Statement& s) {
    RmJudgmentRecord j;
    j.id = s.int64(0);
    j.pairId = s.int64(1);
    j.modelId = s.int64(2);
    j.order = parseJudgeOrder(s.text(3)).value_or(JudgeOrder::AB);
    j.pYes = s.real(4);
    j.rationale = s.text(5);
    j.latencyMs = s.real(6);
    j.createdAt = s.text(7);
    j.pNo = s.optionalReal(8);
    return j;
}

std::vector<RmJudgmentRecord> readAll(Statement& s) {
    std::vector<RmJudgmentRecord> result;
    while (s.step())
        result.push_back(readJudgment(s));
    s.reset();
    return result;
}

} // namespace

RowId RmJudgmentRepository::upsert(const RmJudgmentRecord& j) {
    Statement& s =
        m_db.cached("INSERT INTO rm_judgments(pair_id, model_id, ordering, p_yes, rationale, "
                    "latency_ms, p_no) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(pair_id, model_id, ordering) DO UPDATE SET "
                    "p_yes = excluded.p_yes, p_no = excluded.p_no, rationale = excluded.rationale, "
                    "latency_ms = excluded.latency_ms, created_at = excluded.created_at "
                    "RETURNING id")
            .bind(1, j.pairId)
            .bind(2, j.modelId)
            .bind(3, toString(j.order))
            .bind(4, j.pYes)
            .bind(5, j.rationale)
            .bind(6, j.latencyMs)
            .bind(7, j.pNo);
    s.step();
    RowId id = s.int64(0);
    s.reset();
    return id;
}

std::vector<RmJudgmentRecord> RmJudgmentRepository::listForPair(RowId pairId) {
    return readAll(
        m_db.cached(std::string(kSelect) + " WHERE pair_id = ? ORDER BY id").bind(1, pairId));
}

std::vector<RmJudgmentRecord> RmJudgmentRepository::listForModel(RowId modelId) {
    return readAll(
        m_db.cached(std::string(kSelect) + " WHERE model_id = ? ORDER BY id").bind(1, modelId));
}

} // namespace rd::store
