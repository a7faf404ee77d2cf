// Media rows: one per distinct file content (deduplicated by SHA-256).
#pragma once

#include "store/records.h"

#include <optional>
#include <string>

namespace rd::store {

class Database;

class MediaRepository {
public:
    explicit MediaRepository(Database& db) : m_db(db) {}

    RowId insert(const MediaRecord& media);
    std::optional<MediaRecord> findBySha256(const std::string& sha256);
    std::optional<MediaRecord> get(RowId id);

private:
    Database& m_db;
};

} // namespace rd::store
