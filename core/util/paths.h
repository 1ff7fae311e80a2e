#pragma once
// Where a node keeps its files (DESIGN.md section 11):
//   <AppDataLocation>/<network>/  node.sqlite, objects/, wallet/, chats.sqlite, logs/, blyan.conf

#include "util/error.h"
#include "util/network.h"

#include <QString>

namespace blyan {

// Sets the organisation/application names every Blyan executable shares, so that blyan, blyand
// and blyan-cli agree on the default data dir and settings. Call first thing in main().
void setApplicationIdentity();

QString defaultDataDir(Network n);

// Creates dir (and parents) and proves it is writable by writing and removing a probe file.
// The error names the directory, the reason, and what to do.
Status ensureWritableDir(const QString &dir);

namespace paths {
inline QString logsDir(const QString &dataDir) { return dataDir + QStringLiteral("/logs"); }
inline QString objectsDir(const QString &dataDir) { return dataDir + QStringLiteral("/objects"); }
inline QString nodeDb(const QString &dataDir) { return dataDir + QStringLiteral("/node.sqlite"); }
inline QString configFile(const QString &dataDir) { return dataDir + QStringLiteral("/blyan.conf"); }
inline QString cookieFile(const QString &dataDir) { return dataDir + QStringLiteral("/.cookie"); }
inline QString lockFile(const QString &dataDir) { return dataDir + QStringLiteral("/.lock"); }
}  // namespace paths

}  // namespace blyan
