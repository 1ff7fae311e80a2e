#pragma once
// Small helpers every Qt test and benchmark here needs (one copy instead of one per file).

#include <QCoreApplication>
#include <QHostAddress>
#include <QString>
#include <QTcpServer>

namespace blyan::testing {

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
