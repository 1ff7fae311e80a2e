#include "node/node_p2p.h"

#include "node/node_chain.h"
#include "p2p/p2p_log.h"
#include "util/version.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace blyan::node {

namespace {

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }

}  // namespace

NodeP2p::NodeP2p(Network network, NodeChain &chain, crypto::KeyPair key)
    : network_(network), chain_(chain), key_(std::move(key))
{
}

NodeP2p::~NodeP2p()
{
    sampler_.stop();
    peers_.reset();  // closes quietly if stop() was not called
}

Expected<std::unique_ptr<NodeP2p>> NodeP2p::open(Network network, const QString &dataDir, const P2pOptions &options,
                                                 NodeChain &chain)
{
    // The node's P2P identity is its node key (the devnet's validator key); the chain created it.
    BLYAN_TRY(auto key, loadOrCreateNodeKey(dataDir + QStringLiteral("/node.key")));
    BLYAN_TRY(auto genesis, chain.ledger().blockByHeight(0));
    if (!genesis) return makeError(ErrorCode::Unavailable, "the chain has no genesis block yet");
    std::unique_ptr<NodeP2p> n(new NodeP2p(network, chain, std::move(key)));
    BLYAN_TRY(n->book_, p2p::AddressBook::open(dataDir + QStringLiteral("/peers.sqlite")));

    const NetworkParams &params = networkParams(network);
    p2p::PeerManagerConfig c;
    c.local.identity = &n->key_;
    c.local.networkId = params.networkId;
    c.local.genesis = genesis->id;
    c.local.agent = "blyan/" BLYAN_VERSION_STRING;
    if (!options.bind.isEmpty()) c.bindAddress = QHostAddress(options.bind);
    c.port = options.port != 0 ? options.port : params.p2pPort;
    c.defaultPort = params.p2pPort;
    c.listen = options.listen;
    for (const QString &t : options.connect) {
        BLYAN_TRY(const auto hp, p2p::parseHostPort(t, params.p2pPort));
        c.connect.push_back(hp);
    }
    // The network's seeds (config/networks/*.json). None are published yet: a testnet node finds its
    // peers through --connect, addnode and LAN discovery until the validators publish seed nodes.
    for (const QString &t : params.seeds) {
        auto hp = p2p::parseHostPort(t, params.p2pPort);
        if (!hp) return hp.error().context("config/networks seed");
        c.seeds.push_back(*hp);
    }
    // A devnet is one machine's private chain: nobody else on the LAN shares its genesis.
    c.discover = options.discover.value_or(network == Network::Testnet);
    c.discoverPort = options.discoverPort;
    if (!options.discoverAddress.isEmpty()) c.discoverTargets = {QHostAddress(options.discoverAddress)};
    n->peers_ = std::make_unique<p2p::PeerManager>(c, *n->book_);

    NodeP2p *self = n.get();
    n->peers_->onPeerReady = [self](p2p::PeerId id) {
        if (self->handler_.onPeerReady)
            self->handler_.onPeerReady(id);  // the chain layer sends its own Status
        else
            (void)self->peers_->send(id, self->localStatus());
    };
    n->peers_->onMessage = [self](p2p::PeerId id, const p2p::Message &m) {
        if (self->handler_.onMessage) self->handler_.onMessage(id, m);
    };
    n->peers_->onPeerClosed = [self](p2p::PeerId id) {
        if (self->handler_.onPeerClosed) self->handler_.onPeerClosed(id);
    };
    n->peers_->start();
    n->lastSampleMs_ = QDateTime::currentMSecsSinceEpoch();
    n->sampler_.setInterval(1000);
    QObject::connect(&n->sampler_, &QTimer::timeout, [self] { self->sample(); });
    n->sampler_.start();
    qCInfo(lcP2p).noquote() << "P2P identity" << hex(n->key_.publicKey()) << "genesis" << hex(genesis->id)
                            << (c.discover ? "discovery on" : "discovery off");
    return n;
}

void NodeP2p::stop()
{
    sampler_.stop();
    if (peers_) peers_->stop();
}

p2p::StatusMsg NodeP2p::localStatus() const
{
    p2p::StatusMsg s;
    s.height = chain_.height();
    s.tip = chain_.ledger().tipId();
    s.finalHeight = chain_.finalHeight();
    return s;
}

void NodeP2p::announceTip()
{
    if (!handler_.onPeerReady) peers_->broadcast(localStatus());  // else the chain layer owns Status
}

void NodeP2p::sample()
{
    // One entry per elapsed second; a late timer tick (a busy worker) spreads its bytes evenly.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const quint64 received = peers_->totalBytesReceived(), sent = peers_->totalBytesSent();
    const qint64 seconds = std::clamp<qint64>((now - lastSampleMs_ + 500) / 1000, 1, 60);
    const quint64 dr = received - lastReceived_, ds = sent - lastSent_;
    for (qint64 i = 0; i < seconds; ++i) {
        history_.emplace_back(dr / static_cast<quint64>(seconds), ds / static_cast<quint64>(seconds));
        if (history_.size() > kHistorySeconds) history_.pop_front();
    }
    lastReceived_ = received;
    lastSent_ = sent;
    lastSampleMs_ += seconds * 1000;
    if (now - lastSampleMs_ > 5000) lastSampleMs_ = now;  // the clock jumped: start again from now
}

void NodeP2p::fillStatus(NodeStatus &s) const
{
    s.p2pAvailable = true;
    s.peersInbound = peers_->inboundCount();
    s.peersOutbound = peers_->outboundCount();
    s.p2pBytesReceived = peers_->totalBytesReceived();
    s.p2pBytesSent = peers_->totalBytesSent();
    s.p2pEndpoint = peers_->listening() ? p2p::formatEndpoint(peers_->listenAddress(), peers_->listenPort()) : QString();
    s.p2pStatus = peers_->listening() ? QString() : peers_->listenError();
}

Expected<QJsonValue> NodeP2p::getPeerInfo() const
{
    QJsonArray out;
    for (const p2p::PeerInfo &p : peers_->peers()) {
        const bool inbound = p.direction == p2p::Direction::Inbound;
        QJsonObject o{
            {QStringLiteral("id"), static_cast<qint64>(p.id)},
            {QStringLiteral("addr"), p2p::formatEndpoint(p.address, p.port)},
            {QStringLiteral("listen_port"), p.listenPort},
            {QStringLiteral("identity"), hex(p.identity)},
            {QStringLiteral("inbound"), inbound},
            {QStringLiteral("connection_type"), inbound ? QStringLiteral("inbound") : p.source},
            {QStringLiteral("conntime"), p.connectedSinceMs / 1000},
            {QStringLiteral("pingtime"), p.pingMs < 0 ? QJsonValue() : QJsonValue(static_cast<double>(p.pingMs) / 1000.0)},
            {QStringLiteral("bytessent"), static_cast<qint64>(p.bytesSent)},
            {QStringLiteral("bytesrecv"), static_cast<qint64>(p.bytesReceived)},
            {QStringLiteral("msgssent"), static_cast<qint64>(p.messagesSent)},
            {QStringLiteral("msgsrecv"), static_cast<qint64>(p.messagesReceived)},
            {QStringLiteral("throttled"), static_cast<qint64>(p.throttled)},
            {QStringLiteral("version"), p.protocolVersion},
            {QStringLiteral("subver"), p.agent},
            {QStringLiteral("banscore"), p.banScore},
        };
        // The last Status the peer sent: null until it sends one.
        o.insert(QStringLiteral("height"), p.status ? QJsonValue(static_cast<qint64>(p.status->height)) : QJsonValue());
        o.insert(QStringLiteral("final_height"),
                 p.status ? QJsonValue(static_cast<qint64>(p.status->finalHeight)) : QJsonValue());
        o.insert(QStringLiteral("tip"), p.status ? QJsonValue(hex(p.status->tip)) : QJsonValue());
        out.append(o);
    }
    return QJsonValue(out);
}

Expected<QJsonValue> NodeP2p::getNetTotals(int seconds) const
{
    QJsonArray recv, sent;
    const std::size_t n = std::min<std::size_t>(history_.size(), static_cast<std::size_t>(seconds));
    for (std::size_t i = history_.size() - n; i < history_.size(); ++i) {
        recv.append(static_cast<qint64>(history_[i].first));
        sent.append(static_cast<qint64>(history_[i].second));
    }
    return QJsonValue(QJsonObject{
        {QStringLiteral("totalbytesrecv"), static_cast<qint64>(peers_->totalBytesReceived())},
        {QStringLiteral("totalbytessent"), static_cast<qint64>(peers_->totalBytesSent())},
        {QStringLiteral("timemillis"), QDateTime::currentMSecsSinceEpoch()},
        {QStringLiteral("history"), QJsonObject{{QStringLiteral("interval_ms"), 1000},
                                                {QStringLiteral("end_ms"), lastSampleMs_},
                                                {QStringLiteral("recv"), recv},
                                                {QStringLiteral("sent"), sent}}},
    });
}

Expected<QJsonValue> NodeP2p::getNetworkInfo() const
{
    const p2p::PeerManagerConfig &c = peers_->config();
    QJsonArray added;
    for (const QString &a : peers_->addedNodes()) added.append(a);
    const int in = peers_->inboundCount(), out = peers_->outboundCount();
    return QJsonValue(QJsonObject{
        {QStringLiteral("version"), QStringLiteral(BLYAN_VERSION_STRING)},
        {QStringLiteral("subversion"), QString::fromStdString(c.local.agent)},
        {QStringLiteral("protocolversion"), p2p::kProtocolVersion},
        {QStringLiteral("network"), networkName(network_)},
        {QStringLiteral("identity"), hex(key_.publicKey())},
        {QStringLiteral("listening"), peers_->listening()},
        {QStringLiteral("localaddress"), peers_->listening() ? QJsonValue(p2p::formatEndpoint(peers_->listenAddress(), peers_->listenPort()))
                                                             : QJsonValue()},
        {QStringLiteral("listen_error"), peers_->listening() ? QJsonValue() : QJsonValue(peers_->listenError())},
        {QStringLiteral("connections"), in + out},
        {QStringLiteral("connections_in"), in},
        {QStringLiteral("connections_out"), out},
        {QStringLiteral("discovery"),
         QJsonObject{{QStringLiteral("enabled"), c.discover},
                     {QStringLiteral("active"), peers_->discoveryActive()},
                     {QStringLiteral("error"), peers_->discoveryError().isEmpty() ? QJsonValue() : QJsonValue(peers_->discoveryError())}}},
        {QStringLiteral("addresses_known"), static_cast<qint64>(peers_->addressBook().size())},
        {QStringLiteral("added_nodes"), added},
        {QStringLiteral("refused_banned"), static_cast<qint64>(peers_->refusedBanned())},
        {QStringLiteral("inbound_evicted"), static_cast<qint64>(peers_->evicted())},
    });
}

Expected<QJsonValue> NodeP2p::addNode(const QString &node, const QString &command)
{
    p2p::AddNodeCommand cmd;
    if (command == QStringLiteral("add")) cmd = p2p::AddNodeCommand::Add;
    else if (command == QStringLiteral("remove")) cmd = p2p::AddNodeCommand::Remove;
    else if (command == QStringLiteral("onetry")) cmd = p2p::AddNodeCommand::OneTry;
    else return makeError(ErrorCode::InvalidArgument, "addnode: command must be add, remove or onetry, got '" + command.toStdString() + "'");
    BLYAN_CHECK(peers_->addNode(node, cmd));
    return QJsonValue();
}

Expected<QJsonValue> NodeP2p::listBanned()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QJsonArray out;
    for (const p2p::BanEntry &b : peers_->bans())
        out.append(QJsonObject{{QStringLiteral("address"), b.ip.toString()},
                               {QStringLiteral("ban_created"), b.createdMs / 1000},
                               {QStringLiteral("banned_until"), b.untilMs / 1000},
                               {QStringLiteral("ban_duration"), (b.untilMs - b.createdMs) / 1000},
                               {QStringLiteral("time_remaining"), std::max<qint64>(0, (b.untilMs - now) / 1000)},
                               {QStringLiteral("ban_reason"), b.reason}});
    return QJsonValue(out);
}

Expected<QJsonValue> NodeP2p::setBan(const QString &ip, const QString &command, qint64 seconds)
{
    BLYAN_TRY(const QHostAddress addr, p2p::parseIp(ip));
    if (command == QStringLiteral("add")) {
        if (peers_->addressBook().isBanned(addr, QDateTime::currentMSecsSinceEpoch()))
            return makeError(ErrorCode::AlreadyExists, "setban: " + addr.toString().toStdString() + " is already banned");
        BLYAN_CHECK(peers_->ban(addr, seconds, QStringLiteral("banned by the operator (setban)")));
    } else if (command == QStringLiteral("remove")) {
        BLYAN_CHECK(peers_->unban(addr));
    } else {
        return makeError(ErrorCode::InvalidArgument, "setban: command must be add or remove, got '" + command.toStdString() + "'");
    }
    return QJsonValue();
}

Expected<QJsonValue> NodeP2p::clearBanned()
{
    BLYAN_CHECK(peers_->clearBans());
    return QJsonValue();
}

}  // namespace blyan::node
