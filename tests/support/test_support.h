#pragma once
// Small helpers every Qt test and benchmark here needs (one copy instead of one per file).

#include "util/paths.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QString>
#include <QTcpServer>

namespace blyan::testing {

// The product's identity, but a QSettings file of this test binary's own: CTest runs two tests at a time,
// and GUI tests that clear settings or save the theme and panel would otherwise race on one file.
inline void setTestApplicationIdentity()
{
    setApplicationIdentity();
    QCoreApplication::setApplicationName(QStringLiteral("blyan-") +
                                         QFileInfo(QCoreApplication::applicationFilePath()).completeBaseName());
}

// A loopback port nobody listens on right now (bound, then released).
inline quint16 freePort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0)) return 0;
    const quint16 p = s.serverPort();
    s.close();
    return p;
}

#ifdef BLYAN_BUILD_DIR
// Where GUI tests write their screenshots for people to look at.
inline QString screenshotDir() { return QStringLiteral(BLYAN_BUILD_DIR "/screenshots"); }
#endif

// Delivers queued events (queued signals, deferred deletes) so the next check sees their effect.
inline void settle()
{
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

}  // namespace blyan::testing
