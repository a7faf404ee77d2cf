// Thin RAII wrappers over the SQLite C API, used only inside core/store (no SQL elsewhere).
//
// Usage:
//   Database db(path);                         // foreign keys on, WAL, busy timeout
//   Transaction tx(db);                        // BEGIN IMMEDIATE; rolls back unless commit()
//   Statement& s = db.cached("INSERT INTO t(x) VALUES (?)");
//   s.bind(1, 42).run();
//   tx.commit();
// Values are always bound as parameters, never pasted into SQL text.
// Thread affinity: a Database is used by one thread at a time.
#pragma once

#include "common/table.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace rd::store {

class Database;

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
    Statement& bindNull(int index);
    template <typename T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    // Advances to the next row; false when done. Throws rd::Error(Database) on failure.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::int64_t> optionalInt64(int column) const;
    std::optional<double> optionalReal(int column) const;
    int columnCount() const;
    std::string columnName(int column) const;
    // The column's value with its stored type (NULL -> monostate).
    Cell cell(int column) const;

private:
    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

class Database {
public:
    // ReadOnly never writes to the database (query_only where the files may be written; where
    // they may not, SQLite's read-only mode, reading the file as immutable when even a WAL's
    // -shm file cannot be made: nobody can be writing it then either).
    enum class OpenMode { OpenExisting = 1, CreateIfMissing, ReadOnly };

    Database(const std::filesystem::path& path, OpenMode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    // A prepared statement kept for the life of the connection, reset before it is returned.
    Statement& cached(const std::string& sql);
    std::int64_t lastInsertRowId() const;
    int changes() const;
    int userVersion();

    sqlite3* handle() const { return m_db; }
    const std::filesystem::path& path() const { return m_path; }
    [[noreturn]] void fail(int code, const std::string& what) const;

    // Whether this process may write the database file and its folder (a ReadOnly connection
    // may still sit on writable files).
    bool filesWritable() const { return m_filesWritable; }

private:
    void openReadOnly();

    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
    bool m_filesWritable = false;
    std::map<std::string, std::unique_ptr<Statement>> m_cache;
};

// BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy timeout instead
// of failing with SQLITE_BUSY when a read transaction tries to upgrade.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

} // namespace rd::store
