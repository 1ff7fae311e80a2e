#include "single_instance.h"

#include "util/log.h"

#include <QCryptographicHash>
#include <QStandardPaths>
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace blyan::app {

namespace {
constexpr int kConnectTimeoutMs = 500;  // local socket: either someone answers at once or no one is there

QString userId()
{
#ifdef Q_OS_UNIX
    return QString::number(::getuid());
#else
    return qEnvironmentVariable("USERNAME");
#endif
}

QString canonicalDir(const QString &dir)
{
    const QFileInfo fi(dir);
    const QString canonical = fi.canonicalFilePath();  // resolves symlinks when the dir exists
    return QDir::cleanPath(canonical.isEmpty() ? fi.absoluteFilePath() : canonical);
}
}  // namespace

SingleInstance::SingleInstance(const QString &dataDir, QObject *parent) : QObject(parent)
{
    // The server name is a hash: data dir paths can be long and contain any character.
    const QByteArray h = QCryptographicHash::hash(canonicalDir(dataDir).toUtf8(), QCryptographicHash::Sha256);
    const QString base = QStringLiteral("blyan-") + QString::fromLatin1(h.toHex().left(24));
    // In the per-user runtime dir (XDG_RUNTIME_DIR, mode 0700) another user can neither squat the
    // name nor talk to us; where there is none, the name carries the user id instead.
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (!runtime.isEmpty() && runtime.size() < 60)
        name_ = runtime + QLatin1Char('/') + base;
    else
        name_ = base + QStringLiteral("-u") + userId();
    server_.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&server_, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *sock = server_.nextPendingConnection()) {
            connect(sock, &QLocalSocket::disconnected, sock, &QObject::deleteLater);
            connect(sock, &QLocalSocket::readyRead, this, [this, sock] {
                while (sock->canReadLine()) {
                    const QString line = QString::fromUtf8(sock->readLine()).trimmed();
                    if (line == QLatin1String("raise")) Q_EMIT raiseRequested();
                    else if (line.startsWith(QLatin1String("uri "))) Q_EMIT uriReceived(line.mid(4));
                }
            });
        }
    });
}

bool SingleInstance::notifyRunning(const QStringList &uris)
{
    QLocalSocket sock;
    sock.connectToServer(name_);
    if (!sock.waitForConnected(kConnectTimeoutMs)) return false;
    QByteArray msg = "raise\n";
    for (const QString &u : uris) msg += "uri " + u.toUtf8() + '\n';
    sock.write(msg);
    const bool sent = sock.waitForBytesWritten(kConnectTimeoutMs);
    sock.disconnectFromServer();
    return sent;
}

bool SingleInstance::listen()
{
    if (server_.listen(name_)) return true;
    // A crashed instance leaves its socket file behind; nobody answered on it, so it is stale.
    if (server_.serverError() == QAbstractSocket::AddressInUseError) {
        QLocalServer::removeServer(name_);
        if (server_.listen(name_)) return true;
    }
    qCWarning(lcApp) << "single-instance server unavailable:" << server_.errorString();
    return false;
}

}  // namespace blyan::app
