#include "node/rpc/cookie.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

namespace blyan::node {

Expected<QByteArray> writeCookie(const QString &path)
{
    // QRandomGenerator::system() is the OS CSPRNG (getrandom/BCryptGenRandom).
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(secret.data()), secret.size() / 4);
    const QByteArray line = QByteArray(kCookieUser) + ':' + secret.toHex();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Io, "cannot write RPC cookie " + path.toStdString() + ": " + f.errorString().toStdString());
    // Restrict before the secret is written.
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(line);
    if (!f.commit())
        return makeError(ErrorCode::Io, "cannot write RPC cookie " + path.toStdString() + ": " + f.errorString().toStdString());
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return line;
}

Expected<QByteArray> readCookie(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return makeError(ErrorCode::NotFound, "no RPC cookie at " + path.toStdString() +
                                                  ": is blyand (or blyan) running with this data dir and network?");
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, "cannot read RPC cookie " + path.toStdString() + ": " + f.errorString().toStdString() +
                                            "; run blyan-cli as the user that runs the node");
    const QByteArray line = f.read(256).trimmed();
    if (!line.startsWith(QByteArray(kCookieUser) + ':') || line.size() != static_cast<qsizetype>(sizeof kCookieUser) + 64)
        return makeError(ErrorCode::Malformed, "RPC cookie " + path.toStdString() + " is malformed; restart the node to rewrite it");
    return line;
}

void removeCookie(const QString &path) { QFile::remove(path); }

bool checkBasicAuth(const QByteArray &header, const QByteArray &cookie)
{
    if (!header.startsWith("Basic ")) return false;
    const auto decoded = QByteArray::fromBase64Encoding(header.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return false;
    const QByteArray &given = *decoded;
    // Compare every byte whatever the first mismatch, so timing leaks nothing about the secret.
    unsigned diff = static_cast<unsigned>(given.size() ^ cookie.size());
    for (qsizetype i = 0; i < cookie.size(); ++i)
        diff |= static_cast<unsigned>(static_cast<unsigned char>(cookie[i]) ^
                                      static_cast<unsigned char>(i < given.size() ? given[i] : 0));
    return diff == 0;
}

}  // namespace blyan::node
