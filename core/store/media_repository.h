// Media rows: one per distinct file content (deduplicated by SHA-256).
#pragma once

#include "store/records.h"

#include <functional>
#include <optional>
#include <string>

namespace rd::store {

class Database;

class MediaRepository {
public:
    explicit MediaRepository(Database& db) : m_db(db) {}

    RowId insert(const MediaRecord& media);
    // The one way a file becomes a media row: the row of the content that hashes to sha256 if
    // there is one, else a new row from describe(), called only then (probing or copying a file
    // costs). *added (when given) says which.
    RowId findOrInsert(const std::string& sha256, const std::function<MediaRecord()>& describe,
                       bool* added = nullptr);
    std::optional<MediaRecord> findBySha256(const std::string& sha256);
    std::optional<MediaRecord> get(RowId id);

private:
    Database& m_db;
};

} // namespace rd::store
