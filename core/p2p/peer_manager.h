#pragma once
// PeerManager: the node's peers (DESIGN.md section 9; docs/protocol.md "Peers"). Lives on the node's
// network thread (the node worker); every callback runs there.
//
// - Listens on the P2P port and dials: persistent targets (--connect, addnode), the network's seeds,
//   addresses learned by gossip and LAN discovery. Outbound and inbound limits, a per-IP inbound cap
//   (loopback exempt: several nodes on one machine is the development setup), reconnects with backoff.
// - One connection per peer identity: when two exist, both sides keep the one dialled by the node with
//   the smaller identity (bytewise), or the newer one when the same node dialled both.
// - Address gossip: GetAddr once per outbound connection, answered at most every 5 minutes per peer
//   with a random sample of good addresses (ours to have dialled within 3 days, or live peers that
//   announced a listening port), never addresses merely heard of; incoming Addr is rate limited and
//   filtered by scope (net_address.h).
// - Misbehaviour: the Connection's own reports (bad frames, floods) and the layer above's misbehaving()
//   add up per connection; at kBanScore the peer's IP is banned for banSeconds (stored in the
//   AddressBook, so a restart remembers), every connection from that IP is closed and it is refused at
//   accept until the ban ends.
//
// The upper layer (chain sync, consensus) sees only peers that finished the handshake: onPeerReady,
// then every message except Ping/Pong (Connection) and GetAddr/Addr (here), then onPeerClosed.

#include "p2p/address_book.h"
#include "p2p/connection.h"
#include "p2p/discovery.h"
#include "p2p/net_address.h"

#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

class QTcpServer;

namespace blyan::p2p {

using PeerId = quint64;

struct PeerInfo {
    PeerId id = 0;
    crypto::PublicKey identity{};
    QHostAddress address;          // the socket's remote end, normalised
    quint16 port = 0;
    quint16 listenPort = 0;        // what the peer announced; 0: it accepts no connections
    Direction direction = Direction::Inbound;
    QString source;                // outbound: why we dialled (connect, addnode, seed, gossip, discovery)
    qint64 connectedSinceMs = 0;   // ms since the epoch
    qint64 pingMs = -1;            // -1 until the first pong
    quint64 bytesSent = 0, bytesReceived = 0;
    quint64 messagesSent = 0, messagesReceived = 0;
    quint64 throttled = 0;         // times reading paused at the byte rate limit
    QString agent;
    std::uint16_t protocolVersion = kProtocolVersion;  // the handshake requires ours
    std::optional<StatusMsg> status;  // the last Status it sent: height, tip, final height
    int banScore = 0;
};

struct PeerManagerConfig {
    LocalNode local;                  // identity, network id, genesis, agent; listenPort is filled in
    QHostAddress bindAddress;         // null: every interface. Also the source address of outbound dials
    std::uint16_t port = 0;           // 0: any free port (tests)
    std::uint16_t defaultPort = 0;    // for HOST without :PORT (the network's P2P port)
    bool listen = true;
    int maxOutbound = 8;
    int maxInbound = 32;
    int maxInboundPerIp = 4;
    std::vector<HostPort> connect;    // kept connected, like addnode
    std::vector<HostPort> seeds;      // asked when the address book has nothing better
    qint64 banSeconds = 24 * 3600;
    int dialIntervalMs = 1000;
    double receiveBytesPerSecond = kBytesPerSecond;  // per peer; <= 0: unlimited
    double receiveByteBurst = kByteBurst;
    bool discover = false;
    std::uint16_t discoverPort = 0;   // 0: the P2P port number
    std::vector<QHostAddress> discoverTargets;  // empty: broadcast on every interface
    int discoverIntervalMs = 30'000;
};

enum class AddNodeCommand { Add, Remove, OneTry };

class PeerManager : public QObject {
    Q_OBJECT
public:
    PeerManager(PeerManagerConfig config, AddressBook &book, QObject *parent = nullptr);
    ~PeerManager() override;  // closes every connection without calling the upper layer

    // Listens (a port in use is reported by listenError(), not fatal: the node still dials out),
    // starts discovery and dialling.
    void start();
    // Closes every connection (onPeerClosed for each ready peer) and stops listening.
    void stop();

    // ---- The upper layer (chain sync, consensus) ----
    std::function<void(PeerId, const Message &)> onMessage;
    std::function<void(PeerId)> onPeerReady;
    std::function<void(PeerId)> onPeerClosed;
    Status send(PeerId peer, const Message &m);
    void broadcast(const Message &m, std::optional<PeerId> except = {});
    void misbehaving(PeerId peer, int score, const QString &reason);
    // Bytes queued for the peer that it has not taken yet (-1: not connected). A server answering a
    // request with megabytes (blocks, chunks) checks it first, so a peer that asks without reading costs
    // neither the work nor the memory.
    qint64 sendBacklog(PeerId peer) const;

    std::vector<PeerInfo> peers() const;  // ready peers, by id
    std::optional<PeerInfo> peer(PeerId id) const;
    int inboundCount() const;             // ready
    int outboundCount() const;
    quint64 totalBytesSent() const;       // since start(), closed connections included
    quint64 totalBytesReceived() const;

    // ---- Operator controls (RPC, GUI) ----
    Status addNode(const QString &hostPort, AddNodeCommand command);
    std::vector<QString> addedNodes() const;
    Status ban(const QHostAddress &ip, qint64 seconds, const QString &reason);  // closes its connections
    Status unban(const QHostAddress &ip);
    Status clearBans();
    std::vector<BanEntry> bans();
    quint64 refusedBanned() const { return refusedBanned_; }
    quint64 evicted() const { return evicted_; }  // inbound peers replaced by newcomers (eviction.h)
    // The peer brought a new block or transaction: among the last to do so, it is kept when a full node
    // makes room for a new inbound peer.
    void markUseful(PeerId id);

    bool listening() const;
    QString listenError() const { return listenError_; }
    QHostAddress listenAddress() const;
    quint16 listenPort() const;
    bool discoveryActive() const { return discovery_ != nullptr; }
    QString discoveryError() const { return discoveryError_; }
    const PeerManagerConfig &config() const { return config_; }
    AddressBook &addressBook() { return book_; }

private:
    struct Target {
        Target(HostPort w, AddressSource s, bool once = false) : where(std::move(w)), source(s), oneTry(once) {}
        HostPort where;
        AddressSource source = AddressSource::Connect;
        bool oneTry = false;
        bool self = false;                     // it answered with our own identity
        int failures = 0;
        qint64 nextTryMs = 0;
        std::optional<PeerId> peer;            // connecting or connected
        std::optional<crypto::PublicKey> identity;  // who answered there
    };
    struct Peer {
        Connection *conn = nullptr;
        bool ready = false;
        bool quiet = false;                    // closed by us for a reason that is not the address's fault
        qint64 connectedSinceMs = 0;
        QHostAddress ip;                       // normalised; outbound: known once connected
        AddressSource source = AddressSource::Inbound;
        std::optional<PeerAddress> dialled;    // the book address we dialled
        std::optional<QString> target;         // the persistent target's text
        std::optional<crypto::PublicKey> expected;  // from discovery: who must answer
        int score = 0;
        std::optional<StatusMsg> status;
        qint64 lastAddrAnswerMs = 0;
        double addrTokens = 0;
        qint64 addrTokensAtMs = 0;
        qint64 lastUsefulMs = 0;  // markUseful
    };

    // peer_manager.cpp: connections and messages.
    PeerId addConnection(QTcpSocket *socket, Direction direction);
    void acceptPending();
    void handleReady(PeerId id);
    bool resolveDuplicate(PeerId id);
    void handleMessage(PeerId id, const Message &m);
    void handleClosed(PeerId id, const QString &reason);
    void closePeer(PeerId id, const QString &reason, bool quiet);
    PeerInfo info(PeerId id, const Peer &p) const;
    bool identityConnected(const crypto::PublicKey &identity) const;
    // Inbound slots full: closes the connection eviction.h picks (handshaking ones included); false when
    // every one is protected.
    bool evictInbound();
    // peer_manager_dial.cpp: dialling, targets, gossip, discovery.
    void dialTick();
    PeerId dial(const QString &host, std::uint16_t port, AddressSource source);
    void dialTargets(qint64 now);
    void dialBook(qint64 now);
    bool addressInUse(const PeerAddress &a) const;
    bool isOwnEndpoint(const PeerAddress &a) const;
    void answerGetAddr(PeerId id, Peer &p);
    void handleAddr(PeerId id, Peer &p, const Addr &m);
    void relaySelfAnnouncement(PeerId id, const PeerAddress &a);
    void onDiscovered(const crypto::PublicKey &identity, const QHostAddress &ip, std::uint16_t port);
    void noteOutboundClosed(Peer &p, bool wasReady, bool self);
    Target *findTarget(const QString &text);
    void startDiscovery();

    PeerManagerConfig config_;
    AddressBook &book_;
    QTcpServer *server_ = nullptr;
    QString listenError_, discoveryError_;
    LanDiscovery *discovery_ = nullptr;
    QTimer dialTimer_;
    std::map<PeerId, Peer> peers_;
    std::vector<Target> targets_;
    std::set<std::pair<std::array<std::uint8_t, 16>, std::uint16_t>> selfAddresses_;
    std::vector<QHostAddress> localAddresses_;  // this machine's, normalised (at start)
    PeerId nextId_ = 1;
    quint64 closedSent_ = 0, closedReceived_ = 0, refusedBanned_ = 0, evicted_ = 0;
    const std::uint64_t evictionSalt_ = QRandomGenerator::system()->generate64();
    bool stopping_ = false;
};

}  // namespace blyan::p2p
