#pragma once
// Logging through Qt logging categories, written to stderr and to <datadir>/logs/blyan.log.
// Enable debug output per area with QT_LOGGING_RULES="blyan.rpc.debug=true".
// Never log a secret: keys, passphrases, mnemonics and cookies stay out of every message.

#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcNode)
Q_DECLARE_LOGGING_CATEGORY(lcRpc)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcCrypto)
Q_DECLARE_LOGGING_CATEGORY(lcUi)

namespace blyan {

struct LogOptions {
    bool toStderr = true;
    QString logDir;              // empty: no log file
    qint64 maxFileBytes = 10 << 20;  // rotate to blyan.log.1 past this size
};

// Installs the message handler. Safe to call again (e.g. once the data dir is known). Returns at
// once: the directory is created and the file opened on the log writer thread.
void initLogging(const LogOptions &options);
// Keeps the other options and writes the log file into dir (empty: no file). The node calls it
// once it owns its data dir, and with "" when it releases it.
void setLogDirectory(const QString &dir);
// The log file in use (or about to be), empty when logging only to stderr.
QString currentLogFile();
// Writes out everything queued and closes the file; call before main() returns.
void shutdownLogging();

}  // namespace blyan
