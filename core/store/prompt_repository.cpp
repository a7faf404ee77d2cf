#include "store/prompt_repository.h"

#include "store/sqlite_db.h"

namespace rd::store {

namespace {

PromptRecord readPrompt(const Statement& s) {
    return PromptRecord{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4)};
}

} // namespace

RowId PromptRepository::findOrInsert(const PromptRecord& p, bool* inserted) {
    Statement& find =
        m_db.cached("SELECT id FROM prompts WHERE text = ? AND category = ? AND split = ?")
            .bind(1, p.text)
            .bind(2, p.category)
            .bind(3, p.split);
    if (find.step()) {
        RowId id = find.int64(0);
        find.reset();
        if (inserted)
            *inserted = false;
        return id;
    }
    find.reset();
    m_db.cached("INSERT INTO prompts(text, category, split, metadata) VALUES (?, ?, ?, ?)")
        .bind(1, p.text)
        .bind(2, p.category)
        .bind(3, p.split)
        .bind(4, p.metadataJson.empty() ? std::string("{}") : p.metadataJson)
        .run();
    if (inserted)
        *inserted = true;
    return m_db.lastInsertRowId();
}

std::optional<PromptRecord> PromptRepository::get(RowId id) {
    Statement& s =
        m_db.cached("SELECT id, text, category, split, metadata FROM prompts WHERE id = ?")
            .bind(1, id);
    std::optional<PromptRecord> result;
    if (s.step())
        result = readPrompt(s);
    s.reset();
    return result;
}

std::vector<PromptRecord> PromptRepository::listBySplit(const std::string& split) {
    Statement& s = m_db.cached("SELECT id, text, category, split, metadata FROM prompts "
                               "WHERE split = ? ORDER BY id")
                       .bind(1, split);
    std::vector<PromptRecord> result;
    while (s.step())
        result.push_back(readPrompt(s));
    s.reset();
    return result;
}

} // namespace rd::store
