#include "store/model_repository.h"

#include "store/sqlite_db.h"

namespace rd::store {

namespace {

ModelRecord readModel(const Statement& s) {
    return ModelRecord{s.int64(0), s.text(1), s.text(2), s.int64(3), s.text(4), s.text(5)};
}

} // namespace

RowId ModelRepository::upsert(const ModelRecord& m) {
    Statement& s = m_db.cached("INSERT INTO models(name, arch, param_count, path) "
                               "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                               "arch = excluded.arch, param_count = excluded.param_count, "
                               "path = excluded.path RETURNING id")
                       .bind(1, m.name)
                       .bind(2, m.arch)
                       .bind(3, m.paramCount)
                       .bind(4, m.path);
    s.step();
    RowId id = s.int64(0);
    s.reset();
    return id;
}

std::optional<ModelRecord> ModelRepository::findByName(const std::string& name) {
    Statement& s = m_db.cached("SELECT id, name, arch, param_count, path, created_at FROM models "
                               "WHERE name = ?")
                       .bind(1, name);
    std::optional<ModelRecord> result;
    if (s.step())
        result = readModel(s);
    s.reset();
    return result;
}

std::vector<ModelRecord> ModelRepository::list() {
    Statement& s =
        m_db.cached("SELECT id, name, arch, param_count, path, created_at FROM models ORDER BY id");
    std::vector<ModelRecord> result;
    while (s.step())
        result.push_back(readModel(s));
    s.reset();
    return result;
}

} // namespace rd::store
