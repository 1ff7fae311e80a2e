#include "p2p/address_book.h"

#include "p2p/net_address.h"
#include "p2p/p2p_log.h"
#include "storage/migrations.h"

#include <algorithm>
#include <array>

namespace blyan::p2p {

namespace {

// peers.sqlite's schema; append, never edit a released migration. Times are ms since the epoch.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE addresses (
  ip BLOB NOT NULL CHECK (length(ip) = 16),
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  source TEXT NOT NULL CHECK (source IN ('seed', 'connect', 'addnode', 'gossip', 'discovery', 'inbound')),
  identity BLOB CHECK (identity IS NULL OR length(identity) = 32),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  last_attempt INTEGER NOT NULL,
  last_success INTEGER NOT NULL,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  PRIMARY KEY (ip, port)
) STRICT, WITHOUT ROWID;
CREATE TABLE bans (
  ip BLOB PRIMARY KEY NOT NULL CHECK (length(ip) = 16),
  created INTEGER NOT NULL,
  until INTEGER NOT NULL,
  reason TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

const std::array<storage::Migration, 1> kMigrations = {storage::Migration{1, kSchemaV1}};

constexpr std::array<AddressSource, 6> kSources = {AddressSource::Seed,   AddressSource::Connect,   AddressSource::AddNode,
                                                   AddressSource::Gossip, AddressSource::Discovery, AddressSource::Inbound};

bool persistent(AddressSource s)
{
    return s == AddressSource::Seed || s == AddressSource::Connect || s == AddressSource::AddNode;
}

QString ipText(const QHostAddress &ip) { return normalizeIp(ip).toString(); }

ByteView ipBytes(const PeerAddress &a) { return ByteView(a.ip.data(), a.ip.size()); }

Error corrupt(const QString &path, const std::string &what)
{
    return makeError(ErrorCode::Corrupt, path.toStdString() + " holds an invalid " + what +
                                             "; stop the node and delete that file to forget all peers and bans");
}

}  // namespace

const char *sourceName(AddressSource s)
{
    switch (s) {
    case AddressSource::Seed: return "seed";
    case AddressSource::Connect: return "connect";
    case AddressSource::AddNode: return "addnode";
    case AddressSource::Gossip: return "gossip";
    case AddressSource::Discovery: return "discovery";
    case AddressSource::Inbound: return "inbound";
    }
    return "gossip";
}

Expected<std::unique_ptr<AddressBook>> AddressBook::open(const QString &path)
{
    storage::DatabaseOptions o;
    o.synchronous = storage::DatabaseOptions::Synchronous::Normal;
    BLYAN_TRY(auto db, storage::Database::open(path, o));
    BLYAN_CHECK(storage::migrate(db, kMigrations));
    std::unique_ptr<AddressBook> book(new AddressBook(std::move(db), path));
    BLYAN_CHECK(book->load());
    return book;
}

Status AddressBook::load()
{
    BLYAN_TRY(auto st, db_.prepare("SELECT ip, port, source, identity, first_seen, last_seen, last_attempt, last_success, "
                                   "failures FROM addresses"));
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        AddressEntry e;
        const ByteView ip = st.columnBlobView(0);
        if (ip.size() != 16) return corrupt(path_, "address row");
        std::copy(ip.begin(), ip.end(), e.address.ip.begin());
        e.address.port = static_cast<std::uint16_t>(st.columnInt64(1));
        const std::string source = st.columnText(2);
        auto it = std::find_if(kSources.begin(), kSources.end(), [&](AddressSource s) { return source == sourceName(s); });
        if (it == kSources.end()) return corrupt(path_, "address source '" + source + "'");
        e.source = *it;
        if (!st.isNull(3)) {
            BLYAN_TRY(const auto id, st.columnHash(3));
            e.identity = id;
        }
        e.firstSeenMs = st.columnInt64(4);
        e.lastSeenMs = st.columnInt64(5);
        e.lastAttemptMs = st.columnInt64(6);
        e.lastSuccessMs = st.columnInt64(7);
        e.failures = static_cast<int>(std::min<std::int64_t>(st.columnInt64(8), 1'000'000));
        addresses_[key(e.address)] = e;
    }
    BLYAN_TRY(auto bans, db_.prepare("SELECT ip, created, until, reason FROM bans"));
    for (;;) {
        BLYAN_TRY(const bool row, bans.step());
        if (!row) break;
        const ByteView ip = bans.columnBlobView(0);
        if (ip.size() != 16) return corrupt(path_, "ban row");
        PeerAddress a;
        std::copy(ip.begin(), ip.end(), a.ip.begin());
        BanEntry b{hostOf(a), bans.columnInt64(1), bans.columnInt64(2), bans.columnString(3)};
        bans_[ipText(b.ip)] = b;
    }
    return {};
}

Status AddressBook::write(const AddressEntry &e)
{
    BLYAN_TRY(auto st, db_.prepareCached(
                           "INSERT OR REPLACE INTO addresses (ip, port, source, identity, first_seen, last_seen, last_attempt, "
                           "last_success, failures) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    BLYAN_CHECK(st.bindBlob(1, ipBytes(e.address)));
    BLYAN_CHECK(st.bindInt64(2, e.address.port));
    BLYAN_CHECK(st.bindText(3, std::string_view(sourceName(e.source))));
    if (e.identity)
        BLYAN_CHECK(st.bindHash(4, *e.identity));
    else
        BLYAN_CHECK(st.bindNull(4));
    BLYAN_CHECK(st.bindInt64(5, e.firstSeenMs));
    BLYAN_CHECK(st.bindInt64(6, e.lastSeenMs));
    BLYAN_CHECK(st.bindInt64(7, e.lastAttemptMs));
    BLYAN_CHECK(st.bindInt64(8, e.lastSuccessMs));
    BLYAN_CHECK(st.bindInt64(9, e.failures));
    return st.run();
}

Status AddressBook::evictOne()
{
    // The least useful learned address: most failures, then the longest unheard of.
    auto worst = addresses_.end();
    for (auto it = addresses_.begin(); it != addresses_.end(); ++it) {
        if (persistent(it->second.source)) continue;
        if (worst == addresses_.end() || it->second.failures > worst->second.failures ||
            (it->second.failures == worst->second.failures && it->second.lastSeenMs < worst->second.lastSeenMs))
            worst = it;
    }
    if (worst == addresses_.end()) return makeError(ErrorCode::LimitExceeded, "the address book is full of persistent peers");
    return remove(worst->second.address);
}

Status AddressBook::add(const PeerAddress &a, AddressSource source, qint64 nowMs, std::optional<crypto::PublicKey> identity)
{
    if (a.port == 0 || scopeOf(a) == AddressScope::Invalid)
        return makeError(ErrorCode::InvalidArgument, formatEndpoint(a).toStdString() + " is not a dialable address");
    auto it = addresses_.find(key(a));
    if (it == addresses_.end()) {
        if (addresses_.size() >= kMaxBookAddresses) BLYAN_CHECK(evictOne());
        AddressEntry e;
        e.address = a;
        e.source = source;
        e.identity = identity;
        e.firstSeenMs = e.lastSeenMs = nowMs;
        BLYAN_CHECK(write(e));
        addresses_[key(a)] = e;
        return {};
    }
    AddressEntry e = it->second;
    e.lastSeenMs = std::max(e.lastSeenMs, nowMs);
    if (persistent(source) && !persistent(e.source)) e.source = source;
    if (identity && !e.identity) e.identity = identity;
    BLYAN_CHECK(write(e));
    it->second = e;
    return {};
}

Status AddressBook::markAttempt(const PeerAddress &a, qint64 nowMs)
{
    auto it = addresses_.find(key(a));
    if (it == addresses_.end()) return {};
    AddressEntry e = it->second;
    e.lastAttemptMs = nowMs;
    BLYAN_CHECK(write(e));
    it->second = e;
    return {};
}

Status AddressBook::markSuccess(const PeerAddress &a, const crypto::PublicKey &identity, qint64 nowMs)
{
    auto it = addresses_.find(key(a));
    if (it == addresses_.end()) return {};
    AddressEntry e = it->second;
    e.lastSuccessMs = e.lastSeenMs = nowMs;
    e.failures = 0;
    e.identity = identity;
    BLYAN_CHECK(write(e));
    it->second = e;
    return {};
}

Status AddressBook::markFailure(const PeerAddress &a, qint64 nowMs)
{
    auto it = addresses_.find(key(a));
    if (it == addresses_.end()) return {};
    AddressEntry e = it->second;
    e.lastAttemptMs = nowMs;
    e.failures = std::min(e.failures + 1, 1'000'000);
    BLYAN_CHECK(write(e));
    it->second = e;
    return {};
}

Status AddressBook::remove(const PeerAddress &a)
{
    BLYAN_TRY(auto st, db_.prepareCached("DELETE FROM addresses WHERE ip = ?1 AND port = ?2"));
    BLYAN_CHECK(st.bindBlob(1, ipBytes(a)));
    BLYAN_CHECK(st.bindInt64(2, a.port));
    BLYAN_CHECK(st.run());
    addresses_.erase(key(a));
    return {};
}

const AddressEntry *AddressBook::find(const PeerAddress &a) const
{
    auto it = addresses_.find(key(a));
    return it == addresses_.end() ? nullptr : &it->second;
}

std::vector<AddressEntry> AddressBook::entries() const
{
    std::vector<AddressEntry> out;
    out.reserve(addresses_.size());
    for (const auto &[k, e] : addresses_) out.push_back(e);
    return out;
}

Status AddressBook::ban(const QHostAddress &ip, qint64 untilMs, const QString &reason, qint64 nowMs)
{
    const BanEntry b{normalizeIp(ip), nowMs, untilMs, reason.left(200)};
    BLYAN_TRY(auto st, db_.prepareCached("INSERT OR REPLACE INTO bans (ip, created, until, reason) VALUES (?1, ?2, ?3, ?4)"));
    BLYAN_CHECK(st.bindBlob(1, ipBytes(toPeerAddress(b.ip, 0))));
    BLYAN_CHECK(st.bindInt64(2, b.createdMs));
    BLYAN_CHECK(st.bindInt64(3, b.untilMs));
    BLYAN_CHECK(st.bindText(4, b.reason));
    BLYAN_CHECK(st.run());
    bans_[ipText(b.ip)] = b;
    return {};
}

Status AddressBook::unban(const QHostAddress &ip)
{
    const QString k = ipText(ip);
    if (!bans_.count(k)) return makeError(ErrorCode::NotFound, k.toStdString() + " is not banned");
    BLYAN_TRY(auto st, db_.prepareCached("DELETE FROM bans WHERE ip = ?1"));
    BLYAN_CHECK(st.bindBlob(1, ipBytes(toPeerAddress(ip, 0))));
    BLYAN_CHECK(st.run());
    bans_.erase(k);
    return {};
}

Status AddressBook::clearBans()
{
    BLYAN_CHECK(db_.exec("DELETE FROM bans"));
    bans_.clear();
    return {};
}

bool AddressBook::isBanned(const QHostAddress &ip, qint64 nowMs) const
{
    auto it = bans_.find(ipText(ip));
    return it != bans_.end() && it->second.untilMs > nowMs;
}

std::vector<BanEntry> AddressBook::bans(qint64 nowMs)
{
    std::vector<BanEntry> out;
    std::vector<QHostAddress> expired;
    for (const auto &[k, b] : bans_) {
        if (b.untilMs > nowMs)
            out.push_back(b);
        else
            expired.push_back(b.ip);
    }
    for (const auto &ip : expired)
        if (Status s = unban(ip); !s.ok())
            qCWarning(lcP2p).noquote() << "cannot drop an expired ban:" << QString::fromStdString(s.error().message);
    return out;
}

}  // namespace blyan::p2p
