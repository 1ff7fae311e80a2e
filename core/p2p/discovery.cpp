#include "p2p/discovery.h"

#include "p2p/net_address.h"
#include "p2p/p2p_log.h"
#include "util/codec.h"

#include <QDateTime>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QUdpSocket>

#include <algorithm>
#include <cstdlib>

namespace blyan::p2p {

namespace {

constexpr double kVerifiesPerSecond = 50;  // Ed25519 checks of incoming datagrams
constexpr double kVerifyBurst = 100;
constexpr std::size_t kMaxRemembered = 1024;

void writeUnsigned(Writer &w, const Announcement &a)
{
    w.raw(kDiscoveryMagic);
    w.u8(kDiscoveryVersion);
    w.u32(a.networkId);
    w.raw(a.genesis);
    w.raw(a.identity);
    w.u16(a.tcpPort);
    w.u64(a.timeMs);
}

}  // namespace

crypto::Hash256 announcementSigningHash(const Announcement &a)
{
    Writer w;
    w.raw(asBytes(kDiscoveryDomain));
    writeUnsigned(w, a);
    return crypto::blake2b256(w.data());
}

Announcement makeAnnouncement(const crypto::KeyPair &identity, std::uint32_t networkId, const crypto::Hash256 &genesis,
                              std::uint16_t tcpPort, std::uint64_t timeMs)
{
    Announcement a;
    a.networkId = networkId;
    a.genesis = genesis;
    a.identity = identity.publicKey();
    a.tcpPort = tcpPort;
    a.timeMs = timeMs;
    a.signature = identity.sign(announcementSigningHash(a));
    return a;
}

Bytes encodeAnnouncement(const Announcement &a)
{
    Writer w;
    writeUnsigned(w, a);
    w.raw(a.signature);
    return w.take();
}

Expected<Announcement> decodeAnnouncement(ByteView datagram)
{
    if (datagram.size() != kDiscoverySize)
        return makeError(ErrorCode::Malformed, "discovery datagram: " + std::to_string(datagram.size()) + " bytes, expected " +
                                                   std::to_string(kDiscoverySize));
    Reader r(datagram);
    BLYAN_TRY(const auto magic, r.fixedArray<4>("discovery.magic"));
    if (magic != kDiscoveryMagic) return makeError(ErrorCode::Malformed, "discovery datagram: wrong magic");
    BLYAN_TRY(const auto version, r.u8());
    if (version != kDiscoveryVersion)
        return makeError(ErrorCode::Malformed, "discovery datagram: version " + std::to_string(version) + ", this build speaks 1");
    Announcement a;
    BLYAN_TRY(a.networkId, r.u32());
    BLYAN_TRY(a.genesis, r.fixedArray<32>("discovery.genesis"));
    BLYAN_TRY(a.identity, r.fixedArray<32>("discovery.identity"));
    BLYAN_TRY(a.tcpPort, r.u16());
    if (a.tcpPort == 0) return makeError(ErrorCode::Malformed, "discovery datagram: port 0");
    BLYAN_TRY(a.timeMs, r.u64());
    BLYAN_TRY(a.signature, r.fixedArray<64>("discovery.signature"));
    BLYAN_CHECK(r.finish());
    return a;
}

bool verifyAnnouncement(const Announcement &a)
{
    return crypto::verify(a.identity, announcementSigningHash(a), a.signature);
}

LanDiscovery::LanDiscovery(DiscoveryConfig config, QObject *parent) : QObject(parent), config_(std::move(config)), timer_(this)
{
    tokens_ = kVerifyBurst;
    tokenClock_.start();
    timer_.setInterval(config_.announceIntervalMs);
    connect(&timer_, &QTimer::timeout, this, &LanDiscovery::announceNow);
}

LanDiscovery::~LanDiscovery() = default;

Status LanDiscovery::start()
{
    listen_ = new QUdpSocket(this);
    // Shared: every node on this machine listens on the same port and each gets every broadcast.
    if (!listen_->bind(QHostAddress::AnyIPv4, config_.udpPort, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint))
        return makeError(ErrorCode::Busy, "LAN discovery cannot listen on UDP port " + std::to_string(config_.udpPort) + ": " +
                                              listen_->errorString().toStdString());
    connect(listen_, &QUdpSocket::readyRead, this, &LanDiscovery::readDatagrams);
    send_ = listen_;
    const QHostAddress src = normalizeIp(config_.sourceAddress);
    if (!src.isNull() && src.protocol() == QAbstractSocket::IPv4Protocol && src != QHostAddress(QHostAddress::AnyIPv4)) {
        // Sent from the bind address, so listeners dial the address we actually listen on.
        send_ = new QUdpSocket(this);
        if (!send_->bind(src, 0))
            return makeError(ErrorCode::Busy, "LAN discovery cannot send from " + src.toString().toStdString() + ": " +
                                                  send_->errorString().toStdString());
    }
    timer_.start();
    announceNow();
    return {};
}

std::vector<QHostAddress> LanDiscovery::targets() const
{
    if (!config_.targets.empty()) return config_.targets;
    std::vector<QHostAddress> out{QHostAddress(QHostAddress::Broadcast)};
    for (const QNetworkInterface &i : QNetworkInterface::allInterfaces()) {
        if (!(i.flags() & QNetworkInterface::IsUp) || !(i.flags() & QNetworkInterface::CanBroadcast)) continue;
        for (const QNetworkAddressEntry &e : i.addressEntries())
            if (!e.broadcast().isNull() && std::find(out.begin(), out.end(), e.broadcast()) == out.end())
                out.push_back(e.broadcast());
    }
    return out;
}

void LanDiscovery::announceNow()
{
    if (!send_) return;
    const Announcement a = makeAnnouncement(*config_.identity, config_.networkId, config_.genesis, config_.tcpPort,
                                            static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch()));
    const Bytes bytes = encodeAnnouncement(a);
    const QByteArray datagram(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()));
    for (const QHostAddress &t : targets()) {
        if (send_->writeDatagram(datagram, t, config_.udpPort) == datagram.size())
            ++sent_;
        else
            qCDebug(lcP2p).noquote() << "discovery: cannot send to" << t.toString() << send_->errorString();
    }
}

bool LanDiscovery::takeVerifyToken()
{
    const double elapsed = static_cast<double>(tokenClock_.restart()) / 1000.0;
    tokens_ = std::min(kVerifyBurst, tokens_ + elapsed * kVerifiesPerSecond);
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

void LanDiscovery::readDatagrams()
{
    while (listen_->hasPendingDatagrams()) {
        // Read at most one byte more than a valid datagram: anything longer is refused by size anyway.
        const QNetworkDatagram d = listen_->receiveDatagram(static_cast<qint64>(kDiscoverySize + 1));
        // LAN discovery is for the LAN: the port listens on every interface, and a datagram from the public
        // internet (any identity can sign one, and UDP source addresses are easy to forge) would make this
        // node dial whatever host and port it names and fill the address book with them.
        const AddressScope scope = scopeOf(d.senderAddress());
        if (scope != AddressScope::Lan && scope != AddressScope::Loopback) continue;
        const QByteArray data = d.data();
        auto a = decodeAnnouncement(ByteView(reinterpret_cast<const std::uint8_t *>(data.constData()),
                                             static_cast<std::size_t>(data.size())));
        if (!a) continue;  // not ours, or garbage: nothing to answer on an unauthenticated channel
        if (a->networkId != config_.networkId || a->genesis != config_.genesis) continue;
        if (a->identity == config_.identity->publicKey()) continue;  // our own broadcast, looped back
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 t = static_cast<qint64>(std::min<std::uint64_t>(a->timeMs, std::uint64_t(1) << 62));
        if (std::abs(now - t) > kDiscoveryMaxSkewMs) continue;
        auto seen = lastTime_.find(a->identity);
        if (seen != lastTime_.end() && a->timeMs <= seen->second) continue;  // a replay or a duplicate copy
        if (!takeVerifyToken() || !verifyAnnouncement(*a)) continue;
        if (lastTime_.size() >= kMaxRemembered && seen == lastTime_.end()) lastTime_.erase(lastTime_.begin());
        lastTime_[a->identity] = a->timeMs;
        ++accepted_;
        if (onFound) onFound(a->identity, normalizeIp(d.senderAddress()), a->tcpPort);
    }
}

}  // namespace blyan::p2p
