#include "wallet/wallet_db.h"

#include "storage/migrations.h"

#include <array>

namespace blyan::wallet {

namespace {

// Amounts are u64 but far below 2^63 (the supply cap is 10^17 units), so INTEGER holds them; the CHECKs
// make a corrupt row visible instead of a negative balance.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE addresses (
  idx INTEGER PRIMARY KEY NOT NULL CHECK (idx >= 0),
  pubkey BLOB NOT NULL UNIQUE CHECK (length(pubkey) = 32),
  label TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE address_book (address TEXT PRIMARY KEY NOT NULL, label TEXT NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE history (
  txid BLOB PRIMARY KEY NOT NULL CHECK (length(txid) = 32),
  kind TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('sent', 'received', 'self')),
  counterparty TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  fee INTEGER NOT NULL CHECK (fee >= 0),
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'final', 'dropped')),
  height INTEGER,
  time_ms INTEGER NOT NULL,
  sender BLOB NOT NULL CHECK (length(sender) = 32),
  nonce INTEGER NOT NULL CHECK (nonce >= 0)
) STRICT, WITHOUT ROWID;
CREATE INDEX history_by_time ON history (time_ms);
CREATE INDEX history_by_status ON history (status);
)sql";

constexpr std::array<storage::Migration, 1> kMigrations{{{1, kSchemaV1}}};

std::int64_t toInt(std::uint64_t v) { return static_cast<std::int64_t>(v); }

Expected<crypto::PublicKey> keyColumn(const storage::Statement &st, int column)
{
    const ByteView b = st.columnBlobView(column);
    if (b.size() != crypto::kEd25519PublicKeySize)
        return makeError(ErrorCode::Corrupt, "wallet.sqlite: a public key is not 32 bytes");
    crypto::PublicKey k;
    std::copy(b.begin(), b.end(), k.begin());
    return k;
}

Expected<WalletTx> readTx(const storage::Statement &st)
{
    WalletTx t;
    BLYAN_TRY(t.txid, st.columnHash(0));
    t.kind = st.columnString(1);
    t.direction = st.columnString(2);
    t.counterparty = st.columnString(3);
    if (st.columnInt64(4) < 0 || st.columnInt64(5) < 0)
        return makeError(ErrorCode::Corrupt, "wallet.sqlite: a negative amount in the history");
    t.amount = static_cast<chain::Amount>(st.columnInt64(4));
    t.fee = static_cast<chain::Amount>(st.columnInt64(5));
    t.status = st.columnString(6);
    if (!st.isNull(7)) t.height = static_cast<std::uint64_t>(st.columnInt64(7));
    t.timeMs = st.columnInt64(8);
    BLYAN_TRY(t.from, keyColumn(st, 9));
    t.nonce = static_cast<std::uint64_t>(st.columnInt64(10));
    return t;
}

constexpr const char *kTxColumns =
    "txid, kind, direction, counterparty, amount, fee, status, height, time_ms, sender, nonce";

}  // namespace

Expected<WalletDb> WalletDb::open(const QString &path)
{
    BLYAN_TRY(auto db, storage::Database::open(path));
    BLYAN_CHECK(storage::migrate(db, kMigrations));
    return WalletDb(std::move(db));
}

Expected<std::optional<QString>> WalletDb::meta(const QString &key)
{
    BLYAN_TRY(auto st, db_.prepareCached("SELECT value FROM meta WHERE key = ?1"));
    BLYAN_CHECK(st.bindText(1, key));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<QString>();
    return std::optional<QString>(st.columnString(0));
}

Status WalletDb::setMeta(const QString &key, const QString &value)
{
    BLYAN_TRY(auto st, db_.prepareCached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"));
    BLYAN_CHECK(st.bindText(1, key));
    BLYAN_CHECK(st.bindText(2, value));
    return st.run();
}

Expected<std::vector<WalletAddress>> WalletDb::addresses()
{
    BLYAN_TRY(auto st, db_.prepareCached("SELECT idx, pubkey, label FROM addresses ORDER BY idx"));
    std::vector<WalletAddress> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        WalletAddress a;
        a.index = static_cast<std::uint32_t>(st.columnInt64(0));
        BLYAN_TRY(a.key, keyColumn(st, 1));
        a.label = st.columnString(2);
        out.push_back(a);
    }
    return out;
}

Status WalletDb::addAddress(const WalletAddress &a, std::int64_t nowMs)
{
    BLYAN_TRY(auto st, db_.prepareCached("INSERT INTO addresses (idx, pubkey, label, created_ms) VALUES (?1, ?2, ?3, ?4)"));
    BLYAN_CHECK(st.bindInt64(1, a.index));
    BLYAN_CHECK(st.bindBlob(2, ByteView(a.key.data(), a.key.size())));
    BLYAN_CHECK(st.bindText(3, a.label));
    BLYAN_CHECK(st.bindInt64(4, nowMs));
    return st.run();
}

Status WalletDb::setAddressLabel(std::uint32_t index, const QString &label)
{
    BLYAN_TRY(auto st, db_.prepareCached("UPDATE addresses SET label = ?2 WHERE idx = ?1"));
    BLYAN_CHECK(st.bindInt64(1, index));
    BLYAN_CHECK(st.bindText(2, label));
    return st.run();
}

Expected<std::vector<BookEntry>> WalletDb::addressBook()
{
    BLYAN_TRY(auto st, db_.prepareCached("SELECT address, label FROM address_book ORDER BY label COLLATE NOCASE, address"));
    std::vector<BookEntry> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        out.push_back(BookEntry{st.columnString(0), st.columnString(1)});
    }
    return out;
}

Status WalletDb::setBookEntry(const QString &address, const QString &label)
{
    BLYAN_TRY(auto st, db_.prepareCached("INSERT OR REPLACE INTO address_book (address, label) VALUES (?1, ?2)"));
    BLYAN_CHECK(st.bindText(1, address));
    BLYAN_CHECK(st.bindText(2, label));
    return st.run();
}

Expected<bool> WalletDb::removeBookEntry(const QString &address)
{
    BLYAN_TRY(auto st, db_.prepareCached("DELETE FROM address_book WHERE address = ?1"));
    BLYAN_CHECK(st.bindText(1, address));
    BLYAN_CHECK(st.run());
    return db_.changes() > 0;
}

Status WalletDb::putTx(const WalletTx &t)
{
    BLYAN_TRY(auto st, db_.prepareCached(std::string("INSERT OR REPLACE INTO history (") + kTxColumns +
                                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    BLYAN_CHECK(st.bindHash(1, t.txid));
    BLYAN_CHECK(st.bindText(2, t.kind));
    BLYAN_CHECK(st.bindText(3, t.direction));
    BLYAN_CHECK(st.bindText(4, t.counterparty));
    BLYAN_CHECK(st.bindInt64(5, toInt(t.amount)));
    BLYAN_CHECK(st.bindInt64(6, toInt(t.fee)));
    BLYAN_CHECK(st.bindText(7, t.status));
    if (t.height)
        BLYAN_CHECK(st.bindInt64(8, toInt(*t.height)));
    else
        BLYAN_CHECK(st.bindNull(8));
    BLYAN_CHECK(st.bindInt64(9, t.timeMs));
    BLYAN_CHECK(st.bindBlob(10, ByteView(t.from.data(), t.from.size())));
    BLYAN_CHECK(st.bindInt64(11, toInt(t.nonce)));
    return st.run();
}

Expected<std::optional<WalletTx>> WalletDb::tx(const crypto::Hash256 &txid)
{
    BLYAN_TRY(auto st, db_.prepareCached(std::string("SELECT ") + kTxColumns + " FROM history WHERE txid = ?1"));
    BLYAN_CHECK(st.bindHash(1, txid));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<WalletTx>();
    BLYAN_TRY(auto t, readTx(st));
    return std::optional<WalletTx>(std::move(t));
}

Expected<std::vector<WalletTx>> WalletDb::pendingTxs()
{
    BLYAN_TRY(auto st, db_.prepareCached(std::string("SELECT ") + kTxColumns +
                                         " FROM history WHERE status = 'pending' ORDER BY time_ms"));
    std::vector<WalletTx> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(auto t, readTx(st));
        out.push_back(std::move(t));
    }
    return out;
}

Expected<std::vector<WalletTx>> WalletDb::history(const HistoryFilter &f)
{
    // Labels join from the address book (others) and the wallet's own addresses are matched by the
    // caller; search covers txid hex, counterparty and the book label.
    std::string sql = std::string("SELECT ") + kTxColumns +
                      " FROM history h LEFT JOIN address_book b ON b.address = h.counterparty WHERE 1";
    if (!f.direction.isEmpty()) sql += " AND direction = ?1";
    if (!f.kind.isEmpty()) sql += " AND kind = ?2";
    if (!f.status.isEmpty()) sql += " AND status = ?3";
    if (!f.search.isEmpty())
        sql += " AND (lower(hex(txid)) LIKE ?4 ESCAPE '\\' OR counterparty LIKE ?4 ESCAPE '\\' OR "
               "ifnull(b.label, '') LIKE ?4 ESCAPE '\\')";
    sql += " ORDER BY (status = 'pending') DESC, ifnull(height, 9223372036854775807) DESC, time_ms DESC LIMIT ?5 OFFSET ?6";
    BLYAN_TRY(auto st, db_.prepareCached(sql));
    if (!f.direction.isEmpty()) BLYAN_CHECK(st.bindText(1, f.direction));
    if (!f.kind.isEmpty()) BLYAN_CHECK(st.bindText(2, f.kind));
    if (!f.status.isEmpty()) BLYAN_CHECK(st.bindText(3, f.status));
    if (!f.search.isEmpty()) {
        QString escaped = f.search;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('%'), QStringLiteral("\\%"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        BLYAN_CHECK(st.bindText(4, QLatin1Char('%') + escaped.toLower() + QLatin1Char('%')));
    }
    BLYAN_CHECK(st.bindInt64(5, f.limit));
    BLYAN_CHECK(st.bindInt64(6, f.skip));
    std::vector<WalletTx> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(auto t, readTx(st));
        out.push_back(std::move(t));
    }
    return out;
}

Status WalletDb::markFinal(std::uint64_t height)
{
    BLYAN_TRY(auto st, db_.prepareCached("UPDATE history SET status = 'final' WHERE status = 'confirmed' AND height <= ?1"));
    BLYAN_CHECK(st.bindInt64(1, toInt(height)));
    return st.run();
}

Expected<std::int64_t> WalletDb::txCount()
{
    BLYAN_TRY(auto st, db_.prepareCached("SELECT count(*) FROM history"));
    BLYAN_TRY(const bool row, st.step());
    return row ? st.columnInt64(0) : 0;
}

}  // namespace blyan::wallet
