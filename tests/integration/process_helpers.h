#pragma once
// Helpers to run the real executables from build/bin in integration tests.

#include <QProcess>
#include <QTest>
#include <QStringList>
#include <QTcpServer>

struct ProcResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline QString binPath(const QString &name) { return QStringLiteral(BLYAN_BIN_DIR) + QLatin1Char('/') + name; }

inline ProcResult runTool(const QString &name, const QStringList &args, int timeoutMs = 60000)
{
    QProcess p;
    p.start(binPath(name), args);
    ProcResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// A port nobody listens on right now (bound then released).
inline quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

inline QStringList blyandArgs(const QString &dataDir, quint16 rpcPort)
{
    return {QStringLiteral("--datadir"), dataDir, QStringLiteral("--rpcport"), QString::number(rpcPort)};
}

// Starts blyand on dataDir (with `extra` options such as --network, --port, --connect) and waits (up to
// 60 s) until blyan-cli gets an answer from it. Records a test failure (and returns) when it does not come up.
inline void startBlyand(QProcess &process, const QString &dataDir, quint16 rpcPort, const QStringList &extra = {})
{
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(binPath(QStringLiteral("blyand")), blyandArgs(dataDir, rpcPort) + extra);
    QVERIFY(process.waitForStarted());
    const ProcResult r = runTool(QStringLiteral("blyan-cli"), blyandArgs(dataDir, rpcPort) +
                                                                  QStringList{QStringLiteral("--rpcwait"), QStringLiteral("60"),
                                                                              QStringLiteral("uptime")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}
