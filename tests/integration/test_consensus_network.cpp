// Several real blyand processes on 127.0.0.1 keep one chain (issue 8): four validators from a genesis made
// by `blyan-cli createtestnet` finalise blocks; a fifth node joins late and syncs every block and every
// object payload (a model imported on a validator); a killed validator does not stop the chain, and
// finality resumes when enough of them are back; peers that send malformed, oversized or wrongly signed
// messages are banned while sync goes on; two validators whose double votes reach the network are
// slashed by evidence. Every wait has a deadline, and every process is stopped at the end.

#include "process_helpers.h"

#include "chain/address.h"
#include "chain/vote.h"
#include "crypto/ed25519.h"
#include "p2p/connection.h"
#include "util/bytes.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <array>
#include <functional>
#include <memory>
#include <optional>

using namespace blyan;

namespace {

constexpr int kValidators = 4;
constexpr int kNodes = 5;  // the fifth is an observer that joins late (the faucet's key: it holds BLY)

}  // namespace

class TestConsensusNetwork : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString genesis_;
    std::array<QString, kNodes> dirs_;
    std::array<quint16, kNodes> rpc_{}, p2p_{};
    std::array<QProcess *, kNodes> procs_{};

    // Each node on its own loopback address, as on separate machines: a ban is per IP, so one node's ban
    // of another never cuts off the rest.
    static QString ip(int i) { return QStringLiteral("127.0.0.%1").arg(20 + i); }
    QString endpoint(int i) const { return QStringLiteral("%1:%2").arg(ip(i)).arg(p2p_[i]); }
    QStringList nodeArgs(int i) const
    {
        QStringList a{QStringLiteral("--network"), QStringLiteral("testnet"), QStringLiteral("--genesis"), genesis_,
                      QStringLiteral("--port"), QString::number(p2p_[i]), QStringLiteral("--bind"), ip(i)};
        // Validators know each other; the observer knows only validator 2, so everything it gets that
        // validator 1 made (blocks, payloads) comes through another node.
        if (i < kValidators) {
            for (int j = 0; j < kValidators; ++j)
                if (j != i) a << QStringLiteral("--connect") << endpoint(j);
        } else {
            a << QStringLiteral("--connect") << endpoint(1);
        }
        a << QStringLiteral("--discover=0");
        return a;
    }
    void start(int i)
    {
        procs_[i] = new QProcess(this);
        startBlyand(*procs_[i], dirs_[i], rpc_[i], nodeArgs(i));
    }
    void kill(int i)
    {
        procs_[i]->kill();
        procs_[i]->waitForFinished(10000);
        procs_[i]->deleteLater();
        procs_[i] = nullptr;
    }
    ProcResult cli(int i, const QStringList &args)
    {
        return runTool(QStringLiteral("blyan-cli"),
                       QStringList{QStringLiteral("--network"), QStringLiteral("testnet")} + blyandArgs(dirs_[i], rpc_[i]) + args, 60000);
    }
    QJsonObject call(int i, const QStringList &args)
    {
        const ProcResult r = cli(i, args);
        if (r.exitCode != 0) qWarning("node %d: blyan-cli %s failed: %s", i + 1, qPrintable(args.join(' ')), r.err.constData());
        return QJsonDocument::fromJson(r.out).object();
    }
    QJsonObject info(int i) { return call(i, {QStringLiteral("getconsensusinfo")}); }
    qint64 finalHeight(int i) { return info(i).value(QStringLiteral("final")).toObject().value(QStringLiteral("height")).toInteger(-1); }
    qint64 height(int i) { return info(i).value(QStringLiteral("head")).toObject().value(QStringLiteral("height")).toInteger(-1); }
    // Polls `ok` every 300 ms until it holds or `seconds` pass.
    bool waitUntil(int seconds, const std::function<bool()> &ok)
    {
        QDeadlineTimer deadline(seconds * 1000);
        while (!deadline.hasExpired()) {
            if (ok()) return true;
            QThread::msleep(300);
        }
        return ok();
    }
    QString blockHash(int i, qint64 h)
    {
        const ProcResult r = cli(i, {QStringLiteral("getblockhash"), QString::number(h)});
        return QString::fromUtf8(r.out).trimmed();
    }
    crypto::KeyPair validatorKey(int i)
    {
        QFile f(dirs_[i] + QStringLiteral("/node.key"));
        if (!f.open(QIODevice::ReadOnly)) return crypto::KeyPair::generate();
        const QByteArray seed = f.readAll();
        auto s = crypto::SecureBytes::copyOf(ByteView(reinterpret_cast<const std::uint8_t *>(seed.constData()), static_cast<std::size_t>(seed.size())));
        auto key = crypto::KeyPair::fromSeed(s);
        return key.ok() ? std::move(*key) : crypto::KeyPair::generate();
    }

    // A peer that speaks the protocol from its own loopback address (127.0.0.x: a ban of it bans no real
    // node) and then breaks a rule; returns once the node has closed the connection.
    void misbehave(int node, const QString &fromIp, const std::function<void(p2p::Connection &)> &act)
    {
        const crypto::KeyPair identity = crypto::KeyPair::generate();
        auto genesisHex = crypto::hashFromHex(blockHash(node, 0).toStdString());
        QVERIFY(genesisHex.ok());
        p2p::LocalNode local{&identity, networkParams(Network::Testnet).networkId, *genesisHex, 0, "misbehaving-test-peer"};
        auto *socket = new QTcpSocket;
        QVERIFY2(socket->bind(QHostAddress(fromIp), 0), qPrintable(socket->errorString()));
        p2p::Connection conn(socket, p2p::Direction::Outbound, local);
        bool ready = false, closed = false;
        conn.onReady = [&] { ready = true; };
        conn.onClosed = [&](const QString &) { closed = true; };
        conn.onMessage = [](const p2p::Message &) {};
        conn.onMisbehaviour = [](int, const QString &) {};
        socket->connectToHost(QHostAddress(ip(node)), p2p_[node]);
        conn.start();
        QTRY_VERIFY_WITH_TIMEOUT(ready || closed, 15000);
        QVERIFY2(ready, "the handshake with the node did not finish");
        act(conn);
        QTRY_VERIFY_WITH_TIMEOUT(closed, 15000);
    }
    // A peer from `fromIp` that completes the handshake with `node` and stays connected; `onMessage` sees
    // what the node sends it (and may answer through the connection).
    struct Peer {
        crypto::KeyPair identity = crypto::KeyPair::generate();
        std::unique_ptr<p2p::Connection> conn;
        bool ready = false, closed = false;
        std::optional<p2p::StatusMsg> nodeStatus;
    };
    std::unique_ptr<Peer> connectPeer(int node, const QString &fromIp, std::function<void(Peer &, const p2p::Message &)> onMessage)
    {
        auto peer = std::make_unique<Peer>();
        auto genesis = crypto::hashFromHex(blockHash(node, 0).toStdString());
        if (!genesis.ok()) return nullptr;
        p2p::LocalNode local{&peer->identity, networkParams(Network::Testnet).networkId, *genesis, 0, "lying-test-peer"};
        auto *socket = new QTcpSocket;
        if (!socket->bind(QHostAddress(fromIp), 0)) return nullptr;
        peer->conn = std::make_unique<p2p::Connection>(socket, p2p::Direction::Outbound, local);
        Peer *raw = peer.get();
        peer->conn->onReady = [raw] { raw->ready = true; };
        peer->conn->onClosed = [raw](const QString &) { raw->closed = true; };
        peer->conn->onMessage = [raw, onMessage](const p2p::Message &m) {
            if (const auto *st = std::get_if<p2p::StatusMsg>(&m)) raw->nodeStatus = *st;
            if (onMessage) onMessage(*raw, m);
        };
        peer->conn->onMisbehaviour = [](int, const QString &) {};
        socket->connectToHost(QHostAddress(ip(node)), p2p_[node]);
        peer->conn->start();
        return peer;
    }
    // waitUntil with this process's event loop running (for the test's own peers).
    bool waitEvents(int seconds, const std::function<bool()> &ok)
    {
        QDeadlineTimer deadline(seconds * 1000);
        while (!deadline.hasExpired()) {
            if (ok()) return true;
            QTest::qWait(300);
        }
        return ok();
    }
    bool banned(int node, const QString &ip)
    {
        const QJsonDocument d = QJsonDocument::fromJson(cli(node, {QStringLiteral("listbanned")}).out);
        for (const auto &b : d.array())
            if (b.toObject().value(QStringLiteral("address")).toString().contains(ip)) return true;
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        const QString net = tmp_.filePath(QStringLiteral("net"));
        const ProcResult made = runTool(QStringLiteral("blyan-cli"), {QStringLiteral("createtestnet"), net, QString::number(kValidators)});
        QVERIFY2(made.exitCode == 0, made.err.constData());
        genesis_ = net + QStringLiteral("/genesis.json");
        for (int i = 0; i < kNodes; ++i) {
            dirs_[i] = i < kValidators ? net + QStringLiteral("/validator%1").arg(i + 1) : net + QStringLiteral("/faucet");
            rpc_[i] = freePort();
            p2p_[i] = freePort();
        }
        for (int i = 0; i < kValidators; ++i) start(i);
    }

    void cleanupTestCase()
    {
        for (int i = 0; i < kNodes; ++i)
            if (procs_[i]) {
                cli(i, {QStringLiteral("stop")});
                procs_[i]->waitForFinished(30000);
            }
    }

    void fourValidatorsFinaliseOneChain()
    {
        QVERIFY2(waitUntil(90, [&] {
                     for (int i = 0; i < kValidators; ++i)
                         if (finalHeight(i) < 3) return false;
                     return true;
                 }),
                 "the four validators did not all reach final height 3");
        // One chain: the same block at the lowest final height everyone has.
        qint64 common = finalHeight(0);
        for (int i = 1; i < kValidators; ++i) common = std::min(common, finalHeight(i));
        const QString h = blockHash(0, common);
        for (int i = 1; i < kValidators; ++i) QCOMPARE(blockHash(i, common), h);
        const QJsonObject c = info(0);
        QCOMPARE(c.value(QStringLiteral("validators")).toArray().size(), kValidators);
        QCOMPARE(c.value(QStringLiteral("role")).toString(), QStringLiteral("validator"));
        // The proposers are drawn by stake (equal here): over 16 blocks at least three of the four appear (all
        // 16 from one pair of validators would happen about once in 10,000 runs).
        QVERIFY(waitUntil(90, [&] { return height(0) >= 16; }));
        QSet<QString> proposers;
        for (qint64 b = 1; b <= 16; ++b)
            proposers.insert(call(0, {QStringLiteral("getblock"), QString::number(b)}).value(QStringLiteral("proposer")).toString());
        QVERIFY2(proposers.size() >= 3, "fewer than three validators proposed blocks");
    }

    void aLateNodeSyncsBlocksAndPayloads()
    {
        // A small model published on validator 1: every payload must reach the late node.
        const QString model = tmp_.filePath(QStringLiteral("model"));
        const ProcResult m = runTool(QStringLiteral("blyan-engine"),
                                     {QStringLiteral("make-test-model"), QStringLiteral("--arch"), QStringLiteral("qwen3_moe"),
                                      QStringLiteral("--out"), model, QStringLiteral("--experts"), QStringLiteral("4"),
                                      QStringLiteral("--seed"), QStringLiteral("5")});
        QVERIFY2(m.exitCode == 0, m.err.constData());
        call(0, {QStringLiteral("importmodel"), model});
        QVERIFY2(waitUntil(240, [&] {
                     return call(0, {QStringLiteral("getmodel")}).value(QStringLiteral("import")).toObject().value(QStringLiteral("phase")).toString() ==
                            QLatin1String("done");
                 }),
                 qPrintable(QJsonDocument(call(0, {QStringLiteral("getmodel")})).toJson()));
        const qint64 objects = call(0, {QStringLiteral("getmodel")}).value(QStringLiteral("model")).toObject()
                                   .value(QStringLiteral("components")).toObject().value(QStringLiteral("total")).toInteger();
        QVERIFY(objects > 8);
        const qint64 target = height(0);

        start(4);
        QVERIFY2(waitUntil(180, [&] { return height(4) >= target && finalHeight(4) >= target - 2; }),
                 qPrintable(QJsonDocument(info(4)).toJson()));
        QCOMPARE(blockHash(4, target), blockHash(0, target));
        // The model spec and every component, with its payload, on the late node too.
        const QJsonObject mine = call(4, {QStringLiteral("getmodel"), QStringLiteral("true")});
        const QJsonObject comps = mine.value(QStringLiteral("model")).toObject().value(QStringLiteral("components")).toObject();
        QCOMPARE(comps.value(QStringLiteral("total")).toInteger(), objects);
        QCOMPARE(comps.value(QStringLiteral("missing_payloads")).toInteger(), qint64(0));
        const QJsonObject stats = info(4).value(QStringLiteral("stats")).toObject();
        QVERIFY(stats.value(QStringLiteral("payloads_completed")).toInteger() >= objects);
        QVERIFY(stats.value(QStringLiteral("chunks_received")).toInteger() >= objects);
    }

    void aKilledValidatorDoesNotStopTheChain()
    {
        kill(1);
        const qint64 h0 = height(0), f0 = finalHeight(0);
        // Three of four (75 % of the stake): blocks and finality go on.
        QVERIFY2(waitUntil(60, [&] { return height(0) >= h0 + 3 && finalHeight(0) >= f0 + 2; }), "the chain stopped with one validator down");
        kill(2);
        // Two of four: blocks still come (half the slots), finality cannot.
        const qint64 stalled = finalHeight(0) + 1;  // one more may still finish from votes already sent
        const qint64 h1 = height(0);
        QVERIFY2(waitUntil(60, [&] { return height(0) >= h1 + 3; }), "no blocks with two validators down");
        QVERIFY(finalHeight(0) <= stalled);
        start(2);
        QVERIFY2(waitUntil(90, [&] { return finalHeight(0) > stalled + 1 && finalHeight(2) > stalled + 1; }),
                 "finality did not resume when the third validator came back");
        start(1);
        QVERIFY(waitUntil(90, [&] { return finalHeight(1) >= finalHeight(0) - 1; }));
    }

    void misbehavingPeersAreBannedWhileSyncGoesOn()
    {
        const qint64 before = height(4);
        // Garbage where a message should be.
        misbehave(3, QStringLiteral("127.0.0.66"), [](p2p::Connection &c) { (void)c.sendFrame(Bytes{0xee, 1, 2, 3}); });
        QVERIFY(waitUntil(10, [&] { return banned(3, QStringLiteral("127.0.0.66")); }));
        // A frame whose header announces more than any message may be.
        misbehave(3, QStringLiteral("127.0.0.67"), [](p2p::Connection &c) {
            const Bytes header{0xff, 0xff, 0xff, 0x7f};
            c.socket()->write(reinterpret_cast<const char *>(header.data()), static_cast<qint64>(header.size()));
        });
        QVERIFY(waitUntil(10, [&] { return banned(3, QStringLiteral("127.0.0.67")); }));
        // A block whose proposer signature does not verify.
        misbehave(3, QStringLiteral("127.0.0.68"), [&](p2p::Connection &c) {
            chain::Block b;
            b.header.height = 999999;
            b.header.slot = 1;
            b.header.proposer = crypto::KeyPair::generate().publicKey();
            (void)c.send(p2p::BlockMsg{b});
        });
        QVERIFY(waitUntil(10, [&] { return banned(3, QStringLiteral("127.0.0.68")); }));
        // A banned address is refused at once on its next try.
        const crypto::KeyPair id = crypto::KeyPair::generate();
        QTcpSocket again;
        QVERIFY(again.bind(QHostAddress(QStringLiteral("127.0.0.66")), 0));
        again.connectToHost(QHostAddress(ip(3)), p2p_[3]);
        QTRY_VERIFY_WITH_TIMEOUT(again.state() == QAbstractSocket::UnconnectedState, 15000);
        // The real nodes were not hurt: the observer keeps syncing.
        QVERIFY(waitUntil(60, [&] { return height(4) >= before + 3; }));
        for (int i = 0; i < kNodes; ++i) QVERIFY(!banned(3, ip(i)));
    }

    void peersLyingAboutTheirHeightDoNotStopTheChain()
    {
        // Each validator gets a peer that claims a height of a billion and never answers GetHeaders. A
        // Status is only a claim: blocks and finality must go on (they used to stop on every node, which
        // took such a peer for a sync in progress and neither proposed nor voted).
        std::vector<std::unique_ptr<Peer>> liars;
        for (int i = 0; i < kValidators; ++i) {
            liars.push_back(connectPeer(i, QStringLiteral("127.0.0.%1").arg(80 + i), nullptr));
            QVERIFY(liars.back());
        }
        QVERIFY(waitEvents(15, [&] {
            return std::all_of(liars.begin(), liars.end(), [](const auto &l) { return l->ready || l->closed; });
        }));
        chain::BlockId fakeTip{};
        fakeTip[0] = 0x5a;
        for (auto &l : liars) {
            QVERIFY(l->ready);
            QVERIFY(l->conn->send(p2p::StatusMsg{1'000'000'000, fakeTip, 0}).ok());
        }
        // A fifth one answers every GetHeaders of validator 1 with a new header signed by its own key (not a
        // validator): refused, scored, and banned in the end, while the chain goes on.
        auto forger = connectPeer(0, QStringLiteral("127.0.0.90"), [&](Peer &self, const p2p::Message &m) {
            if (!std::holds_alternative<p2p::GetHeaders>(m) || !self.nodeStatus) return;
            chain::BlockHeader h;
            h.height = self.nodeStatus->height + 1;
            h.parent = self.nodeStatus->tip;
            h.slot = static_cast<std::uint64_t>(info(0).value(QStringLiteral("current_slot")).toInteger());
            h.timeMs = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch());
            h.stateRoot[0] = static_cast<std::uint8_t>(h.timeMs);
            chain::signBlock(h, self.identity);
            (void)self.conn->send(p2p::Headers{{h}});
        });
        QVERIFY(forger);
        QVERIFY(waitEvents(15, [&] { return forger->ready || forger->closed; }));
        QVERIFY(forger->ready);
        QVERIFY(forger->conn->send(p2p::StatusMsg{1'000'000'000, fakeTip, 0}).ok());

        const qint64 h0 = height(0), f0 = finalHeight(0);
        QVERIFY2(waitEvents(90, [&] { return height(0) >= h0 + 5 && finalHeight(0) >= f0 + 3; }),
                 qPrintable(QJsonDocument(info(0)).toJson()));
        QVERIFY2(waitEvents(60, [&] { return banned(0, QStringLiteral("127.0.0.90")); }),
                 "a peer sending headers of a non-validator was not banned");
        for (int i = 0; i < kValidators; ++i) {
            const QJsonObject c = info(i);
            QVERIFY2(!c.value(QStringLiteral("syncing")).toBool(), qPrintable(QJsonDocument(c).toJson()));
        }
        // The silent liars cost nothing but a connection: no ban for a claim.
        for (auto &l : liars) QVERIFY(!l->closed);
        for (int i = 0; i < kNodes; ++i) QVERIFY(!banned(0, ip(i)));
    }

    void doubleVotersAreSlashed()
    {
        // The keys of validators 3 and 4 sign two different votes for one target height each (what a
        // broken or malicious validator would gossip); both halves reach validator 1.
        const std::uint32_t net = networkParams(Network::Testnet).networkId;
        const qint64 target = height(0) + 5;
        for (int v : {2, 3}) {
            const crypto::KeyPair key = validatorKey(v);
            for (std::uint8_t salt : {1, 2}) {
                chain::Vote vote;
                vote.networkId = net;
                vote.sourceHeight = static_cast<std::uint64_t>(finalHeight(0));
                vote.source = *crypto::hashFromHex(blockHash(0, finalHeight(0)).toStdString());
                vote.targetHeight = static_cast<std::uint64_t>(target);
                vote.target[0] = salt;
                vote.target[1] = static_cast<std::uint8_t>(v);
                chain::signVote(vote, key);
                const ProcResult r = cli(0, {QStringLiteral("submitvote"), QString::fromStdString(toHex(chain::encodeVote(vote)))});
                QVERIFY2(r.exitCode == 0, r.err.constData());
            }
        }
        const auto stakeOf = [&](int v) {
            const crypto::KeyPair key = validatorKey(v);
            const QString addr = QString::fromStdString(chain::formatAddress(Network::Testnet, key.publicKey()));
            return call(0, {QStringLiteral("getbalance"), addr}).value(QStringLiteral("stake")).toObject().value(QStringLiteral("units")).toString();
        };
        QVERIFY2(waitUntil(90, [&] { return stakeOf(2) == QLatin1String("0") && stakeOf(3) == QLatin1String("0"); }),
                 qPrintable(QJsonDocument(info(0)).toJson()));
        QVERIFY(info(0).value(QStringLiteral("stats")).toObject().value(QStringLiteral("evidence_submitted")).toInteger() >= 2);
        // The other validators see it too, and their stake is untouched.
        QVERIFY(waitUntil(60, [&] {
            const QString addr = QString::fromStdString(chain::formatAddress(Network::Testnet, validatorKey(2).publicKey()));
            return call(1, {QStringLiteral("getbalance"), addr}).value(QStringLiteral("stake")).toObject().value(QStringLiteral("units")).toString() ==
                   QLatin1String("0");
        }));
        QVERIFY(stakeOf(0) != QLatin1String("0"));
        QVERIFY(stakeOf(1) != QLatin1String("0"));
    }
};

QTEST_GUILESS_MAIN(TestConsensusNetwork)
#include "test_consensus_network.moc"
