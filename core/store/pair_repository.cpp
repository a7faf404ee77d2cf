#include "store/pair_repository.h"

#include "store/sqlite_db.h"

namespace rd::store {

namespace {

const char* const kSelect =
    "SELECT id, prompt_id, gen_a, gen_b, preferred, source, rationale, split FROM pairs";

PairRecord readPair(const Statement& s) {
    PairRecord p;
    p.id = s.int64(0);
    p.promptId = s.int64(1);
    p.genA = s.int64(2);
    p.genB = s.int64(3);
    p.preferred = parsePreference(s.text(4)).value_or(Preference::Unknown);
    p.source = parsePairSource(s.text(5)).value_or(PairSource::Import);
    p.rationale = s.text(6);
    p.split = s.text(7);
    return p;
}

} // namespace

std::optional<RowId> PairRepository::insertIfAbsent(const PairRecord& p) {
    m_db.cached("INSERT INTO pairs(prompt_id, gen_a, gen_b, preferred, source, rationale, split) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(prompt_id, gen_a, gen_b) DO NOTHING")
        .bind(1, p.promptId)
        .bind(2, p.genA)
        .bind(3, p.genB)
        .bind(4, toString(p.preferred))
        .bind(5, toString(p.source))
        .bind(6, p.rationale)
        .bind(7, p.split)
        .run();
    if (m_db.changes() == 0)
        return std::nullopt;
    return m_db.lastInsertRowId();
}

std::optional<RowId> PairRepository::findId(RowId promptId, RowId genA, RowId genB) {
    Statement& s =
        m_db.cached("SELECT id FROM pairs WHERE prompt_id = ?1 AND gen_a = ?2 AND gen_b = ?3");
    s.bind(1, promptId).bind(2, genA).bind(3, genB);
    std::optional<RowId> id;
    if (s.step())
        id = s.int64(0);
    s.reset();
    return id;
}

std::optional<PairRecord> PairRepository::get(RowId id) {
    Statement& s = m_db.cached(std::string(kSelect) + " WHERE id = ?").bind(1, id);
    std::optional<PairRecord> result;
    if (s.step())
        result = readPair(s);
    s.reset();
    return result;
}

std::vector<PairRecord> PairRepository::list(const PairFilter& filter) {
    // NULL parameters switch a condition off, so one prepared statement serves every filter.
    Statement& s = m_db.cached(std::string(kSelect) +
                               " WHERE (?1 IS NULL OR split = ?1) AND (?2 IS NULL OR source = ?2)"
                               " ORDER BY id LIMIT ?3 OFFSET ?4");
    s.bind(1, filter.split);
    if (filter.source)
        s.bind(2, toString(*filter.source));
    else
        s.bindNull(2);
    s.bind(3, filter.limit).bind(4, filter.offset);
    std::vector<PairRecord> result;
    while (s.step())
        result.push_back(readPair(s));
    s.reset();
    return result;
}

void PairRepository::setPreference(RowId id, Preference preferred, const std::string& rationale) {
    m_db.cached("UPDATE pairs SET preferred = ?, rationale = ? WHERE id = ?")
        .bind(1, toString(preferred))
        .bind(2, rationale)
        .bind(3, id)
        .run();
}

} // namespace rd::store
