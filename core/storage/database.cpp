#include "storage/database.h"

#include "util/log.h"

#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

#include <climits>
#include <cstring>
#include <unordered_map>
#include <utility>

namespace blyan::storage {

namespace detail {
// Prepared statements waiting to be reused, keyed by their SQL text. A statement in use is *out* of the
// cache, so nested or repeated use of the same SQL can never share one sqlite3_stmt.
struct StatementCache {
    std::unordered_map<std::string, sqlite3_stmt *> idle;
    std::size_t capacity = 0;

    ~StatementCache()
    {
        for (auto &entry : idle) sqlite3_finalize(entry.second);
    }
};
}  // namespace detail

namespace {

std::string dbPath(sqlite3 *db)
{
    const char *name = db ? sqlite3_db_filename(db, "main") : nullptr;
    return name && *name ? std::string(name) : std::string("(in-memory database)");
}

ErrorCode codeFor(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorCode::Busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return ErrorCode::Corrupt;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM: return ErrorCode::Io;
    case SQLITE_TOOBIG: return ErrorCode::LimitExceeded;
    case SQLITE_RANGE: return ErrorCode::InvalidArgument;
    case SQLITE_CONSTRAINT:
        // Callers want to tell "already there" apart from other failures (e.g. a block seen twice).
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return ErrorCode::AlreadyExists;
        return ErrorCode::Database;
    default: return ErrorCode::Database;
    }
}

const char *hintFor(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL: return " (the disk is full: free some space and restart Blyan)";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return " (the database file is damaged: move it away and let Blyan rebuild it, or restore a backup)";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN: return " (check that the data directory exists and is writable)";
    default: return "";
    }
}

// "<path>: <what>: <sqlite message> [hint]". The path comes first because several databases share a log.
Error sqliteError(sqlite3 *db, const std::string &path, int rc, std::string_view what, const char *sqliteMessage = nullptr)
{
    std::string msg;
    if (sqliteMessage) {
        msg = sqliteMessage;
    } else {
        // sqlite3_errmsg describes the most recent call on the connection; use it only if it matches.
        if (db && (sqlite3_extended_errcode(db) == rc || sqlite3_errcode(db) == (rc & 0xff))) msg = sqlite3_errmsg(db);
        else msg = sqlite3_errstr(rc);
    }
    return Error(codeFor(rc), path + ": " + std::string(what) + ": " + msg + hintFor(rc));
}

Error sqliteError(sqlite3 *db, int rc, std::string_view what, const char *sqliteMessage = nullptr)
{
    return sqliteError(db, dbPath(db), rc, what, sqliteMessage);
}

Status execRaw(sqlite3 *db, std::string_view sql, std::string_view what)
{
    const std::string text(sql);  // sqlite3_exec needs a NUL-terminated string
    char *err = nullptr;
    const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        Error e = sqliteError(db, rc, what, err);
        sqlite3_free(err);
        return e;
    }
    return {};
}

std::string snippet(std::string_view sql)
{
    std::string s(sql.substr(0, 80));
    for (char &c : s)
        if (c == '\n' || c == '\t') c = ' ';
    return sql.size() > 80 ? s + "..." : s;
}

// Refuse files that are not SQLite databases *before* SQLite sees them, so nothing (not even a -wal or
// -journal file) is created next to a file the user may have pointed us at by mistake.
Status checkHeader(const QString &path)
{
    const QFileInfo fi(path);
    if (!fi.exists()) return {};
    if (fi.isDir())
        return makeError(ErrorCode::Io, path.toStdString() + " is a directory, not a database file");
    if (fi.size() == 0) return {};  // SQLite treats an empty file as a new, empty database
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, path.toStdString() + ": cannot read the database file: " + f.errorString().toStdString());
    static const char kMagic[16] = "SQLite format 3";  // 15 characters and the terminating NUL
    const QByteArray head = f.read(16);
    if (head.size() < 16 || std::memcmp(head.constData(), kMagic, 16) != 0)
        return makeError(ErrorCode::Corrupt,
                         path.toStdString() +
                             " is not a SQLite database (wrong file header); Blyan left it untouched. Move it away or "
                             "use another --datadir");
    return {};
}

}  // namespace

// ---- Statement ------------------------------------------------------------------------------------

Statement::Statement(sqlite3_stmt *stmt, std::weak_ptr<detail::StatementCache> home, std::string cacheKey)
    : stmt_(stmt), home_(std::move(home)), cacheKey_(std::move(cacheKey))
{
}

Statement::~Statement() { release(); }

Statement::Statement(Statement &&other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), home_(std::move(other.home_)), cacheKey_(std::move(other.cacheKey_))
{
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        release();
        stmt_ = std::exchange(other.stmt_, nullptr);
        home_ = std::move(other.home_);
        cacheKey_ = std::move(other.cacheKey_);
    }
    return *this;
}

void Statement::release()
{
    if (!stmt_) return;
    sqlite3_stmt *stmt = std::exchange(stmt_, nullptr);
    if (auto home = home_.lock()) {
        if (home->idle.size() < home->capacity && !home->idle.count(cacheKey_)) {
            // Reset now: a statement left mid-iteration would keep a read transaction open.
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
            home->idle.emplace(std::move(cacheKey_), stmt);
            return;
        }
    }
    sqlite3_finalize(stmt);
}

Error Statement::error(int rc, std::string_view what) const
{
    return sqliteError(sqlite3_db_handle(stmt_), rc, std::string(what) + " [" + snippet(sql()) + "]");
}

#define BLYAN_BIND_CHECK(call, index)                                                                          \
    do {                                                                                                       \
        if (!stmt_) return makeError(ErrorCode::InvalidArgument, "binding to an empty statement");             \
        const int rc_ = (call);                                                                                \
        if (rc_ != SQLITE_OK) return error(rc_, "binding parameter " + std::to_string(index));                 \
        return {};                                                                                             \
    } while (0)

Status Statement::bindInt64(int index, std::int64_t value)
{
    BLYAN_BIND_CHECK(sqlite3_bind_int64(stmt_, index, value), index);
}

Status Statement::bindDouble(int index, double value) { BLYAN_BIND_CHECK(sqlite3_bind_double(stmt_, index, value), index); }

Status Statement::bindText(int index, std::string_view utf8)
{
    if (utf8.size() > static_cast<std::size_t>(INT_MAX))
        return makeError(ErrorCode::LimitExceeded, "text parameter " + std::to_string(index) + " is over 2 GiB");
    // A null data pointer would bind NULL; "" keeps an empty string an empty string.
    BLYAN_BIND_CHECK(sqlite3_bind_text(stmt_, index, utf8.data() ? utf8.data() : "", static_cast<int>(utf8.size()),
                                       SQLITE_TRANSIENT),
                     index);
}

Status Statement::bindText(int index, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return bindText(index, std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
}

Status Statement::bindBlob(int index, ByteView blob)
{
    if (blob.size() > static_cast<std::size_t>(INT_MAX))
        return makeError(ErrorCode::LimitExceeded, "blob parameter " + std::to_string(index) + " is over 2 GiB");
    // sqlite3_bind_blob with a null pointer binds NULL, which would turn an empty blob into "no value".
    if (blob.empty()) BLYAN_BIND_CHECK(sqlite3_bind_zeroblob(stmt_, index, 0), index);
    BLYAN_BIND_CHECK(sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT), index);
}

Status Statement::bindNull(int index) { BLYAN_BIND_CHECK(sqlite3_bind_null(stmt_, index), index); }

#undef BLYAN_BIND_CHECK

Expected<bool> Statement::step()
{
    if (!stmt_) return makeError(ErrorCode::InvalidArgument, "stepping an empty statement");
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return error(rc, "executing");
}

Status Statement::run()
{
    for (;;) {
        BLYAN_TRY(const bool row, step());
        if (!row) return {};
    }
}

void Statement::reset()
{
    if (!stmt_) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int Statement::columnCount() const { return stmt_ ? sqlite3_column_count(stmt_) : 0; }

ColumnType Statement::columnType(int column) const
{
    switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER: return ColumnType::Integer;
    case SQLITE_FLOAT: return ColumnType::Float;
    case SQLITE_TEXT: return ColumnType::Text;
    case SQLITE_BLOB: return ColumnType::Blob;
    default: return ColumnType::Null;
    }
}

std::int64_t Statement::columnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::columnDouble(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::columnText(int column) const
{
    // Text first, then bytes: that order returns the length of the converted value.
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt_, column));
    const int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

QString Statement::columnString(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt_, column));
    const int n = sqlite3_column_bytes(stmt_, column);
    return p ? QString::fromUtf8(p, n) : QString();
}

ByteView Statement::columnBlobView(int column) const
{
    const auto *p = static_cast<const std::uint8_t *>(sqlite3_column_blob(stmt_, column));
    const int n = sqlite3_column_bytes(stmt_, column);
    return p ? ByteView(p, static_cast<std::size_t>(n)) : ByteView();
}

Bytes Statement::columnBlob(int column) const
{
    const ByteView v = columnBlobView(column);
    return Bytes(v.begin(), v.end());
}

Expected<crypto::Hash256> Statement::columnHash(int column) const
{
    if (columnType(column) != ColumnType::Blob || sqlite3_column_bytes(stmt_, column) != 32)
        return makeError(ErrorCode::Corrupt, dbPath(sqlite3_db_handle(stmt_)) + ": column " + std::to_string(column) +
                                                 " should hold a 32-byte hash [" + snippet(sql()) + "]");
    const ByteView v = columnBlobView(column);
    crypto::Hash256 h;
    std::copy(v.begin(), v.end(), h.begin());
    return h;
}

std::string Statement::sql() const
{
    const char *s = stmt_ ? sqlite3_sql(stmt_) : nullptr;
    return s ? std::string(s) : std::string();
}

// ---- Database -------------------------------------------------------------------------------------

struct Database::Impl {
    sqlite3 *db = nullptr;
    QString path;
    std::shared_ptr<detail::StatementCache> cache = std::make_shared<detail::StatementCache>();

    ~Impl()
    {
        cache.reset();  // finalize idle statements first; statements still in use turn uncached
        // close_v2 turns the connection into a zombie until the last outstanding statement is finalized,
        // instead of failing with SQLITE_BUSY and leaking the handle.
        if (db) sqlite3_close_v2(db);
    }
};

Database::Database() = default;
Database::~Database() = default;
Database::Database(Database &&other) noexcept = default;
Database &Database::operator=(Database &&other) noexcept = default;

bool Database::isOpen() const { return d_ && d_->db; }

const QString &Database::path() const
{
    static const QString empty;
    return d_ ? d_->path : empty;
}

sqlite3 *Database::handle() const { return d_ ? d_->db : nullptr; }

Expected<Database> Database::open(const QString &path, const DatabaseOptions &options)
{
    const std::string p = path.toStdString();
    if (sqlite3_threadsafe() == 0)
        return makeError(ErrorCode::Internal, "this SQLite library was built without thread support; Blyan needs it");
    BLYAN_CHECK(checkHeader(path));

    int flags = SQLITE_OPEN_NOMUTEX;  // one thread at a time per connection; see database.h
    if (options.readOnly) flags |= SQLITE_OPEN_READONLY;
    else flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);

    Database out;
    out.d_ = std::make_shared<Impl>();
    out.d_->path = path;
    out.d_->cache->capacity = static_cast<std::size_t>(std::max(0, options.statementCacheSize));
    const QByteArray utf8 = path.toUtf8();
    const int rc = sqlite3_open_v2(utf8.constData(), &out.d_->db, flags, nullptr);
    if (rc != SQLITE_OK) return sqliteError(out.d_->db, p, rc, "cannot open database");
    sqlite3 *db = out.d_->db;
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, std::max(0, options.busyTimeoutMs));

    // Read the schema before changing anything: a damaged file fails here, untouched.
    {
        BLYAN_TRY(Statement probe, out.prepare("SELECT count(*) FROM sqlite_master"));
        auto r = probe.step();
        if (!r.ok()) return r.error();
    }

    if (!options.readOnly) {
        // WAL: readers never block the writer and a crash mid-commit cannot damage the main file.
        BLYAN_TRY(Statement wal, out.prepare("PRAGMA journal_mode=WAL"));
        BLYAN_TRY(const bool row, wal.step());
        const std::string mode = row ? wal.columnText(0) : std::string();
        if (mode != "wal" && path != QLatin1String(":memory:"))  // an in-memory database has no journal file
            qCWarning(lcStorage, "%s: WAL journal not available (journal_mode=%s); using it anyway, with less "
                                 "concurrency", p.c_str(), mode.c_str());
    }
    BLYAN_CHECK(out.exec(options.synchronous == DatabaseOptions::Synchronous::Full ? "PRAGMA synchronous=FULL"
                                                                                    : "PRAGMA synchronous=NORMAL"));
    // Foreign keys are off by default in SQLite, and their absence would silently allow dangling rows.
    BLYAN_CHECK(out.exec("PRAGMA foreign_keys=ON"));
    // Schema SQL must not call application-defined functions: a crafted database file cannot run our code.
    BLYAN_CHECK(out.exec("PRAGMA trusted_schema=OFF"));
    {
        BLYAN_TRY(Statement fk, out.prepare("PRAGMA foreign_keys"));
        BLYAN_TRY(const bool row, fk.step());
        if (!row || fk.columnInt64(0) != 1)
            return makeError(ErrorCode::Database, p + ": this SQLite library does not enforce foreign keys");
    }
    return out;
}

Status Database::exec(std::string_view sql)
{
    if (!isOpen()) return makeError(ErrorCode::InvalidArgument, "exec on a closed database");
    return execRaw(d_->db, sql, "[" + snippet(sql) + "]");
}

Expected<Statement> Database::prepare(std::string_view sql)
{
    if (!isOpen()) return makeError(ErrorCode::InvalidArgument, "prepare on a closed database");
    if (sql.size() >= static_cast<std::size_t>(INT_MAX))
        return makeError(ErrorCode::LimitExceeded, d_->path.toStdString() + ": SQL text over 2 GiB");
    sqlite3_stmt *stmt = nullptr;
    const char *tail = nullptr;
    const int rc = sqlite3_prepare_v2(d_->db, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
    if (rc != SQLITE_OK) return sqliteError(d_->db, rc, "preparing [" + snippet(sql) + "]");
    Statement st(stmt, {}, {});
    if (!stmt) return makeError(ErrorCode::InvalidArgument, d_->path.toStdString() + ": no SQL statement in [" + snippet(sql) + "]");
    const std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos)
        return makeError(ErrorCode::InvalidArgument, d_->path.toStdString() + ": prepare() takes one statement; more SQL follows: [" +
                                                         snippet(rest) + "]");
    return st;
}

Expected<Statement> Database::prepareCached(std::string_view sql)
{
    if (!isOpen()) return makeError(ErrorCode::InvalidArgument, "prepare on a closed database");
    std::string key(sql);
    auto &idle = d_->cache->idle;
    if (auto it = idle.find(key); it != idle.end()) {
        sqlite3_stmt *stmt = it->second;
        idle.erase(it);
        return Statement(stmt, d_->cache, std::move(key));
    }
    BLYAN_TRY(Statement st, prepare(sql));
    st.home_ = d_->cache;
    st.cacheKey_ = std::move(key);
    return st;
}

std::int64_t Database::lastInsertRowId() const { return isOpen() ? sqlite3_last_insert_rowid(d_->db) : 0; }

std::int64_t Database::changes() const { return isOpen() ? sqlite3_changes(d_->db) : 0; }

bool Database::inTransaction() const { return isOpen() && sqlite3_get_autocommit(d_->db) == 0; }

Status Database::quickCheck()
{
    BLYAN_TRY(Statement st, prepare("PRAGMA quick_check"));
    std::string problems;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        const std::string line = st.columnText(0);
        if (line == "ok") continue;
        if (!problems.empty()) problems += "; ";
        problems += line;
    }
    if (problems.empty()) return {};
    return makeError(ErrorCode::Corrupt, d_->path.toStdString() + ": integrity check failed: " + problems +
                                             " (move the file away and let Blyan rebuild it, or restore a backup)");
}

// ---- Transaction ----------------------------------------------------------------------------------

Expected<Transaction> Transaction::begin(Database &db)
{
    if (!db.isOpen()) return makeError(ErrorCode::InvalidArgument, "transaction on a closed database");
    BLYAN_CHECK(execRaw(db.handle(), "BEGIN IMMEDIATE", "starting a transaction"));
    return Transaction(db.handle());
}

Transaction::~Transaction()
{
    if (!db_) return;
    const Status s = rollback();
    if (!s.ok()) qCWarning(lcStorage, "rolling back an abandoned transaction failed: %s", s.error().message.c_str());
}

Transaction::Transaction(Transaction &&other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction &Transaction::operator=(Transaction &&other) noexcept
{
    if (this != &other) {
        if (db_) (void)rollback();
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

Status Transaction::commit()
{
    if (!db_) return makeError(ErrorCode::InvalidArgument, "commit without an active transaction");
    // On failure the transaction stays ours: the destructor (or the caller) rolls it back.
    BLYAN_CHECK(execRaw(db_, "COMMIT", "committing"));
    db_ = nullptr;
    return {};
}

Status Transaction::rollback()
{
    if (!db_) return {};
    sqlite3 *db = std::exchange(db_, nullptr);
    // Some errors (disk full, I/O) make SQLite roll back on its own; then there is nothing left to undo.
    if (sqlite3_get_autocommit(db)) return {};
    return execRaw(db, "ROLLBACK", "rolling back");
}

}  // namespace blyan::storage
