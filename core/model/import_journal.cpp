#include "model/import_journal.h"

#include "storage/migrations.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace blyan::model {

namespace {

constexpr storage::Migration kMigrations[] = {
    {1, "CREATE TABLE import_component(source TEXT NOT NULL, name TEXT NOT NULL, payload_hash BLOB NOT NULL,"
        " size INTEGER NOT NULL, chunk_count INTEGER NOT NULL, merkle_root BLOB NOT NULL, PRIMARY KEY(source, name));"
        "CREATE TABLE import_spec(source TEXT PRIMARY KEY, spec_id BLOB NOT NULL);"},
};

}  // namespace

Expected<ImportJournal> ImportJournal::open(const QString &path)
{
    // A journal can always be rebuilt from the checkpoint: NORMAL durability is enough.
    storage::DatabaseOptions o;
    o.synchronous = storage::DatabaseOptions::Synchronous::Normal;
    BLYAN_TRY(auto db, storage::Database::open(path, o));
    BLYAN_TRY(const auto r, storage::migrate(db, kMigrations));
    (void)r;
    return ImportJournal(std::move(db));
}

Expected<std::optional<storage::ObjectInfo>> ImportJournal::find(const std::string &source, const std::string &component)
{
    BLYAN_TRY(auto st, db_.prepareCached("SELECT payload_hash, size, chunk_count, merkle_root FROM import_component "
                                         "WHERE source = ?1 AND name = ?2"));
    BLYAN_CHECK(st.bindText(1, source));
    BLYAN_CHECK(st.bindText(2, component));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<storage::ObjectInfo>();
    storage::ObjectInfo info;
    BLYAN_TRY(info.hash, st.columnHash(0));
    info.size = static_cast<std::uint64_t>(st.columnInt64(1));
    info.chunkCount = static_cast<std::uint64_t>(st.columnInt64(2));
    BLYAN_TRY(info.merkleRoot, st.columnHash(3));
    return std::optional<storage::ObjectInfo>(info);
}

Status ImportJournal::record(const std::string &source, const std::string &component, const storage::ObjectInfo &info)
{
    BLYAN_TRY(auto st, db_.prepareCached("INSERT OR REPLACE INTO import_component VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    BLYAN_CHECK(st.bindText(1, source));
    BLYAN_CHECK(st.bindText(2, component));
    BLYAN_CHECK(st.bindHash(3, info.hash));
    BLYAN_CHECK(st.bindInt64(4, static_cast<std::int64_t>(info.size)));
    BLYAN_CHECK(st.bindInt64(5, static_cast<std::int64_t>(info.chunkCount)));
    BLYAN_CHECK(st.bindHash(6, info.merkleRoot));
    return st.run();
}

Status ImportJournal::setSpec(const std::string &source, const crypto::Hash256 &specId)
{
    BLYAN_TRY(auto st, db_.prepareCached("INSERT OR REPLACE INTO import_spec VALUES (?1, ?2)"));
    BLYAN_CHECK(st.bindText(1, source));
    BLYAN_CHECK(st.bindHash(2, specId));
    return st.run();
}

Expected<std::string> checkpointFingerprint(const std::string &dir)
{
    const QDir d(QString::fromStdString(dir));
    std::string text;
    const QStringList names = d.entryList({QStringLiteral("*.safetensors"), QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &n : names) {
        const QFileInfo fi(d.filePath(n));
        text += n.toStdString() + "\n" + std::to_string(fi.size()) + "\n" +
                std::to_string(fi.lastModified().toMSecsSinceEpoch()) + "\n";
    }
    QFile cfg(d.filePath(QStringLiteral("config.json")));
    if (!cfg.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, dir + ": no readable config.json (" + cfg.errorString().toStdString() + ")");
    text += cfg.read(16 << 20).toStdString();
    return crypto::hashToHex(crypto::blake2b256(asBytes(text)));
}

}  // namespace blyan::model
