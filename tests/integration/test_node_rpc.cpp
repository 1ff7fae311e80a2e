// blyand + blyan-cli as real processes on a temporary data dir: the JSON-RPC round trip, cookie
// auth, malformed requests, bad flags, a second instance, network mismatch, clean stop by RPC
// and by SIGTERM. Every refusal must say what is wrong and leave the running node untouched.

#include "process_helpers.h"

#include "node/rpc/cookie.h"
#include "node/rpc/rpc_client.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTcpSocket>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace blyan::node;

class TestNodeRpc : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString dataDir_;
    quint16 port_ = 0;
    QProcess daemon_;

    QStringList nodeArgs() const { return blyandArgs(dataDir_, port_); }
    ProcResult cli(const QStringList &args) { return runTool(QStringLiteral("blyan-cli"), nodeArgs() + args); }

    void startDaemon() { startBlyand(daemon_, dataDir_, port_); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("devnet-a"));
        port_ = freePort();
        startDaemon();
    }

    void getinfoRoundTrip()
    {
        const ProcResult r = cli({QStringLiteral("getinfo")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject info = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(info.value(QStringLiteral("network")).toString(), QStringLiteral("devnet"));
        QCOMPARE(info.value(QStringLiteral("state")).toString(), QStringLiteral("running"));
        QCOMPARE(info.value(QStringLiteral("datadir")).toString(), dataDir_);
        QVERIFY(info.value(QStringLiteral("compute")).toObject().value(QStringLiteral("backend")).toString().startsWith(QStringLiteral("LibTorch")));
        QVERIFY(QFile::exists(dataDir_ + QStringLiteral("/node.sqlite")));
        QVERIFY(QFile::exists(dataDir_ + QStringLiteral("/objects")));
        QVERIFY(QFile::exists(dataDir_ + QStringLiteral("/logs/blyan.log")));
        // The cookie is readable by its owner only.
        QCOMPARE(QFile::permissions(dataDir_ + QStringLiteral("/.cookie")) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }

    void helpListsMethods()
    {
        const ProcResult r = cli({QStringLiteral("help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *m : {"getinfo", "stop", "help", "uptime"}) QVERIFY(r.out.contains(m));
        QCOMPARE(cli({QStringLiteral("help"), QStringLiteral("getinfo")}).exitCode, 0);
    }

    void unknownMethodAndBadParams()
    {
        const ProcResult r = cli({QStringLiteral("getnothing")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("error code: -32601"));
        const ProcResult p = cli({QStringLiteral("getinfo"), QStringLiteral("1")});
        QCOMPARE(p.exitCode, 1);
        QVERIFY(p.err.contains("expected 0 parameter(s), got 1"));
    }

    void wrongCookieIsRefused()
    {
        RpcClient client(QStringLiteral("127.0.0.1"), port_, QByteArray("__cookie__:") + QByteArray(64, 'a'));
        const RpcCallResult r = client.call(QStringLiteral("getinfo"));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, 401);
        const RpcCallResult none = client.callRaw("{}", QByteArray());
        QCOMPARE(none.error.code, 401);
    }

    void malformedRequests()
    {
        auto cookie = readCookie(dataDir_ + QStringLiteral("/.cookie"));
        QVERIFY(cookie.ok());
        RpcClient client(QStringLiteral("127.0.0.1"), port_, cookie.value());
        const QByteArray auth = "Basic " + cookie.value().toBase64();

        RpcCallResult r = client.callRaw("{not json", auth);
        QVERIFY(!r.ok);
        QCOMPARE(r.error.code, -32700);
        r = client.callRaw("{\"id\":1,\"params\":[]}", auth);
        QCOMPARE(r.error.code, -32600);
        r = client.callRaw("{\"id\":1,\"method\":\"getinfo\",\"params\":\"x\"}", auth);
        QCOMPARE(r.error.code, -32600);
        r = client.callRaw("{\"id\":1,\"method\":\"help\",\"params\":{\"nope\":1}}", auth);
        QCOMPARE(r.error.code, -8);
        r = client.callRaw("{\"id\":1,\"method\":\"help\",\"params\":{\"command\":\"uptime\"}}", auth);
        QVERIFY(r.ok);
        // A batch: one good, one bad, answered in order.
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), port_);
        QVERIFY(s.waitForConnected());
        const QByteArray body = "[{\"id\":1,\"method\":\"uptime\"},{\"id\":2,\"method\":\"nope\"}]";
        s.write("POST / HTTP/1.1\r\nConnection: close\r\nAuthorization: " + auth + "\r\nContent-Length: " +
                QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QByteArray response;
        while (s.waitForReadyRead(5000)) response += s.readAll();
        const QJsonArray replies = QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).array();
        QCOMPARE(replies.size(), 2);
        QVERIFY(replies[0].toObject().value(QStringLiteral("error")).isNull());
        QCOMPARE(replies[1].toObject().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt(), -32601);
        // Garbage that is not HTTP gets a 400 and a closed connection, and the node carries on.
        QTcpSocket g;
        g.connectToHost(QStringLiteral("127.0.0.1"), port_);
        QVERIFY(g.waitForConnected());
        g.write("\x16\x03\x01 hello\r\n\r\n");
        QByteArray junkReply;
        while (g.waitForReadyRead(5000)) junkReply += g.readAll();
        QVERIFY(junkReply.startsWith("HTTP/1.1 400"));
        QCOMPARE(cli({QStringLiteral("uptime")}).exitCode, 0);
    }

    // Raw HTTP exchange on a fresh connection; returns everything the node sent back.
    QByteArray exchange(const QByteArray &request)
    {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), port_);
        if (!s.waitForConnected(5000)) return {};
        s.write(request);
        QByteArray reply;
        while (s.waitForReadyRead(5000)) reply += s.readAll();
        return reply;
    }

    void refusedBeforeTheBody()
    {
        // No cookie and an 8 MB body announced but never sent: the 401 comes anyway, so the node
        // never buffers a stranger's body.
        QVERIFY(exchange("POST / HTTP/1.1\r\nContent-Length: 8000000\r\n\r\n").startsWith("HTTP/1.1 401"));
        auto cookie = readCookie(dataDir_ + QStringLiteral("/.cookie"));
        QVERIFY(cookie.ok());
        const QByteArray auth = "Authorization: Basic " + cookie.value().toBase64() + "\r\n";
        QVERIFY(exchange("POST / HTTP/1.1\r\n" + auth + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}").startsWith("HTTP/1.1 400"));
        QVERIFY(exchange("POST / HTTP/1.1\r\n" + auth + "Content-Length: +2\r\n\r\n{}").startsWith("HTTP/1.1 400"));
        QVERIFY(exchange("POST / HTTP/1.1\n" + auth + "Content-Length: 2\n\n{}").startsWith("HTTP/1.1 400"));
        QVERIFY(exchange("GET / HTTP/1.1\r\n" + auth + "\r\n").startsWith("HTTP/1.1 405"));
        QVERIFY(exchange("POST /x HTTP/1.1\r\n" + auth + "Content-Length: 2\r\n\r\n{}").startsWith("HTTP/1.1 404"));
    }

    void idleConnectionsCannotLockOut()
    {
        // More silent connections than the server has slots: idle ones are evicted for new clients.
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < 80; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QStringLiteral("127.0.0.1"), port_);
            QVERIFY(s->waitForConnected(5000));
            idle.push_back(std::move(s));
        }
        const ProcResult r = cli({QStringLiteral("uptime")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void dataDirIsPrivate()
    {
        for (const char *name : {"node.sqlite", "logs/blyan.log", ".cookie"}) {
            const auto perms = QFile::permissions(dataDir_ + QLatin1Char('/') + QLatin1String(name));
            QVERIFY2((perms & (QFile::ReadGroup | QFile::ReadOther)) == QFile::Permissions(), name);
        }
    }

    void cliFindsPortInConfigFile()
    {
        const QString dir = tmp_.filePath(QStringLiteral("conf-port"));
        QVERIFY(QDir().mkpath(dir));
        QFile conf(dir + QStringLiteral("/blyan.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        const quint16 port = freePort();
        conf.write("rpcport=" + QByteArray::number(port) + "\n");
        conf.close();
        QProcess node;
        node.start(binPath(QStringLiteral("blyand")), {QStringLiteral("--datadir"), dir});
        QVERIFY(node.waitForStarted());
        const ProcResult r = runTool(QStringLiteral("blyan-cli"), {QStringLiteral("--datadir"), dir, QStringLiteral("--rpcwait"),
                                                                   QStringLiteral("60"), QStringLiteral("getinfo")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains(QByteArray::number(port)));
        QCOMPARE(runTool(QStringLiteral("blyan-cli"), {QStringLiteral("--datadir"), dir, QStringLiteral("stop")}).exitCode, 0);
        QVERIFY(node.waitForFinished(60000));
        QCOMPARE(node.exitCode(), 0);
    }

    void secondInstanceIsRefused()
    {
        const ProcResult r = runTool(QStringLiteral("blyand"),
                                     {QStringLiteral("--datadir"), dataDir_, QStringLiteral("--rpcport"), QString::number(freePort())});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already using data dir"), r.err.constData());
        // The first node is untouched and still answers with its cookie.
        QCOMPARE(cli({QStringLiteral("uptime")}).exitCode, 0);
    }

    void takenRpcPortIsReported()
    {
        const ProcResult r = runTool(QStringLiteral("blyand"), {QStringLiteral("--datadir"), tmp_.filePath(QStringLiteral("other")),
                                                                QStringLiteral("--rpcport"), QString::number(port_)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--rpcport"), r.err.constData());
        // The failed node released its data dir: the cookie and lock are gone.
        QVERIFY(!QFile::exists(tmp_.filePath(QStringLiteral("other/.cookie"))));
    }

    void badFlagsAndDataDirs()
    {
        ProcResult r = runTool(QStringLiteral("blyand"), {QStringLiteral("--frobnicate")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("frobnicate"));
        r = runTool(QStringLiteral("blyand"), {QStringLiteral("--network"), QStringLiteral("mainnet")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("unknown network 'mainnet'"));
        r = runTool(QStringLiteral("blyand"), {QStringLiteral("--rpcport"), QStringLiteral("70000")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--rpcport"));
        // A data dir that cannot be created (a file is in the way).
        QFile blocker(tmp_.filePath(QStringLiteral("afile")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        r = runTool(QStringLiteral("blyand"), {QStringLiteral("--datadir"), blocker.fileName() + QStringLiteral("/sub")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("data dir"), r.err.constData());
        // A data dir of the other network.
        r = runTool(QStringLiteral("blyand"), {QStringLiteral("--network"), QStringLiteral("testnet"), QStringLiteral("--datadir"),
                                               dataDir_, QStringLiteral("--rpcport"), QString::number(freePort())});
        QCOMPARE(r.exitCode, 1);
        // Either refusal is right: the lock (devnet node running) or the network check.
        QVERIFY(r.err.contains("already using") || r.err.contains("belongs to the devnet"));
        // blyan-cli without a method, and against a port nobody serves.
        QCOMPARE(runTool(QStringLiteral("blyan-cli"), {}).exitCode, 1);
        r = runTool(QStringLiteral("blyan-cli"), {QStringLiteral("--datadir"), tmp_.filePath(QStringLiteral("none")), QStringLiteral("getinfo")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("no RPC cookie"));
    }

    void badConfigFileIsRefused()
    {
        const QString dir = tmp_.filePath(QStringLiteral("conf"));
        QVERIFY(QDir().mkpath(dir));
        QFile conf(dir + QStringLiteral("/blyan.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("rpcprot=1234\n");
        conf.close();
        const ProcResult r = runTool(QStringLiteral("blyand"), {QStringLiteral("--datadir"), dir});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("unknown setting 'rpcprot'"), r.err.constData());
    }

    void stopByRpcThenRestart()
    {
        const ProcResult r = cli({QStringLiteral("stop")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(daemon_.waitForFinished(60000));
        QCOMPARE(daemon_.exitStatus(), QProcess::NormalExit);
        QCOMPARE(daemon_.exitCode(), 0);
        QVERIFY(!QFile::exists(dataDir_ + QStringLiteral("/.cookie")));
        // The same data dir opens again (lock released, databases intact).
        startDaemon();
        QCOMPARE(cli({QStringLiteral("getinfo")}).exitCode, 0);
    }

    void sigtermStopsCleanly()
    {
        daemon_.terminate();  // SIGTERM
        QVERIFY(daemon_.waitForFinished(60000));
        QCOMPARE(daemon_.exitStatus(), QProcess::NormalExit);
        QCOMPARE(daemon_.exitCode(), 0);
        QVERIFY(!QFile::exists(dataDir_ + QStringLiteral("/.cookie")));
    }

    void cleanupTestCase()
    {
        if (daemon_.state() != QProcess::NotRunning) {
            daemon_.kill();
            daemon_.waitForFinished();
        }
    }
};

QTEST_GUILESS_MAIN(TestNodeRpc)
#include "test_node_rpc.moc"
