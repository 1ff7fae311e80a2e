#pragma once
// One desktop app per data dir, answered in-process: a second `blyan` for the same data dir asks
// the first to raise its window and to open its blyan: URIs in the Wallet panel, and exits. The
// node's own lock file still guards the data dir against blyand and against races.

#include <QLocalServer>
#include <QObject>
#include <QString>

namespace blyan::app {

class SingleInstance : public QObject {
    Q_OBJECT
public:
    explicit SingleInstance(const QString &dataDir, QObject *parent = nullptr);

    // True when another instance for this data dir answered and took the message.
    bool notifyRunning(const QStringList &uris);
    // Becomes the instance others talk to. False (with a log line) if the name cannot be taken.
    bool listen();
    QString serverName() const { return name_; }

Q_SIGNALS:
    void raiseRequested();
    void uriReceived(const QString &uri);

private:
    QString name_;
    QLocalServer server_;
};

}  // namespace blyan::app
