// The peer layer between real blyand processes on one testnet genesis file written here: nodes meet
// through --connect, addnode and LAN discovery (UDP broadcast on 127.255.255.255), both sides see each
// other in getpeerinfo with the Status each sent, addresses gossip to a third node, and setban /
// listbanned / clearbanned cut a node off, survive a restart and let it back. Each node binds its own
// 127.0.0.x, so a ban of one hits nobody else.

#include "process_helpers.h"

#include "chain/address.h"
#include "crypto/ed25519.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <memory>

using namespace blyan;

namespace {

constexpr int kWait = 60000;

quint16 freeUdpPort()
{
    QUdpSocket s;
    s.bind(QHostAddress::LocalHost, 0);
    return s.localPort();
}

struct Daemon {
    QString name, dir, ip;
    quint16 rpcPort = 0, p2pPort = 0;
    std::unique_ptr<QProcess> process;

    QStringList cliArgs() const { return blyandArgs(dir, rpcPort); }
    QString endpoint() const { return QStringLiteral("%1:%2").arg(ip).arg(p2pPort); }
};

}  // namespace

class TestP2pNetwork : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString genesis_;
    std::map<QString, Daemon> nodes_;

    ProcResult cli(const Daemon &d, const QStringList &args) { return runTool(QStringLiteral("blyan-cli"), d.cliArgs() + args); }
    QJsonValue call(const Daemon &d, const QStringList &args)
    {
        const ProcResult r = cli(d, args);
        if (r.exitCode != 0) qWarning("%s: blyan-cli %s failed: %s", qPrintable(d.name), qPrintable(args.join(' ')), r.err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.trimmed());
        if (doc.isObject()) return doc.object();
        if (doc.isArray()) return doc.array();
        return QJsonValue(QString::fromUtf8(r.out.trimmed()));
    }
    QJsonArray peers(const Daemon &d) { return call(d, {QStringLiteral("getpeerinfo")}).toArray(); }
    // The peer of `d` whose address is `ip` (any port), or an empty object.
    QJsonObject peerFrom(const Daemon &d, const QString &ip)
    {
        for (const QJsonValue &v : peers(d))
            if (v.toObject().value(QStringLiteral("addr")).toString().startsWith(ip + QLatin1Char(':'))) return v.toObject();
        return {};
    }
    QString identity(const Daemon &d) { return call(d, {QStringLiteral("getnetworkinfo")}).toObject().value(QStringLiteral("identity")).toString(); }

    // A node on its own loopback address; `conf` lines go to its blyan.conf.
    Daemon &make(const QString &name, const QString &ip, const QStringList &conf = {})
    {
        Daemon d;
        d.name = name;
        d.dir = tmp_.filePath(name);
        d.ip = ip;
        d.rpcPort = freePort();
        d.p2pPort = freePort();
        QDir().mkpath(d.dir);
        QFile f(d.dir + QStringLiteral("/blyan.conf"));
        f.open(QIODevice::WriteOnly);
        f.write((QStringList{QStringLiteral("bind=") + ip, QStringLiteral("port=") + QString::number(d.p2pPort)} + conf)
                    .join(QLatin1Char('\n'))
                    .toUtf8());
        f.close();
        nodes_[name] = std::move(d);
        return nodes_[name];
    }
    void start(Daemon &d, const QStringList &extra = {})
    {
        d.process = std::make_unique<QProcess>();
        startBlyand(*d.process, d.dir, d.rpcPort,
                    QStringList{QStringLiteral("--network"), QStringLiteral("testnet"), QStringLiteral("--genesis"), genesis_} + extra);
    }
    void stop(Daemon &d)
    {
        QCOMPARE(cli(d, {QStringLiteral("stop")}).exitCode, 0);
        QVERIFY(d.process->waitForFinished(kWait));
        QCOMPARE(d.process->exitCode(), 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        // One allocation and one validator that is none of these nodes: they only need to share a genesis
        // id (and, with no validator among them, no node produces blocks).
        const auto holder = crypto::KeyPair::generate(), validator = crypto::KeyPair::generate();
        const auto address = [](const crypto::KeyPair &k) {
            return QString::fromStdString(chain::formatAddress(Network::Testnet, k.publicKey()));
        };
        const QJsonObject g{
            {QStringLiteral("network"), QStringLiteral("testnet")},
            {QStringLiteral("time_ms"), static_cast<double>(QDateTime::currentMSecsSinceEpoch() - 60'000)},
            {QStringLiteral("allocations"), QJsonArray{QJsonObject{{QStringLiteral("address"), address(holder)},
                                                                   {QStringLiteral("amount"), QStringLiteral("99000000 BLY")}}}},
            {QStringLiteral("validators"), QJsonArray{QJsonObject{{QStringLiteral("address"), address(validator)},
                                                                  {QStringLiteral("stake"), QStringLiteral("1000000 BLY")}}}},
        };
        genesis_ = tmp_.filePath(QStringLiteral("genesis.json"));
        QFile f(genesis_);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(g).toJson());
    }

    void connectFlagJoinsTwoNodes()
    {
        Daemon &a = make(QStringLiteral("a"), QStringLiteral("127.0.0.21"), {QStringLiteral("discover=0")});
        Daemon &b = make(QStringLiteral("b"), QStringLiteral("127.0.0.22"), {QStringLiteral("discover=0")});
        start(a);
        start(b, {QStringLiteral("--connect"), a.endpoint()});
        QTRY_VERIFY_WITH_TIMEOUT(!peerFrom(a, b.ip).isEmpty() && !peerFrom(b, a.ip).isEmpty(), kWait);
        const QJsonObject atA = peerFrom(a, b.ip), atB = peerFrom(b, a.ip);
        QCOMPARE(atA.value(QStringLiteral("inbound")).toBool(), true);
        QCOMPARE(atB.value(QStringLiteral("inbound")).toBool(), false);
        QCOMPARE(atB.value(QStringLiteral("connection_type")).toString(), QStringLiteral("connect"));
        QCOMPARE(atB.value(QStringLiteral("addr")).toString(), a.endpoint());
        QCOMPARE(atA.value(QStringLiteral("listen_port")).toInt(), int(b.p2pPort));
        QCOMPARE(atB.value(QStringLiteral("identity")).toString(), identity(a));
        QCOMPARE(atA.value(QStringLiteral("identity")).toString(), identity(b));
        QVERIFY(atA.value(QStringLiteral("subver")).toString().startsWith(QStringLiteral("blyan/")));
        // Each told the other its tip: genesis, height 0.
        QTRY_VERIFY_WITH_TIMEOUT(peerFrom(a, b.ip).value(QStringLiteral("height")).isDouble(), kWait);
        QCOMPARE(peerFrom(a, b.ip).value(QStringLiteral("height")).toInt(-1), 0);
        QCOMPARE(peerFrom(a, b.ip).value(QStringLiteral("tip")).toString(),
                 call(a, {QStringLiteral("getbestblockhash")}).toString());
        const auto info = [&] { return call(a, {QStringLiteral("getinfo")}).toObject(); };
        QCOMPARE(info().value(QStringLiteral("subsystems")).toObject().value(QStringLiteral("p2p")).toBool(), true);
        // getinfo's figures are the node's status, refreshed every 2 s.
        QTRY_COMPARE_WITH_TIMEOUT(info().value(QStringLiteral("connections")).toObject().value(QStringLiteral("in")).toInt(), 1, kWait);
        QCOMPARE(info().value(QStringLiteral("p2p_endpoint")).toString(), a.endpoint());
        QTRY_VERIFY_WITH_TIMEOUT(call(a, {QStringLiteral("getnettotals")}).toObject().value(QStringLiteral("totalbytesrecv")).toInteger() > 0, kWait);
        const QJsonObject net = call(b, {QStringLiteral("getnetworkinfo")}).toObject();
        QCOMPARE(net.value(QStringLiteral("localaddress")).toString(), b.endpoint());
        QCOMPARE(net.value(QStringLiteral("connections_out")).toInt(), 1);
    }

    void addnodeAndGossip()
    {
        // c is told only of a (addnode); it learns b's address from a and connects there too.
        Daemon &a = nodes_[QStringLiteral("a")], &b = nodes_[QStringLiteral("b")];
        Daemon &c = make(QStringLiteral("c"), QStringLiteral("127.0.0.23"), {QStringLiteral("discover=0")});
        start(c);
        QCOMPARE(cli(c, {QStringLiteral("addnode"), a.endpoint(), QStringLiteral("add")}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!peerFrom(c, a.ip).isEmpty(), kWait);
        QCOMPARE(peerFrom(c, a.ip).value(QStringLiteral("connection_type")).toString(), QStringLiteral("addnode"));
        QTRY_VERIFY_WITH_TIMEOUT(!peerFrom(c, b.ip).isEmpty() || !peerFrom(b, c.ip).isEmpty(), kWait);
        QVERIFY(call(c, {QStringLiteral("getnetworkinfo")}).toObject().value(QStringLiteral("addresses_known")).toInt() >= 2);

        const ProcResult twice = cli(c, {QStringLiteral("addnode"), a.endpoint(), QStringLiteral("add")});
        QVERIFY(twice.exitCode != 0 && twice.err.contains("already added"));
        const ProcResult bad = cli(c, {QStringLiteral("addnode"), QStringLiteral("not an address"), QStringLiteral("add")});
        QVERIFY(bad.exitCode != 0 && bad.err.contains("HOST:PORT"));
        const ProcResult verb = cli(c, {QStringLiteral("addnode"), a.endpoint(), QStringLiteral("maybe")});
        QVERIFY(verb.exitCode != 0 && verb.err.contains("add, remove or onetry"));
    }

    void setbanCutsOffAndSurvivesRestart()
    {
        Daemon &a = nodes_[QStringLiteral("a")], &c = nodes_[QStringLiteral("c")];
        QCOMPARE(cli(a, {QStringLiteral("setban"), c.ip, QStringLiteral("add"), QStringLiteral("3600")}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(peerFrom(a, c.ip).isEmpty() && peerFrom(c, a.ip).isEmpty(), kWait);
        QJsonArray banned = call(a, {QStringLiteral("listbanned")}).toArray();
        QCOMPARE(banned.size(), 1);
        QCOMPARE(banned[0].toObject().value(QStringLiteral("address")).toString(), c.ip);
        QCOMPARE(banned[0].toObject().value(QStringLiteral("ban_duration")).toInt(), 3600);
        QVERIFY(banned[0].toObject().value(QStringLiteral("ban_reason")).toString().contains(QStringLiteral("setban")));
        // c keeps dialling its addnode target and is refused at accept.
        QTRY_VERIFY_WITH_TIMEOUT(
            call(a, {QStringLiteral("getnetworkinfo")}).toObject().value(QStringLiteral("refused_banned")).toInt() > 0, kWait);
        const ProcResult again = cli(a, {QStringLiteral("setban"), c.ip, QStringLiteral("add")});
        QVERIFY(again.exitCode != 0 && again.err.contains("already banned"));
        QVERIFY(cli(a, {QStringLiteral("setban"), QStringLiteral("10.0.0.0/8"), QStringLiteral("add")}).err.contains("subnets"));

        // A restart remembers the ban (peers.sqlite).
        stop(a);
        start(a);
        banned = call(a, {QStringLiteral("listbanned")}).toArray();
        QCOMPARE(banned.size(), 1);
        QCOMPARE(banned[0].toObject().value(QStringLiteral("address")).toString(), c.ip);
        QTRY_VERIFY_WITH_TIMEOUT(
            call(a, {QStringLiteral("getnetworkinfo")}).toObject().value(QStringLiteral("refused_banned")).toInt() > 0, kWait);
        QVERIFY(peerFrom(a, c.ip).isEmpty());

        // clearbanned lets c back in (its addnode target reconnects).
        QCOMPARE(cli(a, {QStringLiteral("clearbanned")}).exitCode, 0);
        QCOMPARE(call(a, {QStringLiteral("listbanned")}).toArray().size(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!peerFrom(a, c.ip).isEmpty(), kWait);
        const ProcResult none = cli(a, {QStringLiteral("setban"), c.ip, QStringLiteral("remove")});
        QVERIFY(none.exitCode != 0 && none.err.contains("not banned"));
    }

    void lanDiscoveryFindsPeers()
    {
        const quint16 udp = freeUdpPort();
        const QStringList conf{QStringLiteral("discover=1"), QStringLiteral("discoverport=") + QString::number(udp),
                               QStringLiteral("discoveraddress=127.255.255.255")};
        Daemon &d = make(QStringLiteral("d"), QStringLiteral("127.0.0.24"), conf);
        Daemon &e = make(QStringLiteral("e"), QStringLiteral("127.0.0.25"), conf);
        start(d);
        start(e);
        QTRY_VERIFY_WITH_TIMEOUT(!peerFrom(d, e.ip).isEmpty() && !peerFrom(e, d.ip).isEmpty(), kWait);
        const QJsonObject atD = peerFrom(d, e.ip), atE = peerFrom(e, d.ip);
        const QJsonObject out = atD.value(QStringLiteral("inbound")).toBool() ? atE : atD;
        QCOMPARE(out.value(QStringLiteral("connection_type")).toString(), QStringLiteral("discovery"));
        QVERIFY(call(d, {QStringLiteral("getnetworkinfo")}).toObject().value(QStringLiteral("discovery")).toObject()
                    .value(QStringLiteral("active")).toBool());
    }

    void cleanupTestCase()
    {
        for (auto &[name, d] : nodes_) {
            if (!d.process || d.process->state() == QProcess::NotRunning) continue;
            stop(d);
        }
    }
};

QTEST_GUILESS_MAIN(TestP2pNetwork)
#include "test_p2p_network.moc"
