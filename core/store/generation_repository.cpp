#include "store/generation_repository.h"

#include "store/sqlite_db.h"

namespace rd::store {

namespace {

GenerationRecord readGeneration(const Statement& s) {
    return GenerationRecord{s.int64(0), s.int64(1),         s.int64(2),
                            s.text(3),  s.optionalInt64(4), s.optionalInt64(5)};
}

} // namespace

RowId GenerationRepository::findOrInsert(const GenerationRecord& g, bool* inserted) {
    Statement& find = m_db.cached("SELECT id FROM generations "
                                  "WHERE prompt_id = ? AND media_id = ? AND generator = ?")
                          .bind(1, g.promptId)
                          .bind(2, g.mediaId)
                          .bind(3, g.generator);
    if (find.step()) {
        RowId id = find.int64(0);
        find.reset();
        if (inserted)
            *inserted = false;
        return id;
    }
    find.reset();
    m_db.cached("INSERT INTO generations(prompt_id, media_id, generator, seed, step) "
                "VALUES (?, ?, ?, ?, ?)")
        .bind(1, g.promptId)
        .bind(2, g.mediaId)
        .bind(3, g.generator)
        .bind(4, g.seed)
        .bind(5, g.step)
        .run();
    if (inserted)
        *inserted = true;
    return m_db.lastInsertRowId();
}

std::optional<GenerationRecord> GenerationRepository::get(RowId id) {
    Statement& s = m_db.cached("SELECT id, prompt_id, media_id, generator, seed, step "
                               "FROM generations WHERE id = ?")
                       .bind(1, id);
    std::optional<GenerationRecord> result;
    if (s.step())
        result = readGeneration(s);
    s.reset();
    return result;
}

std::vector<GenerationRecord> GenerationRepository::listByGenerator(const std::string& generator) {
    Statement& s = m_db.cached("SELECT id, prompt_id, media_id, generator, seed, step "
                               "FROM generations WHERE generator = ? ORDER BY id")
                       .bind(1, generator);
    std::vector<GenerationRecord> result;
    while (s.step())
        result.push_back(readGeneration(s));
    s.reset();
    return result;
}

std::vector<GenerationRecord> GenerationRepository::listByPrompt(RowId promptId) {
    Statement& s = m_db.cached("SELECT id, prompt_id, media_id, generator, seed, step "
                               "FROM generations WHERE prompt_id = ? ORDER BY id")
                       .bind(1, promptId);
    std::vector<GenerationRecord> result;
    while (s.step())
        result.push_back(readGeneration(s));
    s.reset();
    return result;
}

} // namespace rd::store
