// The P2P transport: message codec round trips and strict refusals, the handshake rules, frame
// encryption, and real Connections over loopback TCP: a good handshake, another genesis, a forged Auth,
// an oversized frame, a malformed message and a tampered frame (each refused, the bad ones with a ban
// score).

#include "chain/tx_kinds/transfer.h"
#include "p2p/connection.h"
#include "util/codec.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace blyan;
using namespace blyan::p2p;

namespace {

chain::Block sampleBlock(const crypto::KeyPair &key)
{
    chain::Transaction tx;
    tx.networkId = 7;
    tx.kind = static_cast<std::uint8_t>(chain::TxKind::Transfer);
    tx.nonce = 3;
    tx.fee = 1000;
    chain::TransferBody body;
    body.to[0] = 9;
    body.amount = 5;
    tx.body = body.encode();
    chain::signTransaction(tx, key);
    chain::Block b;
    b.header.height = 4;
    b.header.slot = 9;
    b.header.timeMs = 1700000000000;
    b.transactions.push_back(tx);
    b.header.txRoot = chain::computeTxRoot(b.transactions);
    chain::signBlock(b.header, key);
    return b;
}

// One side of a loopback connection pair and what it saw.
struct Side {
    Connection *conn = nullptr;
    bool ready = false;
    QString closedReason;
    int score = 0;
    std::vector<Message> received;
    void attach(Connection *c)
    {
        conn = c;
        c->onReady = [this] { ready = true; };
        c->onMessage = [this](const Message &m) { received.push_back(m); };
        c->onMisbehaviour = [this](int s, const QString &) { score += s; };
        c->onClosed = [this](const QString &r) { closedReason = r.isEmpty() ? QStringLiteral("closed") : r; };
    }
};

struct Pair {
    QTcpServer server;
    Side client, serverSide;
    crypto::KeyPair clientKey = crypto::KeyPair::generate();
    crypto::KeyPair serverKey = crypto::KeyPair::generate();
    std::unique_ptr<Connection> c, s;

    void open(LocalNode clientLocal, LocalNode serverLocal)
    {
        QVERIFY(server.listen(QHostAddress::LocalHost));
        clientLocal.identity = &clientKey;
        serverLocal.identity = &serverKey;
        auto *sock = new QTcpSocket;
        c = std::make_unique<Connection>(sock, Direction::Outbound, clientLocal);
        client.attach(c.get());
        sock->connectToHost(QHostAddress::LocalHost, server.serverPort());
        c->start();
        QVERIFY(server.waitForNewConnection(5000));
        s = std::make_unique<Connection>(server.nextPendingConnection(), Direction::Inbound, serverLocal);
        serverSide.attach(s.get());
        s->start();
    }
};

LocalNode local(std::uint32_t net = 7, std::uint8_t genesisByte = 1)
{
    LocalNode l;
    l.networkId = net;
    l.genesis[0] = genesisByte;
    l.listenPort = 4321;
    l.agent = "blyan-test";
    return l;
}

}  // namespace

class TestP2p : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void messagesRoundTrip()
    {
        const auto key = crypto::KeyPair::generate();
        const chain::Block b = sampleBlock(key);
        std::vector<Message> all = {Ping{1}, Pong{~0ull}, StatusMsg{5, b.header.parent, 3},
                                    GetHeaders{{chain::blockId(b.header), {}}, 100}, Headers{{b.header, b.header}},
                                    GetBlocks{{chain::blockId(b.header)}}, BlockMsg{b}, TxMsg{b.transactions[0]},
                                    GetAddr{}, Addr{{PeerAddress{{}, 4321}}}, NotFound{{b.header.txRoot}}};
        chain::Vote v;
        v.networkId = 7;
        v.sourceHeight = 3;
        v.targetHeight = 4;
        chain::signVote(v, key);
        all.push_back(VoteMsg{v});
        all.push_back(GetFinality{});
        all.push_back(Finality{{v, v}});
        all.push_back(GetChunk{b.header.txRoot, 9});
        all.push_back(Chunk{b.header.txRoot, 9, false, {}, {}});
        all.push_back(Chunk{b.header.txRoot, 2, true, Bytes(100, 7), {b.header.txRoot, b.header.parent}});
        for (const auto &m : all) {
            const Bytes enc = encodeMessage(m);
            auto dec = decodeMessage(enc);
            QVERIFY2(dec.ok(), dec.ok() ? "" : dec.error().message.c_str());
            QVERIFY(*dec == m);
            QCOMPARE(encodeMessage(*dec), enc);
            // Every truncation and one trailing byte are refused.
            for (std::size_t n = 0; n < enc.size(); ++n) QVERIFY(!decodeMessage(ByteView(enc.data(), n)).ok());
            Bytes longer = enc;
            longer.push_back(0);
            QVERIFY(!decodeMessage(longer).ok());
        }
    }

    void messageLimits()
    {
        // Unknown type, Auth outside the handshake, counts over their limits, a final height above the tip.
        QVERIFY(!decodeMessage(Bytes{99}).ok());
        QVERIFY(!decodeMessage(Bytes{1}).ok());
        Writer w;
        w.u8(static_cast<std::uint8_t>(MsgType::Headers));
        w.varint(kMaxHeadersPerMessage + 1);
        auto e = decodeMessage(w.data());
        QVERIFY(!e.ok());
        QVERIFY2(e.error().message.find("Headers.count") != std::string::npos, e.error().message.c_str());
        Writer g;
        g.u8(static_cast<std::uint8_t>(MsgType::GetBlocks));
        g.varint(1000000);  // claims a million ids in a tiny frame: refused before allocating
        QVERIFY(!decodeMessage(g.data()).ok());
        Writer st;
        st.u8(static_cast<std::uint8_t>(MsgType::Status));
        st.u64(1);
        st.raw(crypto::Hash256{});
        st.u64(2);
        QVERIFY(!decodeMessage(st.data()).ok());
        Bytes huge(kMaxMessageSize + 1, 0);
        huge[0] = static_cast<std::uint8_t>(MsgType::Block);
        QCOMPARE(decodeMessage(huge).error().code, ErrorCode::LimitExceeded);
    }

    void helloAndAuthRules()
    {
        Hello h;
        h.networkId = 7;
        h.genesis[3] = 1;
        h.ephemeral[0] = 5;
        const Bytes enc = encodeHello(h);
        QCOMPARE(enc.size(), kHelloSize);
        QVERIFY(*decodeHello(enc) == h);
        Bytes bad = enc;
        bad[0] = 'X';
        QVERIFY(!decodeHello(bad).ok());
        Hello other = h;
        other.networkId = 8;
        QVERIFY(!checkHello(other, h).ok());
        other = h;
        other.genesis[3] = 2;
        QVERIFY(checkHello(other, h).error().message.find("genesis") != std::string::npos);
        other = h;
        other.version = 2;
        QVERIFY(!checkHello(other, h).ok());

        const auto a = crypto::KeyPair::generate(), b = crypto::KeyPair::generate();
        const crypto::Hash256 t = transcriptHash(enc, enc);
        const Auth auth = makeAuth(a, true, t, 4321, "agent");
        QVERIFY(*decodeAuth(encodeAuth(auth)) == auth);
        QVERIFY(checkAuth(auth, true, t, b.publicKey()).ok());
        QVERIFY(!checkAuth(auth, false, t, b.publicKey()).ok());  // reflected: wrong role
        crypto::Hash256 t2 = t;
        t2[0] ^= 1;
        QVERIFY(!checkAuth(auth, true, t2, b.publicKey()).ok());  // replayed into another session
        QCOMPARE(checkAuth(auth, true, t, a.publicKey()).error().code, ErrorCode::AlreadyExists);
    }

    void frames()
    {
        const auto key = [] {
            crypto::SecureBytes k(32);
            k.data()[0] = 1;
            return k;
        };
        FrameCipher tx(key()), rx(key());
        const Bytes msg = encodeMessage(Ping{42});
        for (int i = 0; i < 3; ++i) {
            const Bytes f = *tx.seal(msg);
            auto len = frameLength(ByteView(f.data(), 4), 1000);
            QCOMPARE(*len, f.size() - 4);
            QCOMPARE(*rx.open(ByteView(f.data(), 4), ByteView(f.data() + 4, *len)), msg);
        }
        // A replayed frame (counter moved on) and a changed length header do not open.
        FrameCipher tx2(key()), rx2(key());
        const Bytes f1 = *tx2.seal(msg);
        QVERIFY(rx2.open(ByteView(f1.data(), 4), ByteView(f1.data() + 4, f1.size() - 4)).ok());
        QVERIFY(!rx2.open(ByteView(f1.data(), 4), ByteView(f1.data() + 4, f1.size() - 4)).ok());
        QVERIFY(!frameLength(Bytes{0xff, 0xff, 0xff, 0x7f}, 1000).ok());
        QVERIFY(!frameLength(Bytes{3, 0, 0, 0}, 1000).ok());
    }

    void handshakeAndMessages()
    {
        Pair p;
        p.open(local(), local());
        QTRY_VERIFY(p.client.ready && p.serverSide.ready);
        QCOMPARE(p.c->peerIdentity(), p.serverKey.publicKey());
        QCOMPARE(p.s->peerIdentity(), p.clientKey.publicKey());
        QCOMPARE(p.s->peerListenPort(), quint16(4321));
        QCOMPARE(p.s->peerAgent(), QStringLiteral("blyan-test"));
        const chain::Block b = sampleBlock(p.clientKey);
        QVERIFY(p.c->send(BlockMsg{b}).ok());
        QVERIFY(p.s->send(StatusMsg{10, {}, 9}).ok());
        QTRY_COMPARE(p.serverSide.received.size(), std::size_t(1));
        QTRY_COMPARE(p.client.received.size(), std::size_t(1));
        QVERIFY(std::get<BlockMsg>(p.serverSide.received[0]).block == b);
        QCOMPARE(std::get<StatusMsg>(p.client.received[0]).height, std::uint64_t(10));
        QVERIFY(p.c->bytesSent() > chain::encodeBlock(b).size());
        QCOMPARE(p.client.score + p.serverSide.score, 0);
    }

    void otherGenesisIsRefusedWithoutScore()
    {
        Pair p;
        p.open(local(7, 1), local(7, 2));
        QTRY_VERIFY(!p.client.closedReason.isEmpty() && !p.serverSide.closedReason.isEmpty());
        QVERIFY2(p.client.closedReason.contains(QStringLiteral("genesis")), qPrintable(p.client.closedReason));
        QVERIFY(!p.client.ready && !p.serverSide.ready);
        QCOMPARE(p.client.score + p.serverSide.score, 0);
        Pair q;
        q.open(local(7, 1), local(8, 1));
        QTRY_VERIFY(q.client.closedReason.contains(QStringLiteral("network")));
    }

    void malformedMessageIsBanScore()
    {
        Pair p;
        p.open(local(), local());
        QTRY_VERIFY(p.client.ready && p.serverSide.ready);
        QVERIFY(p.c->sendFrame(Bytes{static_cast<std::uint8_t>(MsgType::Status), 1, 2}).ok());
        QTRY_VERIFY(!p.serverSide.closedReason.isEmpty());
        QCOMPARE(p.serverSide.score, kBanScore);
        QVERIFY2(p.serverSide.closedReason.contains(QStringLiteral("Status")), qPrintable(p.serverSide.closedReason));
    }

    void oversizedFrameIsBanScore()
    {
        Pair p;
        p.open(local(), local());
        QTRY_VERIFY(p.client.ready && p.serverSide.ready);
        // A header announcing 64 MiB: refused from the header, before any of it is buffered.
        const char header[4] = {0, 0, 0, 4};
        p.c->socket()->write(header, 4);
        QTRY_VERIFY(!p.serverSide.closedReason.isEmpty());
        QCOMPARE(p.serverSide.score, kBanScore);
        QVERIFY(p.serverSide.closedReason.contains(QStringLiteral("over the limit")));
    }

    void tamperedFrameIsBanScore()
    {
        Pair p;
        p.open(local(), local());
        QTRY_VERIFY(p.client.ready && p.serverSide.ready);
        // A well-formed length and garbage instead of ciphertext: the tag fails.
        QByteArray junk(4 + 40, 'x');
        junk[0] = 40;
        junk[1] = junk[2] = junk[3] = 0;
        p.c->socket()->write(junk);
        QTRY_VERIFY(!p.serverSide.closedReason.isEmpty());
        QCOMPARE(p.serverSide.score, kBanScore);
    }

    void sendBacklogOverflowClosesFromTheEventLoop()
    {
        // A peer that does not read: once the send backlog is over kMaxSendBacklog, send() fails, but the
        // close (and onClosed, which the peer layer turns into onPeerClosed) must not run inside send():
        // callers send while iterating their per-peer maps (the sync timer, broadcasts, GetBlocks answers)
        // and a synchronous onClosed erased entries under their iterators.
        Pair p;
        p.open(local(), local());
        QTRY_VERIFY(p.client.ready && p.serverSide.ready);
        const Chunk big{{}, 0, true, Bytes(storage::kChunkSize, 7), {}};
        bool failed = false;
        // No event loop turn between the sends: nothing leaves Qt's write buffer.
        for (int i = 0; i < 200 && !failed; ++i) failed = !p.s->send(big).ok();
        QVERIFY(failed);
        QVERIFY2(p.serverSide.closedReason.isEmpty(), "onClosed ran inside send()");
        QVERIFY(!p.s->send(Ping{1}).ok());  // nothing more is queued meanwhile
        QTRY_VERIFY(p.serverSide.closedReason.contains(QStringLiteral("does not read")));
        QCOMPARE(p.serverSide.score, 0);
    }

    void garbageInsteadOfHelloCloses()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(server.waitForNewConnection(5000));
        const auto key = crypto::KeyPair::generate();
        LocalNode l = local();
        l.identity = &key;
        Side side;
        Connection conn(server.nextPendingConnection(), Direction::Inbound, l);
        side.attach(&conn);
        conn.start();
        raw.write(QByteArray(static_cast<int>(kHelloSize), 'G'));
        QTRY_VERIFY(side.closedReason.contains(QStringLiteral("magic")));
        QVERIFY(!side.ready);
    }
};

QTEST_GUILESS_MAIN(TestP2p)
#include "test_p2p.moc"
