// PeerManager, part 2: outbound dialling (persistent targets, the address book, discovery), reconnect
// backoff, and address gossip (GetAddr/Addr).

#include "p2p/peer_manager.h"

#include "p2p/p2p_log.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

namespace blyan::p2p {

namespace {

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

constexpr qint64 kGoodAddressMs = 3LL * 24 * 3600 * 1000;      // "we connected there recently"
constexpr qint64 kForgetAfterMs = 7LL * 24 * 3600 * 1000;      // a learned address that keeps failing
constexpr int kForgetAfterFailures = 8;
constexpr qint64 kAddrAnswerIntervalMs = 5 * 60 * 1000;
constexpr std::size_t kAddrAnswerMax = 128;
constexpr double kAddrPerSecond = 0.1;
constexpr double kAddrBurst = 1000;
constexpr int kDialsPerTick = 2;

// Learned addresses: 5 s after the first failure, doubling, at most 30 min apart.
qint64 bookBackoffMs(int failures)
{
    return failures <= 0 ? 0 : std::min<qint64>(5000LL << std::min(failures - 1, 9), 30LL * 60 * 1000);
}

// Persistent targets (--connect, addnode): 1 s, doubling, at most a minute apart.
qint64 targetBackoffMs(int failures) { return std::min<qint64>(1000LL << std::min(failures, 6), 60'000); }

auto addrKey(const PeerAddress &a) { return std::make_pair(a.ip, a.port); }

}  // namespace

bool PeerManager::isOwnEndpoint(const PeerAddress &a) const
{
    if (!listening() || a.port != listenPort()) return false;
    const QHostAddress ip = hostOf(a);
    const QHostAddress bound = normalizeIp(server_->serverAddress());
    if (bound != QHostAddress(QHostAddress::Any) && bound != QHostAddress(QHostAddress::AnyIPv4) &&
        bound != QHostAddress(QHostAddress::AnyIPv6))
        return ip == bound;
    if (scopeOf(ip) == AddressScope::Loopback) return true;  // all of 127/8 and ::1 reach a wildcard listener
    return std::any_of(localAddresses_.begin(), localAddresses_.end(), [&](const QHostAddress &l) { return l == ip; });
}

PeerManager::Target *PeerManager::findTarget(const QString &text)
{
    auto it = std::find_if(targets_.begin(), targets_.end(), [&](const Target &t) { return t.where.text() == text; });
    return it == targets_.end() ? nullptr : &*it;
}

Status PeerManager::addNode(const QString &hostPort, AddNodeCommand command)
{
    BLYAN_TRY(HostPort hp, parseHostPort(hostPort.trimmed(), config_.defaultPort));
    hp.host = hp.host.toLower();
    const QString text = hp.text();
    Target *existing = findTarget(text);
    switch (command) {
    case AddNodeCommand::Add:
        if (existing && !existing->oneTry)
            return makeError(ErrorCode::AlreadyExists, text.toStdString() + " was already added");
        if (existing) existing->oneTry = false;
        else targets_.emplace_back(hp, AddressSource::AddNode);
        break;
    case AddNodeCommand::Remove: {
        if (!existing || existing->oneTry)
            return makeError(ErrorCode::NotFound, text.toStdString() + " was not added (addnode " + text.toStdString() + " add)");
        // Its connection stays (as bitcoind): removing only stops keeping it connected.
        targets_.erase(std::find_if(targets_.begin(), targets_.end(), [&](const Target &t) { return t.where.text() == text; }));
        return {};
    }
    case AddNodeCommand::OneTry:
        if (!existing) {
            targets_.emplace_back(hp, AddressSource::AddNode, true);
        } else {
            existing->nextTryMs = 0;  // try now rather than after its backoff
        }
        break;
    }
    QTimer::singleShot(0, this, &PeerManager::dialTick);
    return {};
}

std::vector<QString> PeerManager::addedNodes() const
{
    std::vector<QString> out;
    for (const Target &t : targets_)
        if (!t.oneTry) out.push_back(t.where.text());
    return out;
}

PeerId PeerManager::dial(const QString &host, std::uint16_t port, AddressSource source)
{
    auto *s = new QTcpSocket;
    const QHostAddress bind = normalizeIp(config_.bindAddress);
    QHostAddress target;
    const bool literal = target.setAddress(host);
    // From the bind address when one is set (a multi-homed host, or several nodes on loopback in
    // tests), so peers see the address we listen on. Only for a target of the same family.
    if (!bind.isNull() && bind != QHostAddress(QHostAddress::Any) && bind != QHostAddress(QHostAddress::AnyIPv4) &&
        (!literal || normalizeIp(target).protocol() == bind.protocol()))
        s->bind(bind, 0);
    s->connectToHost(host, port);
    const PeerId id = addConnection(s, Direction::Outbound);
    Peer &p = peers_.at(id);
    p.source = source;
    p.conn->start();  // handshake timer covers the TCP connect too
    return id;
}

void PeerManager::dialTick()
{
    if (stopping_) return;
    const qint64 now = nowMs();
    dialTargets(now);
    dialBook(now);
}

void PeerManager::dialTargets(qint64 now)
{
    for (std::size_t i = 0; i < targets_.size(); ++i) {
        Target &t = targets_[i];
        if (t.self || t.peer || now < t.nextTryMs) continue;
        if (t.identity && identityConnected(*t.identity)) continue;  // reached through another connection
        if (QHostAddress ip; ip.setAddress(t.where.host) && book_.isBanned(ip, now)) continue;
        t.nextTryMs = now + targetBackoffMs(t.failures);
        const HostPort where = t.where;
        const AddressSource source = t.source;
        const PeerId id = dial(where.host, where.port, source);
        peers_.at(id).target = where.text();
        t.peer = id;
    }
}

bool PeerManager::addressInUse(const PeerAddress &a) const
{
    const QHostAddress ip = hostOf(a);
    return std::any_of(peers_.begin(), peers_.end(), [&](const auto &e) {
        const Peer &p = e.second;
        if (p.dialled && *p.dialled == a) return true;
        return p.ip == ip && (p.conn->peerListenPort() == a.port ||
                              (p.conn->direction() == Direction::Outbound && p.conn->peerPort() == a.port));
    });
}

void PeerManager::dialBook(qint64 now)
{
    int outbound = 0;
    for (const auto &[id, p] : peers_)
        if (p.conn->direction() == Direction::Outbound && !p.target) ++outbound;
    if (outbound >= config_.maxOutbound) return;
    std::vector<AddressEntry> candidates;
    std::vector<PeerAddress> forget;
    for (const AddressEntry &e : book_.entries()) {
        if (selfAddresses_.count(addrKey(e.address)) || isOwnEndpoint(e.address)) continue;
        if (e.failures >= kForgetAfterFailures && e.source != AddressSource::Seed &&
            e.source != AddressSource::Connect && e.source != AddressSource::AddNode &&
            now - std::max(e.lastSuccessMs, e.firstSeenMs) > kForgetAfterMs) {
            forget.push_back(e.address);
            continue;
        }
        if (now < e.lastAttemptMs + bookBackoffMs(e.failures)) continue;
        if (book_.isBanned(hostOf(e.address), now) || addressInUse(e.address)) continue;
        if (e.identity && identityConnected(*e.identity)) continue;
        candidates.push_back(e);
    }
    for (const PeerAddress &a : forget) (void)book_.remove(a);
    // Addresses that worked recently first, then fewer failures; random among equals.
    std::shuffle(candidates.begin(), candidates.end(), *QRandomGenerator::global());
    std::stable_sort(candidates.begin(), candidates.end(), [now](const AddressEntry &a, const AddressEntry &b) {
        const bool ga = now - a.lastSuccessMs < kGoodAddressMs, gb = now - b.lastSuccessMs < kGoodAddressMs;
        if (ga != gb) return ga;
        return a.failures < b.failures;
    });
    int dialled = 0;
    for (const AddressEntry &e : candidates) {
        if (outbound >= config_.maxOutbound || dialled >= kDialsPerTick) break;
        (void)book_.markAttempt(e.address, now);
        const PeerId id = dial(hostOf(e.address).toString(), e.address.port, e.source);
        Peer &p = peers_.at(id);
        p.dialled = e.address;
        if (e.source == AddressSource::Discovery) p.expected = e.identity;
        ++outbound;
        ++dialled;
    }
}

void PeerManager::noteOutboundClosed(Peer &p, bool wasReady, bool self)
{
    const qint64 now = nowMs();
    if (self) {
        // We dialled ourselves through this address: never again.
        if (p.dialled) {
            selfAddresses_.insert(addrKey(*p.dialled));
            (void)book_.remove(*p.dialled);
        }
        if (p.target)
            if (Target *t = findTarget(*p.target)) {
                t->self = true;
                qCWarning(lcP2p).noquote() << "the peer" << *p.target << "is this node itself; not dialling it again";
            }
        return;
    }
    if (p.target) {
        if (Target *t = findTarget(*p.target)) {
            if (!wasReady) ++t->failures;
            t->nextTryMs = now + targetBackoffMs(wasReady ? 0 : t->failures);
        }
    } else if (p.dialled && !wasReady) {
        (void)book_.markFailure(*p.dialled, now);
    }
}

void PeerManager::answerGetAddr(PeerId id, Peer &p)
{
    const qint64 now = nowMs();
    if (p.lastAddrAnswerMs != 0 && now - p.lastAddrAnswerMs < kAddrAnswerIntervalMs) return;  // asked too often: ignored
    p.lastAddrAnswerMs = now;
    const AddressScope peerScope = scopeOf(p.ip);
    const PeerAddress itself = toPeerAddress(p.ip, p.conn->peerListenPort());
    std::vector<PeerAddress> pool;
    const auto consider = [&](const PeerAddress &a) {
        if (a == itself || !shareable(a, peerScope) || book_.isBanned(hostOf(a), now)) return;
        if (std::find(pool.begin(), pool.end(), a) == pool.end()) pool.push_back(a);
    };
    // Good: addresses we connected to recently, and live authenticated peers that listen.
    for (const AddressEntry &e : book_.entries())
        if (e.lastSuccessMs != 0 && now - e.lastSuccessMs < kGoodAddressMs) consider(e.address);
    for (const auto &[otherId, other] : peers_) {
        if (otherId == id || !other.ready) continue;
        if (other.conn->direction() == Direction::Outbound) consider(toPeerAddress(other.ip, other.conn->peerPort()));
        else if (other.conn->peerListenPort() != 0) consider(toPeerAddress(other.ip, other.conn->peerListenPort()));
    }
    std::shuffle(pool.begin(), pool.end(), *QRandomGenerator::global());
    if (pool.size() > kAddrAnswerMax) pool.resize(kAddrAnswerMax);
    (void)send(id, Addr{pool});
}

void PeerManager::handleAddr(PeerId id, Peer &p, const Addr &m)
{
    const qint64 now = nowMs();
    p.addrTokens = std::min(kAddrBurst, p.addrTokens + static_cast<double>(now - p.addrTokensAtMs) / 1000.0 * kAddrPerSecond);
    p.addrTokensAtMs = now;
    const AddressScope peerScope = scopeOf(p.ip);
    int learned = 0, dropped = 0;
    for (const PeerAddress &a : m.addresses) {
        if (p.addrTokens < 1) {
            ++dropped;  // over its budget: ignored, not scored (an honest node may just be chatty)
            continue;
        }
        p.addrTokens -= 1;
        // Garbage (unroutable for us, port 0, banned) is dropped and never relayed.
        if (!shareable(a, peerScope) || book_.isBanned(hostOf(a), now)) continue;
        if (isOwnEndpoint(a) || selfAddresses_.count(addrKey(a))) continue;
        if (!book_.find(a) && book_.add(a, AddressSource::Gossip, now).ok()) ++learned;
    }
    if (learned || dropped)
        qCDebug(lcP2p).noquote() << "peer" << id << "sent" << m.addresses.size() << "addresses:" << learned << "new,"
                                 << dropped << "over its rate";
    if (learned) QTimer::singleShot(0, this, &PeerManager::dialTick);
}

void PeerManager::relaySelfAnnouncement(PeerId id, const PeerAddress &a)
{
    std::vector<PeerId> others;
    for (const auto &[otherId, other] : peers_)
        if (otherId != id && other.ready && shareable(a, scopeOf(other.ip))) others.push_back(otherId);
    std::shuffle(others.begin(), others.end(), *QRandomGenerator::global());
    if (others.size() > 2) others.resize(2);
    for (PeerId o : others) (void)send(o, Addr{{a}});
}

void PeerManager::startDiscovery()
{
    DiscoveryConfig d;
    d.identity = config_.local.identity;
    d.networkId = config_.local.networkId;
    d.genesis = config_.local.genesis;
    d.tcpPort = config_.local.listenPort;
    d.udpPort = config_.discoverPort != 0 ? config_.discoverPort : (config_.port != 0 ? config_.port : config_.defaultPort);
    d.sourceAddress = config_.bindAddress;
    d.targets = config_.discoverTargets;
    d.announceIntervalMs = config_.discoverIntervalMs;
    auto *disc = new LanDiscovery(d, this);
    disc->onFound = [this](const crypto::PublicKey &identity, const QHostAddress &ip, std::uint16_t port) {
        onDiscovered(identity, ip, port);
    };
    if (Status s = disc->start(); !s.ok()) {
        discoveryError_ = QString::fromStdString(s.error().message);
        qCWarning(lcP2p).noquote() << discoveryError_;
        delete disc;
        return;
    }
    discovery_ = disc;
    qCInfo(lcP2p).noquote() << "LAN discovery on UDP port" << d.udpPort;
}

void PeerManager::onDiscovered(const crypto::PublicKey &identity, const QHostAddress &ip, std::uint16_t port)
{
    const qint64 now = nowMs();
    if (identityConnected(identity) || book_.isBanned(ip, now)) return;
    const PeerAddress a = toPeerAddress(ip, port);
    if (scopeOf(a) == AddressScope::Invalid || selfAddresses_.count(addrKey(a))) return;
    // Connecting to it already (its inbound dial may be in its handshake): let that finish.
    for (const auto &[id, p] : peers_)
        if (p.expected == identity || (p.dialled && *p.dialled == a)) return;
    if (Status s = book_.add(a, AddressSource::Discovery, now, identity); !s.ok()) return;
    dialTick();
}

}  // namespace blyan::p2p
