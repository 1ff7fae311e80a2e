#include "storage/migrations.h"

#include "util/log.h"

#include <QDateTime>
#include <QFileInfo>

#include <string>

namespace blyan::storage {

namespace {

Expected<bool> hasVersionTable(Database &db)
{
    BLYAN_TRY(Statement st, db.prepareCached("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"));
    return st.step();
}

Expected<int> readVersion(Database &db)
{
    BLYAN_TRY(const bool exists, hasVersionTable(db));
    if (!exists) return 0;
    BLYAN_TRY(Statement st, db.prepareCached("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    BLYAN_TRY(const bool row, st.step());
    return row ? static_cast<int>(st.columnInt64(0)) : 0;
}

}  // namespace

Expected<int> schemaVersion(Database &db) { return readVersion(db); }

Expected<MigrationResult> migrate(Database &db, std::span<const Migration> migrations)
{
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1)
            return makeError(ErrorCode::Internal, "schema migrations must be numbered 1, 2, 3...; entry " +
                                                      std::to_string(i) + " has version " +
                                                      std::to_string(migrations[i].version));
    }
    const int known = static_cast<int>(migrations.size());
    const std::string name = QFileInfo(db.path()).fileName().toStdString();

    BLYAN_TRY(const int start, readVersion(db));
    if (start > known)
        return makeError(ErrorCode::Unavailable,
                         name + " was written by a newer Blyan (schema " + std::to_string(start) + ", this build knows " +
                             std::to_string(known) + "); upgrade Blyan or use another --datadir");

    MigrationResult result{start, start};
    for (const Migration &m : migrations) {
        if (m.version <= result.toVersion) continue;
        BLYAN_TRY(Transaction tx, Transaction::begin(db));
        // Re-read under the write lock: another connection may have migrated since we looked.
        BLYAN_TRY(const int now, readVersion(db));
        if (now >= m.version) {
            result.toVersion = now;
            continue;  // tx rolls back: nothing was written
        }
        BLYAN_CHECK(db.exec("CREATE TABLE IF NOT EXISTS schema_version ("
                            " version INTEGER PRIMARY KEY,"
                            " applied_at INTEGER NOT NULL)"));
        const Status applied = db.exec(m.sql);
        if (!applied.ok())
            return applied.error().context(name + ": schema migration " + std::to_string(m.version) + " failed");
        BLYAN_TRY(Statement ins, db.prepareCached("INSERT INTO schema_version(version, applied_at) VALUES(?1, ?2)"));
        BLYAN_CHECK(ins.bindInt64(1, m.version));
        BLYAN_CHECK(ins.bindInt64(2, QDateTime::currentSecsSinceEpoch()));
        BLYAN_CHECK(ins.run());
        BLYAN_CHECK(tx.commit());
        result.toVersion = m.version;
        qCInfo(lcStorage, "%s: applied schema migration %d", name.c_str(), m.version);
    }
    return result;
}

}  // namespace blyan::storage
