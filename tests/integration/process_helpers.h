#pragma once
// Helpers to run the real executables from build/bin in integration tests.

#include <QProcess>
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
