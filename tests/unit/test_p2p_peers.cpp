// The peer layer with real sockets on loopback, several PeerManagers in one process: handshakes and
// PeerInfo, messages up and down, address gossip through a third node, duplicate connections resolved
// the same way on both sides, bans for garbage / oversized frames / forged Auth signatures / floods
// (each bad actor dials from its own 127.0.0.x address), bans persisting across a reopen of
// peers.sqlite and refused at accept, the byte rate limit throttling without a ban, LAN discovery over
// UDP broadcast on 127.255.255.255, the address book, addresses and the discovery datagram codec; inbound
// eviction (the choice on made-up candidates, and a full node replacing a peer for a newcomer).

#include "chain/block.h"
#include "p2p/eviction.h"
#include "p2p/peer_manager.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <memory>

using namespace blyan;
using namespace blyan::p2p;

namespace {

constexpr std::uint32_t kNet = 0x7e57;
constexpr int kWait = 20000;

crypto::Hash256 genesis()
{
    crypto::Hash256 g{};
    g[0] = 0x42;
    return g;
}

quint16 freeUdpPort()
{
    QUdpSocket s;
    s.bind(QHostAddress::LocalHost, 0);
    return s.localPort();
}

// One node's peer layer: its identity, its address book file and its manager, and what reached the
// upper layer.
struct TestNode {
    crypto::KeyPair key = crypto::KeyPair::generate();
    QTemporaryDir dir;
    std::unique_ptr<AddressBook> book;
    std::unique_ptr<PeerManager> pm;
    std::vector<std::pair<PeerId, Message>> received;
    int readyCalls = 0, closedCalls = 0;

    QString bookPath() const { return dir.filePath(QStringLiteral("peers.sqlite")); }

    PeerManagerConfig config(const QString &bind = QStringLiteral("127.0.0.1"))
    {
        PeerManagerConfig c;
        c.local.identity = &key;
        c.local.networkId = kNet;
        c.local.genesis = genesis();
        c.local.agent = "blyan-test";
        c.bindAddress = QHostAddress(bind);
        c.port = 0;
        c.defaultPort = 4321;
        c.dialIntervalMs = 100;
        return c;
    }
    void start(PeerManagerConfig c)
    {
        auto b = AddressBook::open(bookPath());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
        book = std::move(*b);
        pm = std::make_unique<PeerManager>(std::move(c), *book);
        pm->onMessage = [this](PeerId id, const Message &m) { received.emplace_back(id, m); };
        pm->onPeerReady = [this](PeerId) { ++readyCalls; };
        pm->onPeerClosed = [this](PeerId) { ++closedCalls; };
        pm->start();
        QVERIFY2(pm->listening(), qPrintable(pm->listenError()));
    }
    void stop()
    {
        if (pm) pm->stop();
        pm.reset();
        book.reset();
    }
    QString endpoint() const { return QStringLiteral("127.0.0.1:%1").arg(pm->listenPort()); }
    bool connectedTo(const TestNode &other) const
    {
        for (const PeerInfo &p : pm->peers())
            if (p.identity == other.key.publicKey()) return true;
        return false;
    }
    int connectionsTo(const TestNode &other) const
    {
        int n = 0;
        for (const PeerInfo &p : pm->peers()) n += p.identity == other.key.publicKey();
        return n;
    }
};

// A peer under the test's control: a Connection dialled from `source` (a 127.0.0.x of its own, so a
// ban of that address hits nobody else).
struct Intruder {
    crypto::KeyPair key = crypto::KeyPair::generate();
    std::unique_ptr<Connection> conn;
    bool ready = false;
    QString closed;
    void dial(const QString &source, quint16 port)
    {
        auto *sock = new QTcpSocket;
        QVERIFY(sock->bind(QHostAddress(source), 0));
        LocalNode l;
        l.identity = &key;
        l.networkId = kNet;
        l.genesis = genesis();
        l.agent = "intruder";
        conn = std::make_unique<Connection>(sock, Direction::Outbound, l);
        conn->onReady = [this] { ready = true; };
        conn->onClosed = [this](const QString &r) { closed = r.isEmpty() ? QStringLiteral("closed") : r; };
        sock->connectToHost(QHostAddress::LocalHost, port);
        conn->start();
    }
};

chain::BlockHeader sampleHeader(std::uint64_t height)
{
    chain::BlockHeader h;
    h.height = height;
    h.slot = height;
    h.timeMs = 1700000000000 + height;
    return h;
}

}  // namespace

class TestP2pPeers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void addressesAndScopes()
    {
        auto hp = parseHostPort(QStringLiteral("192.0.2.7:4321"));
        QVERIFY(hp.ok());
        QCOMPARE(hp->port, std::uint16_t(4321));
        QCOMPARE(parseHostPort(QStringLiteral("[2001:db8::7]:99"))->host, QStringLiteral("2001:db8::7"));
        QCOMPARE(parseHostPort(QStringLiteral("node.example"), 4321)->port, std::uint16_t(4321));
        for (const char *bad : {"", ":5", "host:0", "host:65536", "host:+5", "2001:db8::1:5", "[::1", "[nope]:5",
                                "a b:5", "host:5:6", "host"})
            QVERIFY2(!parseHostPort(QString::fromLatin1(bad)).ok(), bad);
        QVERIFY(parseIp(QStringLiteral("10.1.2.3")).ok());
        QVERIFY(parseIp(QStringLiteral("::1")).ok());
        for (const char *bad : {"10.1", "10.0.0.0/8", "host", "1.2.3.4:5", ""}) QVERIFY2(!parseIp(QString::fromLatin1(bad)).ok(), bad);

        const auto addr = [](const char *ip, std::uint16_t port = 4321) { return toPeerAddress(QHostAddress(QString::fromLatin1(ip)), port); };
        QCOMPARE(scopeOf(addr("127.0.0.9")), AddressScope::Loopback);
        QCOMPARE(scopeOf(addr("192.168.1.4")), AddressScope::Lan);
        QCOMPARE(scopeOf(addr("fe80::1")), AddressScope::Lan);
        QCOMPARE(scopeOf(addr("8.8.8.8")), AddressScope::Public);
        QCOMPARE(scopeOf(addr("0.0.0.0")), AddressScope::Invalid);
        QCOMPARE(scopeOf(addr("224.0.0.1")), AddressScope::Invalid);
        QCOMPARE(scopeOf(addr("255.255.255.255")), AddressScope::Invalid);
        QCOMPARE(scopeOf(addr("ff02::1")), AddressScope::Invalid);
        // IPv4 keeps one form through the mapped wire encoding.
        QCOMPARE(hostOf(addr("::ffff:10.0.0.1")), QHostAddress(QStringLiteral("10.0.0.1")));
        QCOMPARE(formatEndpoint(addr("::1", 5)), QStringLiteral("[::1]:5"));
        // A loopback address only for peers on this machine; a LAN one not for public peers.
        QVERIFY(shareable(addr("127.0.0.1"), AddressScope::Loopback));
        QVERIFY(!shareable(addr("127.0.0.1"), AddressScope::Lan));
        QVERIFY(shareable(addr("10.0.0.1"), AddressScope::Loopback));
        QVERIFY(!shareable(addr("10.0.0.1"), AddressScope::Public));
        QVERIFY(shareable(addr("8.8.8.8"), AddressScope::Public));
        QVERIFY(!shareable(addr("8.8.8.8", 0), AddressScope::Public));
    }

    void discoveryDatagram()
    {
        const auto key = crypto::KeyPair::generate();
        const Announcement a = makeAnnouncement(key, kNet, genesis(), 4321, 1700000000000);
        const Bytes enc = encodeAnnouncement(a);
        QCOMPARE(enc.size(), kDiscoverySize);
        auto dec = decodeAnnouncement(enc);
        QVERIFY(dec.ok());
        QVERIFY(*dec == a);
        QVERIFY(verifyAnnouncement(*dec));
        // Any changed byte breaks either the decoding or the signature.
        for (std::size_t i = 0; i < enc.size(); ++i) {
            Bytes t = enc;
            t[i] ^= 0x01;
            auto d = decodeAnnouncement(t);
            QVERIFY(!d.ok() || !verifyAnnouncement(*d));
        }
        QVERIFY(!decodeAnnouncement(ByteView(enc.data(), enc.size() - 1)).ok());
        Bytes longer = enc;
        longer.push_back(0);
        QVERIFY(!decodeAnnouncement(longer).ok());
        Bytes v2 = enc;
        v2[4] = 2;
        QVERIFY(decodeAnnouncement(v2).error().message.find("version") != std::string::npos);
        QVERIFY(!decodeAnnouncement(encodeAnnouncement(makeAnnouncement(key, kNet, genesis(), 0, 1))).ok());
    }

    void addressBookPersists()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("peers.sqlite"));
        const auto id = crypto::KeyPair::generate().publicKey();
        const PeerAddress a = toPeerAddress(QHostAddress(QStringLiteral("192.0.2.1")), 4321);
        const PeerAddress b = toPeerAddress(QHostAddress(QStringLiteral("2001:db8::2")), 99);
        {
            auto book = AddressBook::open(path);
            QVERIFY(book.ok());
            QVERIFY((*book)->add(a, AddressSource::Gossip, 1000).ok());
            QVERIFY((*book)->add(b, AddressSource::Discovery, 1000).ok());
            QVERIFY((*book)->add(a, AddressSource::AddNode, 2000).ok());  // upgrades the source
            QVERIFY((*book)->markFailure(b, 3000).ok());
            QVERIFY((*book)->markSuccess(a, id, 4000).ok());
            QVERIFY(!(*book)->add(toPeerAddress(QHostAddress(QStringLiteral("0.0.0.0")), 1), AddressSource::Gossip, 1).ok());
            QVERIFY((*book)->ban(QHostAddress(QStringLiteral("::ffff:198.51.100.1")), 1'000'000, QStringLiteral("test"), 10).ok());
            QVERIFY((*book)->ban(QHostAddress(QStringLiteral("198.51.100.2")), 500, QStringLiteral("short"), 10).ok());
        }
        auto book = AddressBook::open(path);
        QVERIFY(book.ok());
        QCOMPARE((*book)->size(), std::size_t(2));
        const AddressEntry *ea = (*book)->find(a);
        QVERIFY(ea);
        QCOMPARE(ea->source, AddressSource::AddNode);
        QCOMPARE(ea->lastSuccessMs, qint64(4000));
        QVERIFY(ea->identity && *ea->identity == id);
        QCOMPARE((*book)->find(b)->failures, 1);
        QVERIFY((*book)->isBanned(QHostAddress(QStringLiteral("198.51.100.1")), 600));
        QVERIFY(!(*book)->isBanned(QHostAddress(QStringLiteral("198.51.100.2")), 600));  // expired
        QCOMPARE((*book)->bans(600).size(), std::size_t(1));
        QCOMPARE((*book)->unban(QHostAddress(QStringLiteral("198.51.100.2"))).error().code, ErrorCode::NotFound);
        QVERIFY((*book)->remove(b).ok());
        QVERIFY((*book)->clearBans().ok());
        QVERIFY(!(*book)->isBanned(QHostAddress(QStringLiteral("198.51.100.1")), 600));
    }

    void handshakeInfoAndMessages()
    {
        TestNode a, b;
        a.start(a.config());
        auto cb = b.config();
        cb.connect.push_back(*parseHostPort(a.endpoint()));
        b.start(cb);
        QTRY_VERIFY_WITH_TIMEOUT(a.connectedTo(b) && b.connectedTo(a), kWait);
        const PeerInfo atB = b.pm->peers().front();
        QCOMPARE(atB.direction, Direction::Outbound);
        QCOMPARE(atB.source, QStringLiteral("connect"));
        QCOMPARE(atB.agent, QStringLiteral("blyan-test"));
        QCOMPARE(atB.listenPort, a.pm->listenPort());
        const PeerInfo atA = a.pm->peers().front();
        QCOMPARE(atA.direction, Direction::Inbound);
        QCOMPARE(atA.address, QHostAddress(QStringLiteral("127.0.0.1")));
        QCOMPARE(atA.listenPort, b.pm->listenPort());
        QCOMPARE(a.readyCalls, 1);

        // Messages go up (Status recorded for getpeerinfo); GetAddr/Addr stay in the peer layer.
        QVERIFY(b.pm->send(atB.id, StatusMsg{12, {}, 10}).ok());
        QVERIFY(b.pm->send(atB.id, Headers{{sampleHeader(1)}}).ok());
        QTRY_COMPARE_WITH_TIMEOUT(a.received.size(), std::size_t(2), kWait);
        QVERIFY(std::holds_alternative<StatusMsg>(a.received[0].second));
        QCOMPARE(a.received[0].first, atA.id);
        QTRY_VERIFY(a.pm->peer(atA.id)->status.has_value());
        QCOMPARE(a.pm->peer(atA.id)->status->height, std::uint64_t(12));
        QCOMPARE(a.pm->peer(atA.id)->status->finalHeight, std::uint64_t(10));
        a.pm->broadcast(Ping{7});  // consumed by the Connection on the other side
        a.pm->broadcast(StatusMsg{3, {}, 3}, atA.id);  // excepted: nobody gets it
        QVERIFY(a.pm->peer(atA.id)->messagesReceived >= 2);
        QVERIFY(a.pm->totalBytesReceived() > 0 && b.pm->totalBytesSent() > 0);
        QCOMPARE(a.pm->send(999, Ping{1}).error().code, ErrorCode::NotFound);

        // addnode: a second add and an unknown remove are errors; remove keeps the connection.
        QCOMPARE(b.pm->addNode(a.endpoint(), AddNodeCommand::Add).error().code, ErrorCode::AlreadyExists);
        QVERIFY(b.pm->addNode(QStringLiteral("127.0.0.1:1"), AddNodeCommand::Add).ok());
        QCOMPARE(b.pm->addedNodes().size(), std::size_t(2));
        QVERIFY(b.pm->addNode(QStringLiteral("127.0.0.1:1"), AddNodeCommand::Remove).ok());
        QCOMPARE(b.pm->addNode(QStringLiteral("127.0.0.1:1"), AddNodeCommand::Remove).error().code, ErrorCode::NotFound);
        QVERIFY(!b.pm->addNode(QStringLiteral("not an address"), AddNodeCommand::Add).ok());

        // The upper layer's own scores add up to a ban of the peer's IP.
        b.pm->misbehaving(atB.id, 60, QStringLiteral("invalid block"));
        QVERIFY(b.pm->peer(atB.id).has_value());
        QCOMPARE(b.pm->peer(atB.id)->banScore, 60);
        b.pm->misbehaving(atB.id, 40, QStringLiteral("another invalid block"));
        QTRY_VERIFY(!b.connectedTo(a));
        QVERIFY(b.book->isBanned(QHostAddress(QStringLiteral("127.0.0.1")), QDateTime::currentMSecsSinceEpoch()));
        QTRY_COMPARE(b.closedCalls, 1);
        QTRY_VERIFY(!a.connectedTo(b));
        QVERIFY(b.pm->unban(QHostAddress(QStringLiteral("127.0.0.1"))).ok());
        QTRY_VERIFY_WITH_TIMEOUT(a.connectedTo(b) && b.connectedTo(a), kWait);  // --connect reconnects
    }

    void addressGossip()
    {
        // a knows only b; c knows only b. a learns c's address through b and dials it.
        TestNode a, b, c;
        b.start(b.config());
        auto cc = c.config();
        cc.connect.push_back(*parseHostPort(b.endpoint()));
        c.start(cc);
        QTRY_VERIFY_WITH_TIMEOUT(b.connectedTo(c), kWait);
        auto ca = a.config();
        ca.connect.push_back(*parseHostPort(b.endpoint()));
        a.start(ca);
        QTRY_VERIFY_WITH_TIMEOUT(a.connectedTo(c) && c.connectedTo(a), kWait);
        // Whichever dialled learned the other through b (b relays a fresh node's address, and answers
        // GetAddr): its book has the address from gossip, dialled with success.
        const PeerAddress cAddr = toPeerAddress(QHostAddress(QStringLiteral("127.0.0.1")), c.pm->listenPort());
        const PeerAddress aAddr = toPeerAddress(QHostAddress(QStringLiteral("127.0.0.1")), a.pm->listenPort());
        const AddressEntry *e = nullptr;
        for (const PeerInfo &p : a.pm->peers())
            if (p.identity == c.key.publicKey()) e = p.direction == Direction::Outbound ? a.book->find(cAddr) : c.book->find(aAddr);
        QVERIFY(e);
        QCOMPARE(e->source, AddressSource::Gossip);
        QVERIFY(e->lastSuccessMs > 0);
    }

    void duplicateConnectionsResolved()
    {
        // Each dials the other: two connections, and both sides drop the same one.
        TestNode a, b;
        a.start(a.config());
        b.start(b.config());
        QVERIFY(a.pm->addNode(b.endpoint(), AddNodeCommand::Add).ok());
        QVERIFY(b.pm->addNode(a.endpoint(), AddNodeCommand::Add).ok());
        QTRY_VERIFY_WITH_TIMEOUT(a.connectedTo(b) && b.connectedTo(a), kWait);
        // Let every dial and reconnect attempt play out, then one connection is left, the same on both.
        QTest::qWait(1500);
        QCOMPARE(a.connectionsTo(b), 1);
        QCOMPARE(b.connectionsTo(a), 1);
        const PeerInfo atA = a.pm->peers().front(), atB = b.pm->peers().front();
        QVERIFY(atA.direction != atB.direction);
        const bool aDialled = atA.direction == Direction::Outbound;
        QCOMPARE(aDialled, a.key.publicKey() < b.key.publicKey());
        QCOMPARE(a.pm->addressBook().bans(QDateTime::currentMSecsSinceEpoch()).size(), std::size_t(0));
    }

    void evictionProtectsAndPicksTheCrowdedGroup()
    {
        QCOMPARE(netGroupOf(QHostAddress(QStringLiteral("203.0.113.7"))), netGroupOf(QHostAddress(QStringLiteral("203.0.9.1"))));
        QVERIFY(netGroupOf(QHostAddress(QStringLiteral("203.0.113.7"))) != netGroupOf(QHostAddress(QStringLiteral("203.1.113.7"))));
        QCOMPARE(netGroupOf(QHostAddress(QStringLiteral("::ffff:203.0.113.7"))), netGroupOf(QHostAddress(QStringLiteral("203.0.1.1"))));
        QCOMPARE(netGroupOf(QHostAddress(QStringLiteral("2001:db8:1:2::1"))), netGroupOf(QHostAddress(QStringLiteral("2001:db8:ffff::9"))));
        QCOMPARE(netGroupOf(QHostAddress(QStringLiteral("127.0.0.5"))), netGroupOf(QHostAddress(QStringLiteral("::1"))));
        // Few peers: all protected (one group, then eight pings), nobody is evicted.
        std::vector<EvictionCandidate> few;
        for (std::uint64_t i = 0; i < 9; ++i) few.push_back({i, qint64(i), qint64(10 + i), 0, QByteArrayLiteral("g")});
        QVERIFY(!selectPeerToEvict(few, 1));
        // 16 honest peers in 16 groups, connected long ago, fast; then 16 from one attacker group, slow and
        // young: the victim is always one of the attacker's, and its youngest left after protection.
        std::vector<EvictionCandidate> c;
        for (std::uint64_t i = 0; i < 16; ++i)
            c.push_back({i, qint64(i), qint64(20 + i), 0, QByteArray("h") + char('a' + i)});
        for (std::uint64_t i = 0; i < 16; ++i)
            c.push_back({100 + i, qint64(1000 + i), qint64(500 + i), 0, QByteArrayLiteral("attacker")});
        for (std::uint64_t salt = 0; salt < 20; ++salt) {
            const auto victim = selectPeerToEvict(c, salt);
            QVERIFY(victim);
            QCOMPARE(*victim, std::uint64_t(115));
        }
        // The peers that last brought something new are kept even when slow and young.
        std::vector<EvictionCandidate> u(c.begin() + 16, c.end());
        for (auto &x : u) x.pingMs = 10'000;
        u[15].lastUsefulMs = 5;  // the youngest
        const auto victim = selectPeerToEvict(u, 3);
        QVERIFY(victim && *victim != 115);
    }

    // 12 inbound slots taken by 12 peers from their own 127.0.0.x: a 13th gets in and one of the 12 is
    // replaced; with 9 slots every peer is protected (one loopback group, eight pings) and a 10th is refused.
    void fullInboundEvictsForANewcomer()
    {
        for (const int slots : {12, 9}) {
            TestNode a;
            PeerManagerConfig cfg = a.config();
            cfg.maxInbound = slots;
            a.start(cfg);
            std::vector<std::unique_ptr<Intruder>> in;
            for (int i = 0; i < slots; ++i) {
                in.push_back(std::make_unique<Intruder>());
                in.back()->dial(QStringLiteral("127.0.0.%1").arg(101 + i), a.pm->listenPort());
                QTRY_VERIFY_WITH_TIMEOUT(in.back()->ready, kWait);
            }
            QTRY_COMPARE_WITH_TIMEOUT(a.pm->inboundCount(), slots, kWait);
            Intruder late;
            late.dial(QStringLiteral("127.0.0.150"), a.pm->listenPort());
            if (slots == 12) {
                QTRY_VERIFY_WITH_TIMEOUT(late.ready, kWait);
                QTRY_VERIFY_WITH_TIMEOUT(std::count_if(in.begin(), in.end(), [](const auto &x) { return !x->closed.isEmpty(); }) == 1, kWait);
                QCOMPARE(a.pm->evicted(), quint64(1));
                QTRY_COMPARE_WITH_TIMEOUT(a.pm->inboundCount(), slots, kWait);
            } else {
                QTRY_VERIFY_WITH_TIMEOUT(!late.closed.isEmpty(), kWait);
                QVERIFY(!late.ready);
                QCOMPARE(a.pm->evicted(), quint64(0));
                QCOMPARE(a.pm->inboundCount(), slots);
            }
            a.stop();
        }
    }

    // A connection that never finishes its handshake holds a slot but is the first to go: 11 peers and one
    // silent socket fill 12 slots, and a newcomer replaces the silent one.
    void stalledHandshakesAreEvictedFirst()
    {
        TestNode a;
        PeerManagerConfig cfg = a.config();
        cfg.maxInbound = 12;
        a.start(cfg);
        std::vector<std::unique_ptr<Intruder>> in;
        for (int i = 0; i < 11; ++i) {
            in.push_back(std::make_unique<Intruder>());
            in.back()->dial(QStringLiteral("127.0.0.%1").arg(101 + i), a.pm->listenPort());
            QTRY_VERIFY_WITH_TIMEOUT(in.back()->ready, kWait);
        }
        const auto pinged = [&] {
            // All 11 ready on the node's side too (an intruder can finish its half first), each ping measured:
            // a peer without a ping ties with the silent socket for the ping protection.
            const auto peers = a.pm->peers();
            return peers.size() == 11 && std::all_of(peers.begin(), peers.end(), [](const PeerInfo &p) { return p.pingMs >= 0; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(pinged(), kWait);
        QTcpSocket silent;
        QVERIFY(silent.bind(QHostAddress(QStringLiteral("127.0.0.140")), 0));
        silent.connectToHost(QHostAddress::LocalHost, a.pm->listenPort());
        QVERIFY(silent.waitForConnected(kWait));
        QTest::qWait(300);  // accepted, handshake pending
        Intruder late;
        late.dial(QStringLiteral("127.0.0.150"), a.pm->listenPort());
        QTRY_VERIFY_WITH_TIMEOUT(late.ready, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, kWait);
        QCOMPARE(a.pm->evicted(), quint64(1));
        for (const auto &x : in) QVERIFY2(x->closed.isEmpty(), qPrintable(x->closed));
        a.stop();
    }

    void badPeersAreBannedAndRemembered()
    {
        TestNode a;
        a.start(a.config(QStringLiteral("127.0.0.1")));
        const quint16 port = a.pm->listenPort();
        const auto banned = [&](const char *ip) {
            return a.book->isBanned(QHostAddress(QString::fromLatin1(ip)), QDateTime::currentMSecsSinceEpoch());
        };

        // Garbage in a frame after the handshake.
        Intruder garbage;
        garbage.dial(QStringLiteral("127.0.0.2"), port);
        QTRY_VERIFY_WITH_TIMEOUT(garbage.ready, kWait);
        QVERIFY(garbage.conn->sendFrame(Bytes{0xee, 1, 2, 3}).ok());
        QTRY_VERIFY_WITH_TIMEOUT(banned("127.0.0.2"), kWait);
        QTRY_VERIFY(!garbage.closed.isEmpty());

        // A frame header announcing more than any message may be.
        Intruder oversized;
        oversized.dial(QStringLiteral("127.0.0.3"), port);
        QTRY_VERIFY_WITH_TIMEOUT(oversized.ready, kWait);
        const char header[4] = {0, 0, 0, 0x7f};
        oversized.conn->socket()->write(header, 4);
        QTRY_VERIFY_WITH_TIMEOUT(banned("127.0.0.3"), kWait);

        // An Auth whose signature does not verify (a raw handshake written here).
        {
            QTcpSocket raw;
            QVERIFY(raw.bind(QHostAddress(QStringLiteral("127.0.0.4")), 0));
            raw.connectToHost(QHostAddress::LocalHost, port);
            QVERIFY(raw.waitForConnected(kWait));
            const auto eph = crypto::X25519KeyPair::generate();
            Hello h;
            h.networkId = kNet;
            h.genesis = genesis();
            h.ephemeral = eph.publicKey;
            const Bytes ours = encodeHello(h);
            raw.write(reinterpret_cast<const char *>(ours.data()), static_cast<qint64>(ours.size()));
            QTRY_VERIFY_WITH_TIMEOUT(raw.bytesAvailable() >= static_cast<qint64>(kHelloSize), kWait);
            const QByteArray theirsRaw = raw.read(kHelloSize);
            const Bytes theirs(theirsRaw.begin(), theirsRaw.end());
            auto keys = crypto::clientSessionKeys(eph, decodeHello(theirs)->ephemeral);
            QVERIFY(keys.ok());
            const auto forger = crypto::KeyPair::generate();
            Auth auth = makeAuth(forger, true, transcriptHash(ours, theirs), 0, "forger");
            auth.signature[5] ^= 0x20;
            FrameCipher tx(std::move(keys->tx));
            const Bytes frame = *tx.seal(encodeAuth(auth));
            raw.write(reinterpret_cast<const char *>(frame.data()), static_cast<qint64>(frame.size()));
            QTRY_VERIFY_WITH_TIMEOUT(banned("127.0.0.4"), kWait);
        }

        // A flood over the message rate limit.
        Intruder flood;
        flood.dial(QStringLiteral("127.0.0.5"), port);
        QTRY_VERIFY_WITH_TIMEOUT(flood.ready, kWait);
        for (int i = 0; i < 6000 && flood.closed.isEmpty(); ++i) (void)flood.conn->send(Ping{static_cast<std::uint64_t>(i) + 1});
        QTRY_VERIFY_WITH_TIMEOUT(banned("127.0.0.5"), kWait);
        const auto bans = a.pm->bans();
        QCOMPARE(bans.size(), std::size_t(4));
        QVERIFY(std::any_of(bans.begin(), bans.end(), [](const BanEntry &b) { return b.reason.contains(QStringLiteral("rate")); }));
        QCOMPARE(a.pm->peers().size(), std::size_t(0));
        QCOMPARE(a.readyCalls, 3);  // garbage, oversized, flood finished their handshakes; the forger did not

        // A restart remembers, and a banned address is refused at accept: no handshake at all.
        a.stop();
        a.start(a.config(QStringLiteral("127.0.0.1")));
        QVERIFY(banned("127.0.0.2") && banned("127.0.0.5"));
        Intruder again;
        again.dial(QStringLiteral("127.0.0.2"), a.pm->listenPort());
        QTRY_VERIFY_WITH_TIMEOUT(!again.closed.isEmpty(), kWait);
        QVERIFY(!again.ready);
        QTRY_COMPARE(a.pm->refusedBanned(), quint64(1));
        // An honest node from another address still gets in.
        Intruder honest;
        honest.dial(QStringLiteral("127.0.0.6"), a.pm->listenPort());
        QTRY_VERIFY_WITH_TIMEOUT(honest.ready, kWait);
        QVERIFY(a.pm->clearBans().ok());
        QCOMPARE(a.pm->bans().size(), std::size_t(0));
    }

    void byteRateLimitThrottles()
    {
        TestNode a;
        auto ca = a.config();
        ca.receiveBytesPerSecond = 512 * 1024;
        ca.receiveByteBurst = 64 * 1024;
        a.start(ca);
        Intruder sender;
        sender.dial(QStringLiteral("127.0.0.7"), a.pm->listenPort());
        QTRY_VERIFY_WITH_TIMEOUT(sender.ready, kWait);
        Headers big;
        for (std::uint64_t h = 0; h < kMaxHeadersPerMessage; ++h) big.headers.push_back(sampleHeader(h));
        for (int i = 0; i < 3; ++i) QVERIFY(sender.conn->send(big).ok());  // about 1.3 MB
        QTRY_COMPARE_WITH_TIMEOUT(a.received.size(), std::size_t(3), 60000);
        const PeerInfo p = a.pm->peers().front();
        QVERIFY(p.throttled > 0);
        QCOMPARE(p.banScore, 0);
    }

    void lanDiscoveryOnLoopback()
    {
        // Both listen for and broadcast to 127.255.255.255 on one UDP port; each finds the other,
        // dials it, and the duplicate connection that results is resolved.
        const quint16 udp = freeUdpPort();
        TestNode a, b, outsider;
        const auto withDiscovery = [udp](PeerManagerConfig c) {
            c.discover = true;
            c.discoverPort = udp;
            c.discoverTargets = {QHostAddress(QStringLiteral("127.255.255.255"))};
            c.discoverIntervalMs = 300;
            return c;
        };
        a.start(withDiscovery(a.config()));
        b.start(withDiscovery(b.config()));
        // Another chain on the same port is heard and ignored.
        auto co = withDiscovery(outsider.config());
        co.local.genesis[1] = 9;
        outsider.start(co);
        QVERIFY(a.pm->discoveryActive() && b.pm->discoveryActive());
        QTRY_VERIFY_WITH_TIMEOUT(a.connectedTo(b) && b.connectedTo(a), kWait);
        QTest::qWait(1000);
        QCOMPARE(a.connectionsTo(b), 1);
        QCOMPARE(b.connectionsTo(a), 1);
        QVERIFY(!a.connectedTo(outsider) && !outsider.connectedTo(a));
        const PeerAddress bAddr = toPeerAddress(QHostAddress(QStringLiteral("127.0.0.1")), b.pm->listenPort());
        const AddressEntry *e = a.book->find(bAddr);
        QVERIFY(e && e->identity && *e->identity == b.key.publicKey());
    }
};

QTEST_GUILESS_MAIN(TestP2pPeers)
#include "test_p2p_peers.moc"
