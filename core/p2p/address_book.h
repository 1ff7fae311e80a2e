#pragma once
// The address book and the ban list of the peer layer, in their own SQLite file (<datadir>/peers.sqlite).
//
// Why not node.sqlite: these rows are the node's private, rebuildable view of the network, not chain
// state. Their own file keeps their own migration sequence (node.sqlite's numbers are shared by the
// node and the ledger), lets the file run with synchronous=NORMAL (an address update is not worth an
// fsync; WAL keeps it consistent, and only a power cut could forget the last few updates), and lets a
// user delete it to forget every peer and ban without touching the chain. docs/architecture.md.
//
// Every row is also held in memory (the book is capped at kMaxBookAddresses), so the dialler and gossip
// never query SQLite; each change is written through at once. Lives on the node's network thread.

#include "crypto/ed25519.h"
#include "p2p/messages.h"
#include "storage/database.h"

#include <QHostAddress>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace blyan::p2p {

inline constexpr std::size_t kMaxBookAddresses = 4096;

// How an address first reached the book. Persistent sources (connect, addnode, seed) are never evicted.
enum class AddressSource { Seed, Connect, AddNode, Gossip, Discovery, Inbound };
const char *sourceName(AddressSource s);

struct AddressEntry {
    PeerAddress address;
    AddressSource source = AddressSource::Gossip;
    std::optional<crypto::PublicKey> identity;  // who answered there last (after a handshake)
    qint64 firstSeenMs = 0, lastSeenMs = 0;     // learned / last heard of
    qint64 lastAttemptMs = 0, lastSuccessMs = 0;
    int failures = 0;                           // consecutive failed dials
};

struct BanEntry {
    QHostAddress ip;  // normalised (net_address.h)
    qint64 createdMs = 0, untilMs = 0;
    QString reason;
};

class AddressBook {
public:
    static Expected<std::unique_ptr<AddressBook>> open(const QString &path);

    // Inserts, or refreshes last_seen (and upgrades a gossip/discovery source to a persistent one).
    // When the book is full the worst non-persistent entry makes room.
    Status add(const PeerAddress &a, AddressSource source, qint64 nowMs,
               std::optional<crypto::PublicKey> identity = std::nullopt);
    Status markAttempt(const PeerAddress &a, qint64 nowMs);
    Status markSuccess(const PeerAddress &a, const crypto::PublicKey &identity, qint64 nowMs);
    Status markFailure(const PeerAddress &a, qint64 nowMs);
    Status remove(const PeerAddress &a);
    const AddressEntry *find(const PeerAddress &a) const;
    std::vector<AddressEntry> entries() const;
    std::size_t size() const { return addresses_.size(); }

    // Bans by IP. An expired ban is dropped when next looked at.
    Status ban(const QHostAddress &ip, qint64 untilMs, const QString &reason, qint64 nowMs);
    Status unban(const QHostAddress &ip);  // NotFound when the IP is not banned
    Status clearBans();
    bool isBanned(const QHostAddress &ip, qint64 nowMs) const;
    std::vector<BanEntry> bans(qint64 nowMs);
    const QString &path() const { return path_; }

private:
    using Key = std::pair<std::array<std::uint8_t, 16>, std::uint16_t>;
    static Key key(const PeerAddress &a) { return {a.ip, a.port}; }
    AddressBook(storage::Database db, QString path) : db_(std::move(db)), path_(std::move(path)) {}
    Status load();
    Status write(const AddressEntry &e);
    Status evictOne();

    storage::Database db_;
    QString path_;
    std::map<Key, AddressEntry> addresses_;
    std::map<QString, BanEntry> bans_;  // by normalised IP text
};

}  // namespace blyan::p2p
