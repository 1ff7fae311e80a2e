#pragma once
// LAN discovery over UDP (docs/protocol.md "LAN discovery").
//
// Every node with discovery on broadcasts one small datagram every announceIntervalMs: magic, version,
// network id, genesis id, its Ed25519 node identity, its TCP port and the time, signed by that identity.
// A listener that sees a datagram of its own network and genesis, correctly signed, not its own, and
// newer than the last one from that identity dials the sender's source IP at the announced port; the
// handshake then proves the identity again (a datagram replayed from another host leads to a dial that
// fails there, since the Auth must be signed by the announced identity).
//
// The decoder is pure and strict (fixed size, exact fields) and fuzzed (tests/fuzz/fuzz_p2p.cpp);
// signature checks are rate limited, so a flood of datagrams costs a bounded amount of CPU.

#include "crypto/ed25519.h"
#include "crypto/hash.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <vector>

class QUdpSocket;

namespace blyan::p2p {

inline constexpr std::array<std::uint8_t, 4> kDiscoveryMagic = {'B', 'L', 'Y', 'D'};
inline constexpr std::uint8_t kDiscoveryVersion = 1;
inline constexpr std::size_t kDiscoverySize = 4 + 1 + 4 + 32 + 32 + 2 + 8 + 64;
inline constexpr std::string_view kDiscoveryDomain = "blyan/p2p/discovery/v1";
// A datagram older or newer than this (by the listener's clock) is ignored: it bounds replays.
inline constexpr qint64 kDiscoveryMaxSkewMs = 10 * 60 * 1000;

struct Announcement {
    std::uint32_t networkId = 0;
    crypto::Hash256 genesis{};
    crypto::PublicKey identity{};
    std::uint16_t tcpPort = 0;
    std::uint64_t timeMs = 0;
    crypto::Signature signature{};
    bool operator==(const Announcement &) const = default;
};

// BLAKE2b-256(kDiscoveryDomain || the datagram without its signature).
crypto::Hash256 announcementSigningHash(const Announcement &a);
Announcement makeAnnouncement(const crypto::KeyPair &identity, std::uint32_t networkId, const crypto::Hash256 &genesis,
                              std::uint16_t tcpPort, std::uint64_t timeMs);
Bytes encodeAnnouncement(const Announcement &a);
// Strict: exactly kDiscoverySize bytes, the magic, version 1, a port that is not 0.
Expected<Announcement> decodeAnnouncement(ByteView datagram);
// The signature (libsodium also refuses small-order keys and non-canonical signatures).
bool verifyAnnouncement(const Announcement &a);

struct DiscoveryConfig {
    const crypto::KeyPair *identity = nullptr;  // must outlive the discovery
    std::uint32_t networkId = 0;
    crypto::Hash256 genesis{};
    std::uint16_t tcpPort = 0;           // what we announce (our listening port)
    std::uint16_t udpPort = 0;           // where every node of the LAN listens and sends
    QHostAddress sourceAddress;          // send from this IP (the node's bind address); null: any
    std::vector<QHostAddress> targets;   // where to send; empty: 255.255.255.255 and every interface's broadcast
    int announceIntervalMs = 30'000;
};

class LanDiscovery : public QObject {
    Q_OBJECT
public:
    explicit LanDiscovery(DiscoveryConfig config, QObject *parent = nullptr);
    ~LanDiscovery() override;

    // Binds the UDP port (shared with other nodes on this machine) and starts announcing.
    Status start();
    void announceNow();
    quint64 announcementsSent() const { return sent_; }
    quint64 announcementsAccepted() const { return accepted_; }

    // A verified announcement of another node of our chain: dial ip:tcpPort and expect `identity`.
    std::function<void(const crypto::PublicKey &identity, const QHostAddress &ip, std::uint16_t tcpPort)> onFound;

private:
    void readDatagrams();
    bool takeVerifyToken();
    std::vector<QHostAddress> targets() const;

    DiscoveryConfig config_;
    QUdpSocket *listen_ = nullptr;
    QUdpSocket *send_ = nullptr;  // listen_ itself unless a source address is set
    QTimer timer_;
    std::map<crypto::PublicKey, std::uint64_t> lastTime_;  // replay guard, bounded
    double tokens_ = 0;
    QElapsedTimer tokenClock_;
    quint64 sent_ = 0, accepted_ = 0;
};

}  // namespace blyan::p2p
