// PeerManager, part 1: the listening socket, connections, the handshake's outcome (limits,
// duplicates), messages, misbehaviour and bans. Dialling and gossip are in peer_manager_dial.cpp.

#include "p2p/peer_manager.h"

#include "p2p/eviction.h"
#include "p2p/p2p_log.h"

#include <QDateTime>
#include <QNetworkInterface>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

namespace blyan::p2p {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

QString shortId(const crypto::PublicKey &k) { return QString::fromStdString(crypto::hashToHex(k)).left(16); }

}  // namespace

PeerManager::PeerManager(PeerManagerConfig config, AddressBook &book, QObject *parent)
    : QObject(parent), config_(std::move(config)), book_(book), dialTimer_(this)
{
    dialTimer_.setInterval(config_.dialIntervalMs);
    connect(&dialTimer_, &QTimer::timeout, this, &PeerManager::dialTick);
    for (const HostPort &hp : config_.connect) targets_.emplace_back(hp, AddressSource::Connect);
}

PeerManager::~PeerManager()
{
    // The upper layer may already be gone: close quietly.
    onMessage = nullptr;
    onPeerReady = nullptr;
    onPeerClosed = nullptr;
    stopping_ = true;
    std::vector<PeerId> ids;
    for (const auto &[id, p] : peers_) ids.push_back(id);
    for (PeerId id : ids) closePeer(id, QStringLiteral("node shutting down"), true);
}

void PeerManager::start()
{
    server_ = new QTcpServer(this);
    // QTcpServer queues at most 30 sockets between two event-loop turns; acceptPending drains them.
    connect(server_, &QTcpServer::newConnection, this, &PeerManager::acceptPending);
    const QHostAddress bind = config_.bindAddress.isNull() ? QHostAddress(QHostAddress::Any) : config_.bindAddress;
    if (!config_.listen) {
        listenError_ = QStringLiteral("listening is off (listen=0)");
    } else if (!server_->listen(bind, config_.port)) {
        listenError_ = QStringLiteral("cannot listen on %1: %2; is another node using the port? Choose another with "
                                      "--port or port= in blyan.conf")
                           .arg(formatEndpoint(bind, config_.port), server_->errorString());
        qCWarning(lcP2p).noquote() << listenError_ << "(outbound connections only)";
    } else {
        qCInfo(lcP2p).noquote() << "listening on" << formatEndpoint(bind, server_->serverPort());
    }
    config_.local.listenPort = listening() ? server_->serverPort() : 0;
    for (const QHostAddress &a : QNetworkInterface::allAddresses()) localAddresses_.push_back(normalizeIp(a));
    if (config_.discover) startDiscovery();
    const qint64 now = nowMs();
    for (const HostPort &hp : config_.seeds) {
        // Seeds given as IPs go to the book; names are dialled like targets once, when nothing else works.
        QHostAddress ip;
        if (ip.setAddress(hp.host)) {
            (void)book_.add(toPeerAddress(ip, hp.port), AddressSource::Seed, now);
        } else {
            targets_.emplace_back(hp, AddressSource::Seed, true);
        }
    }
    dialTimer_.start();
    QTimer::singleShot(0, this, &PeerManager::dialTick);
}

void PeerManager::stop()
{
    if (stopping_) return;
    stopping_ = true;
    dialTimer_.stop();
    if (server_) server_->close();
    delete discovery_;
    discovery_ = nullptr;
    std::vector<PeerId> ids;
    for (const auto &[id, p] : peers_) ids.push_back(id);
    for (PeerId id : ids) closePeer(id, QStringLiteral("node shutting down"), true);
}

bool PeerManager::listening() const { return server_ && server_->isListening(); }

QHostAddress PeerManager::listenAddress() const { return listening() ? server_->serverAddress() : QHostAddress(); }

quint16 PeerManager::listenPort() const { return listening() ? server_->serverPort() : 0; }

PeerId PeerManager::addConnection(QTcpSocket *socket, Direction direction)
{
    const PeerId id = nextId_++;
    auto *c = new Connection(socket, direction, config_.local, this);
    c->setReceiveRateLimit(config_.receiveBytesPerSecond, config_.receiveByteBurst);
    Peer p;
    p.conn = c;
    p.connectedSinceMs = nowMs();
    if (direction == Direction::Inbound) p.ip = normalizeIp(socket->peerAddress());
    peers_[id] = p;
    c->onReady = [this, id] { handleReady(id); };
    c->onMessage = [this, id](const Message &m) { handleMessage(id, m); };
    c->onMisbehaviour = [this, id](int score, const QString &reason) { misbehaving(id, score, reason); };
    c->onClosed = [this, id](const QString &reason) { handleClosed(id, reason); };
    if (direction == Direction::Outbound)
        connect(socket, &QTcpSocket::connected, this, [this, id, socket] {
            if (auto it = peers_.find(id); it != peers_.end()) it->second.ip = normalizeIp(socket->peerAddress());
        });
    return id;
}

void PeerManager::acceptPending()
{
    while (server_->hasPendingConnections()) {
        QTcpSocket *s = server_->nextPendingConnection();
        const QHostAddress ip = normalizeIp(s->peerAddress());
        QString refusal;
        int inbound = 0, fromIp = 0;
        for (const auto &[id, p] : peers_) {
            if (p.conn->direction() != Direction::Inbound) continue;
            ++inbound;
            if (p.ip == ip) ++fromIp;
        }
        if (stopping_) {
            refusal = QStringLiteral("shutting down");
        } else if (book_.isBanned(ip, nowMs())) {
            ++refusedBanned_;
            refusal = QStringLiteral("banned");
        } else if (scopeOf(ip) != AddressScope::Loopback && fromIp >= config_.maxInboundPerIp) {
            refusal = QStringLiteral("%1 connections from this IP already").arg(fromIp);
        } else if (inbound >= config_.maxInbound && !evictInbound()) {
            refusal = QStringLiteral("inbound limit of %1 reached and every peer is protected").arg(config_.maxInbound);
        }
        if (!refusal.isEmpty()) {
            qCDebug(lcP2p).noquote() << "refused" << formatEndpoint(ip, s->peerPort()) << ":" << refusal;
            s->abort();
            s->deleteLater();
            continue;
        }
        const PeerId id = addConnection(s, Direction::Inbound);
        peers_[id].conn->start();
    }
}

bool PeerManager::evictInbound()
{
    std::vector<EvictionCandidate> candidates;
    // Connections still in their handshake count against the limit, so they are candidates too (no ping,
    // nothing brought, young: they go first); otherwise stalled handshakes could hold the slots.
    for (const auto &[id, p] : peers_)
        if (p.conn->direction() == Direction::Inbound)
            candidates.push_back({id, p.connectedSinceMs, p.ready ? p.conn->pingMs() : -1, p.lastUsefulMs, netGroupOf(p.ip)});
    const auto victim = selectPeerToEvict(std::move(candidates), evictionSalt_);
    if (!victim) return false;
    ++evicted_;
    closePeer(*victim, QStringLiteral("evicted to make room for a new inbound peer"), true);
    return true;
}

void PeerManager::markUseful(PeerId id)
{
    if (auto it = peers_.find(id); it != peers_.end()) it->second.lastUsefulMs = nowMs();
}

bool PeerManager::identityConnected(const crypto::PublicKey &identity) const
{
    return std::any_of(peers_.begin(), peers_.end(),
                       [&](const auto &e) { return e.second.ready && e.second.conn->peerIdentity() == identity; });
}

bool PeerManager::resolveDuplicate(PeerId id)
{
    Peer &fresh = peers_.at(id);
    const crypto::PublicKey theirs = fresh.conn->peerIdentity();
    const crypto::PublicKey &ours = config_.local.identity->publicKey();
    for (auto &[otherId, other] : peers_) {
        if (otherId == id || !other.ready || other.conn->peerIdentity() != theirs) continue;
        // Both sides must keep the same connection whatever order they saw things in: the one dialled
        // by the smaller identity; when one node dialled both, the newer (the older is likely dead there).
        const auto initiator = [&](const Peer &p) { return p.conn->direction() == Direction::Outbound ? ours : theirs; };
        const bool keepFresh = initiator(fresh) == initiator(other) ? true : initiator(fresh) < initiator(other);
        const PeerId drop = keepFresh ? otherId : id;
        qCInfo(lcP2p).noquote() << "duplicate connection to" << shortId(theirs) << "- keeping"
                                << (keepFresh ? "the new one" : "the existing one");
        closePeer(drop, QStringLiteral("duplicate connection to the same node"), true);
        return keepFresh;
    }
    return true;
}

void PeerManager::handleReady(PeerId id)
{
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    Connection *c = it->second.conn;
    const crypto::PublicKey identity = c->peerIdentity();
    if (it->second.expected && *it->second.expected != identity) {
        // A discovery datagram replayed from another host, or a node that changed its key: not this one.
        closePeer(id, QStringLiteral("answered with another identity than it announced"), false);
        return;
    }
    if (it->second.target)
        if (Target *t = findTarget(*it->second.target)) t->identity = identity;
    if (book_.isBanned(normalizeIp(c->peerAddress()), nowMs())) {
        // A persistent target or a name that resolved to a banned address.
        closePeer(id, QStringLiteral("its address is banned"), true);
        return;
    }
    if (!resolveDuplicate(id)) return;
    Peer &p = peers_.at(id);
    p.ready = true;
    p.ip = normalizeIp(c->peerAddress());
    p.addrTokens = 1000;  // Addr budget: a full answer at once, then 0.1 address/s (as bitcoind)
    p.addrTokensAtMs = nowMs();
    const qint64 now = nowMs();
    if (c->direction() == Direction::Outbound) {
        const PeerAddress there = toPeerAddress(p.ip, c->peerPort());
        if (p.target) (void)book_.add(there, p.source, now, identity);
        if (p.dialled || p.target) (void)book_.markSuccess(p.dialled ? *p.dialled : there, identity, now);
        if (Target *t = p.target ? findTarget(*p.target) : nullptr) t->failures = 0;
        (void)send(id, GetAddr{});
    } else if (c->peerListenPort() != 0) {
        // An authenticated live node that says it listens: worth remembering and telling two others.
        const PeerAddress there = toPeerAddress(p.ip, c->peerListenPort());
        if (scopeOf(there) != AddressScope::Invalid && !book_.find(there))
            (void)book_.add(there, AddressSource::Inbound, now, identity);
        relaySelfAnnouncement(id, there);
    }
    qCInfo(lcP2p).noquote() << "peer" << id << (c->direction() == Direction::Outbound ? "outbound" : "inbound")
                            << formatEndpoint(p.ip, c->peerPort()) << shortId(identity) << c->peerAgent();
    if (onPeerReady) onPeerReady(id);
}

void PeerManager::handleMessage(PeerId id, const Message &m)
{
    auto it = peers_.find(id);
    if (it == peers_.end() || !it->second.ready) return;
    if (std::holds_alternative<GetAddr>(m)) {
        answerGetAddr(id, it->second);
        return;
    }
    if (const auto *a = std::get_if<Addr>(&m)) {
        handleAddr(id, it->second, *a);
        return;
    }
    if (const auto *s = std::get_if<StatusMsg>(&m)) it->second.status = *s;
    if (onMessage) onMessage(id, m);
}

void PeerManager::closePeer(PeerId id, const QString &reason, bool quiet)
{
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    it->second.quiet = it->second.quiet || quiet;
    it->second.conn->close(reason);  // calls handleClosed
}

void PeerManager::handleClosed(PeerId id, const QString &reason)
{
    auto it = peers_.find(id);
    if (it == peers_.end()) return;
    Peer p = it->second;
    peers_.erase(it);
    Connection *c = p.conn;
    closedSent_ += c->bytesSent();
    closedReceived_ += c->bytesReceived();
    if (p.ready)
        qCInfo(lcP2p).noquote() << "peer" << id << "disconnected:" << reason;
    else
        qCDebug(lcP2p).noquote() << "connection" << id << "closed before the handshake finished:" << reason;
    if (c->direction() == Direction::Outbound && !stopping_) {
        if (!p.quiet || c->selfConnection()) noteOutboundClosed(p, p.ready, c->selfConnection());
        if (Target *t = p.target ? findTarget(*p.target) : nullptr) {
            t->peer.reset();
            if (t->oneTry) targets_.erase(targets_.begin() + (t - targets_.data()));
        }
    }
    c->deleteLater();  // not here: we are inside one of its callbacks
    if (p.ready && onPeerClosed) onPeerClosed(id);
}

Status PeerManager::send(PeerId peer, const Message &m)
{
    auto it = peers_.find(peer);
    if (it == peers_.end() || !it->second.ready)
        return makeError(ErrorCode::NotFound, "peer " + std::to_string(peer) + " is not connected");
    return it->second.conn->send(m);
}

qint64 PeerManager::sendBacklog(PeerId peer) const
{
    auto it = peers_.find(peer);
    if (it == peers_.end() || !it->second.ready) return -1;
    return it->second.conn->sendBacklog();
}

void PeerManager::broadcast(const Message &m, std::optional<PeerId> except)
{
    // One encoding for every peer (a block is up to 4 MiB); each connection seals its own frame (its own key).
    const Bytes message = encodeMessage(m);
    std::vector<PeerId> ids;
    for (const auto &[id, p] : peers_)
        if (p.ready && id != except) ids.push_back(id);
    for (PeerId id : ids)  // a peer that went away meanwhile (a send that overflowed closes it) is skipped
        if (auto it = peers_.find(id); it != peers_.end() && it->second.ready) (void)it->second.conn->sendEncoded(message);
}

void PeerManager::misbehaving(PeerId peer, int score, const QString &reason)
{
    auto it = peers_.find(peer);
    if (it == peers_.end() || score <= 0) return;
    it->second.score = std::min(it->second.score + score, 1'000'000);
    const int total = it->second.score;
    const QHostAddress ip = it->second.ip.isNull() ? normalizeIp(it->second.conn->peerAddress()) : it->second.ip;
    if (score >= 10 || total >= kBanScore)
        qCWarning(lcP2p).noquote() << QStringLiteral("peer %1 %2 misbehaving (+%3 = %4): %5")
                                          .arg(peer)
                                          .arg(formatEndpoint(ip, it->second.conn->peerPort()))
                                          .arg(score)
                                          .arg(total)
                                          .arg(reason);
    if (total < kBanScore) return;
    if (Status s = ban(ip, config_.banSeconds, reason); !s.ok()) {
        qCWarning(lcP2p).noquote() << "cannot record the ban:" << QString::fromStdString(s.error().message);
        closePeer(peer, reason, true);
    }
}

Status PeerManager::ban(const QHostAddress &rawIp, qint64 seconds, const QString &reason)
{
    const QHostAddress ip = normalizeIp(rawIp);
    if (ip.isNull()) return makeError(ErrorCode::InvalidArgument, "no IP address to ban");
    if (seconds <= 0 || seconds > 10LL * 365 * 24 * 3600)
        return makeError(ErrorCode::InvalidArgument, "a ban lasts from 1 second to 10 years");
    const qint64 now = nowMs();
    BLYAN_CHECK(book_.ban(ip, now + seconds * 1000, reason, now));
    qCWarning(lcP2p).noquote() << "banned" << ip.toString() << "for" << seconds << "s:" << reason;
    std::vector<PeerId> ids;
    for (const auto &[id, p] : peers_) {
        const QHostAddress pip = p.ip.isNull() ? normalizeIp(p.conn->peerAddress()) : p.ip;
        if (pip == ip) ids.push_back(id);
    }
    for (PeerId id : ids) closePeer(id, QStringLiteral("banned: %1").arg(reason), true);
    return {};
}

Status PeerManager::unban(const QHostAddress &ip) { return book_.unban(ip); }

Status PeerManager::clearBans() { return book_.clearBans(); }

std::vector<BanEntry> PeerManager::bans() { return book_.bans(nowMs()); }

PeerInfo PeerManager::info(PeerId id, const Peer &p) const
{
    const Connection *c = p.conn;
    PeerInfo i;
    i.id = id;
    i.identity = c->peerIdentity();
    i.address = p.ip;
    i.port = c->peerPort();
    i.listenPort = c->peerListenPort();
    i.direction = c->direction();
    i.source = c->direction() == Direction::Outbound ? QString::fromLatin1(sourceName(p.source)) : QString();
    i.connectedSinceMs = p.connectedSinceMs;
    i.pingMs = c->pingMs();
    i.bytesSent = c->bytesSent();
    i.bytesReceived = c->bytesReceived();
    i.messagesSent = c->messagesSent();
    i.messagesReceived = c->messagesReceived();
    i.throttled = c->throttleCount();
    i.agent = c->peerAgent();
    i.status = p.status;
    i.banScore = p.score;
    return i;
}

std::vector<PeerInfo> PeerManager::peers() const
{
    std::vector<PeerInfo> out;
    for (const auto &[id, p] : peers_)
        if (p.ready) out.push_back(info(id, p));
    return out;
}

std::optional<PeerInfo> PeerManager::peer(PeerId id) const
{
    auto it = peers_.find(id);
    if (it == peers_.end() || !it->second.ready) return std::nullopt;
    return info(id, it->second);
}

int PeerManager::inboundCount() const
{
    return static_cast<int>(std::count_if(peers_.begin(), peers_.end(), [](const auto &e) {
        return e.second.ready && e.second.conn->direction() == Direction::Inbound;
    }));
}

int PeerManager::outboundCount() const
{
    return static_cast<int>(std::count_if(peers_.begin(), peers_.end(), [](const auto &e) {
        return e.second.ready && e.second.conn->direction() == Direction::Outbound;
    }));
}

quint64 PeerManager::totalBytesSent() const
{
    quint64 n = closedSent_;
    for (const auto &[id, p] : peers_) n += p.conn->bytesSent();
    return n;
}

quint64 PeerManager::totalBytesReceived() const
{
    quint64 n = closedReceived_;
    for (const auto &[id, p] : peers_) n += p.conn->bytesReceived();
    return n;
}

}  // namespace blyan::p2p
