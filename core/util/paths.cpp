#include "util/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUuid>

namespace blyan {

void setApplicationIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Blyan"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("blyan.network"));
    QCoreApplication::setApplicationName(QStringLiteral("blyan"));
}

QString defaultDataDir(Network n)
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (base.isEmpty()) base = QDir::homePath() + QStringLiteral("/.blyan");
    return QDir::cleanPath(base + QLatin1Char('/') + networkName(n));
}

Status ensureWritableDir(const QString &dir)
{
    const std::string shown = QDir::toNativeSeparators(dir).toStdString();
    QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        return makeError(ErrorCode::Io, "data dir " + shown + " exists but is not a directory; choose another with --datadir");
    if (!QDir().mkpath(dir))
        return makeError(ErrorCode::Io, "cannot create data dir " + shown +
                                            "; check the permissions of its parent or choose another with --datadir");
    QFile probe(dir + QStringLiteral("/.write-test-") + QUuid::createUuid().toString(QUuid::Id128));
    if (!probe.open(QIODevice::WriteOnly) || probe.write("x", 1) != 1 || !probe.flush()) {
        const std::string why = probe.errorString().toStdString();
        probe.remove();
        return makeError(ErrorCode::Io, "data dir " + shown + " is not writable (" + why +
                                            "); fix its permissions or choose another with --datadir");
    }
    probe.close();
    probe.remove();
    return {};
}

}  // namespace blyan
