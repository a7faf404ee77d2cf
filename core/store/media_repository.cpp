#include "store/media_repository.h"

#include "store/sqlite_db.h"

namespace rd::store {

namespace {

const char* const kColumns = "id, path, kind, width, height, frames, fps, duration_s, sha256";

MediaRecord readMedia(const Statement& s) {
    MediaRecord m;
    m.id = s.int64(0);
    m.path = s.text(1);
    m.kind = parseMediaKind(s.text(2)).value_or(MediaKind::Image);
    m.width = static_cast<int>(s.int64(3));
    m.height = static_cast<int>(s.int64(4));
    m.frames = s.int64(5);
    m.fps = s.optionalReal(6);
    m.durationS = s.optionalReal(7);
    m.sha256 = s.text(8);
    return m;
}

std::optional<MediaRecord> readOne(Statement& s) {
    std::optional<MediaRecord> result;
    if (s.step())
        result = readMedia(s);
    s.reset();
    return result;
}

} // namespace

RowId MediaRepository::insert(const MediaRecord& m) {
    m_db.cached("INSERT INTO media(path, kind, width, height, frames, fps, duration_s, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m.path)
        .bind(2, toString(m.kind))
        .bind(3, m.width)
        .bind(4, m.height)
        .bind(5, m.frames)
        .bind(6, m.fps)
        .bind(7, m.durationS)
        .bind(8, m.sha256)
        .run();
    return m_db.lastInsertRowId();
}

RowId MediaRepository::findOrInsert(const std::string& sha256,
                                    const std::function<MediaRecord()>& describe, bool* added) {
    if (added)
        *added = false;
    if (const auto existing = findBySha256(sha256))
        return existing->id;
    MediaRecord record = describe();
    record.sha256 = sha256;
    if (added)
        *added = true;
    return insert(record);
}

std::optional<MediaRecord> MediaRepository::findBySha256(const std::string& sha256) {
    return readOne(m_db.cached(std::string("SELECT ") + kColumns + " FROM media WHERE sha256 = ?")
                       .bind(1, sha256));
}

std::optional<MediaRecord> MediaRepository::get(RowId id) {
    return readOne(
        m_db.cached(std::string("SELECT ") + kColumns + " FROM media WHERE id = ?").bind(1, id));
}

} // namespace rd::store
