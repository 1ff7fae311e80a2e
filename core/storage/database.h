#pragma once
// A thin, strict wrapper over the sqlite3 C API for node.sqlite and chats.sqlite (DESIGN.md section 11).
// Not QtSql: QSqlDatabase connections are bound to the thread that created them, while the node moves
// storage work between worker threads. A Database may be used from any thread, but by one thread at a
// time (it is opened in SQLite's multi-thread mode); open one connection per worker that needs one.
//
// Every error is an Error whose message carries the database path and SQLite's own message, because
// "disk I/O error" alone does not tell a user which of several files is failing.

#include "crypto/hash.h"
#include "util/bytes.h"
#include "util/error.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace blyan::storage {

namespace detail {
struct StatementCache;
}

struct DatabaseOptions {
    // Durability of a committed transaction. In WAL mode both levels keep the database consistent after a
    // crash or power cut, and neither loses a commit when only the *process* dies. They differ on power
    // loss: NORMAL may roll back the last commits (the WAL is synced only at checkpoints), FULL syncs the
    // WAL on every commit. FULL is the default because the data dir promises that nothing final is lost
    // (section 11) and the node commits one transaction per block, so the extra fsync per commit is cheap.
    // NORMAL is for data that can be fetched or rebuilt again (e.g. bulk initial sync, caches).
    enum class Synchronous { Normal, Full };
    Synchronous synchronous = Synchronous::Full;
    bool readOnly = false;
    bool create = true;          // create the file when missing (ignored when readOnly)
    int busyTimeoutMs = 5000;    // how long to wait for another connection's write lock before Busy
    int statementCacheSize = 64; // prepared statements kept for prepareCached(); 0 disables the cache
};

class Database;

enum class ColumnType { Integer, Float, Text, Blob, Null };

// A prepared statement. Bind indexes are 1-based (as in SQL's ?1), column indexes 0-based, exactly as
// in SQLite. Move-only; a statement must not outlive the Database it came from.
class Statement {
public:
    Statement() = default;
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool valid() const { return stmt_ != nullptr; }

    Status bindInt64(int index, std::int64_t value);
    Status bindDouble(int index, double value);
    Status bindText(int index, std::string_view utf8);
    Status bindText(int index, const QString &text);
    Status bindBlob(int index, ByteView blob);  // an empty blob stays an empty blob, not NULL
    Status bindHash(int index, const crypto::Hash256 &hash) { return bindBlob(index, asBytes(hash)); }
    Status bindNull(int index);

    // true: a row is available through the column getters; false: the statement has finished.
    Expected<bool> step();
    // Steps to completion (INSERT/UPDATE/DELETE...), ignoring any rows.
    Status run();
    // Makes the statement runnable again and clears its bindings. (SQLite's reset repeats the error of a
    // failed step, which step() has already reported, so there is nothing new to return.)
    void reset();

    // Column getters for the current row. They follow SQLite's conversions (NULL reads as 0 / empty).
    int columnCount() const;
    ColumnType columnType(int column) const;
    bool isNull(int column) const { return columnType(column) == ColumnType::Null; }
    std::int64_t columnInt64(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    QString columnString(int column) const;
    Bytes columnBlob(int column) const;
    // Points into SQLite's row buffer: valid until the next step(), reset() or column conversion.
    ByteView columnBlobView(int column) const;
    // A 32-byte blob as a hash; Corrupt when the stored value has another type or length.
    Expected<crypto::Hash256> columnHash(int column) const;

    std::string sql() const;

private:
    friend class Database;
    Statement(sqlite3_stmt *stmt, std::weak_ptr<detail::StatementCache> home, std::string cacheKey);
    Error error(int rc, std::string_view what) const;
    void release();

    sqlite3_stmt *stmt_ = nullptr;
    std::weak_ptr<detail::StatementCache> home_;  // set for cached statements: where to go back when done
    std::string cacheKey_;
};

class Database {
public:
    // Opens (or creates) the database at `path` and configures the connection: WAL journal, the chosen
    // synchronous level, foreign_keys=ON, busy timeout. A file that is not a SQLite database is refused
    // with ErrorCode::Corrupt before SQLite writes anything, and is left byte-for-byte as it was.
    static Expected<Database> open(const QString &path, const DatabaseOptions &options = {});

    Database();
    ~Database();
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    bool isOpen() const;
    const QString &path() const;

    // Runs one or more ;-separated statements that return no data (schema, pragmas).
    Status exec(std::string_view sql);
    // Prepares exactly one statement; trailing SQL after it is an error rather than silently ignored.
    Expected<Statement> prepare(std::string_view sql);
    // Like prepare(), but reuses a statement prepared earlier from the same text. The statement goes back
    // to the cache when destroyed, so two live statements with the same SQL are still independent.
    Expected<Statement> prepareCached(std::string_view sql);

    std::int64_t lastInsertRowId() const;
    std::int64_t changes() const;       // rows changed by the last INSERT/UPDATE/DELETE
    bool inTransaction() const;

    // PRAGMA quick_check: reads the whole file, so call it on demand (e.g. from a "check data" action).
    Status quickCheck();

    sqlite3 *handle() const;

private:
    struct Impl;
    std::shared_ptr<Impl> d_;
};

// RAII write transaction. begin() issues BEGIN IMMEDIATE, taking the write lock up front so that a
// transaction never fails half-way with SQLITE_BUSY on its first write. If the Transaction is destroyed
// without a successful commit() (early return, error, exception), it rolls back. Nesting is an error.
// A Transaction must not outlive its Database.
class Transaction {
public:
    static Expected<Transaction> begin(Database &db);

    Transaction() = default;
    ~Transaction();
    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&other) noexcept;
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    Status commit();
    Status rollback();
    bool active() const { return db_ != nullptr; }

private:
    explicit Transaction(sqlite3 *db) : db_(db) {}
    sqlite3 *db_ = nullptr;
};

}  // namespace blyan::storage
