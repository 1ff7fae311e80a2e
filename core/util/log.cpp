#include "util/log.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <cstdio>
#include <mutex>

Q_LOGGING_CATEGORY(lcApp, "blyan.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNode, "blyan.node", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRpc, "blyan.rpc", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "blyan.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCrypto, "blyan.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "blyan.ui", QtInfoMsg)

namespace blyan {
namespace {

struct LogState {
    std::mutex mutex;
    LogOptions options;
    QFile file;
};

LogState &state()
{
    static LogState s;
    return s;
}

const char *levelName(QtMsgType t)
{
    switch (t) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "?";
}

void rotateIfNeeded(LogState &s)
{
    if (!s.file.isOpen() || s.file.size() < s.options.maxFileBytes) return;
    const QString path = s.file.fileName();
    s.file.close();
    QFile::remove(path + QStringLiteral(".1"));
    QFile::rename(path, path + QStringLiteral(".1"));
    s.file.setFileName(path);
    s.file.open(QIODevice::WriteOnly | QIODevice::Append);
}

void handler(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    const QByteArray line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' ' + '[' +
                            levelName(type) + "] " + (ctx.category ? ctx.category : "default") + ": " +
                            msg.toUtf8() + '\n';
    LogState &s = state();
    {
        std::lock_guard lock(s.mutex);
        if (s.options.toStderr) {
            std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stderr);
            std::fflush(stderr);
        }
        if (s.file.isOpen()) {
            s.file.write(line);
            s.file.flush();
            rotateIfNeeded(s);
        }
    }
    if (type == QtFatalMsg) std::abort();
}

}  // namespace

void initLogging(const LogOptions &options)
{
    LogState &s = state();
    {
        std::lock_guard lock(s.mutex);
        s.options = options;
        if (s.file.isOpen()) s.file.close();
        if (!options.logDir.isEmpty() && QDir().mkpath(options.logDir)) {
            s.file.setFileName(options.logDir + QStringLiteral("/blyan.log"));
            if (!s.file.open(QIODevice::WriteOnly | QIODevice::Append))
                std::fprintf(stderr, "blyan: cannot open log file %s: %s\n", qPrintable(s.file.fileName()),
                             qPrintable(s.file.errorString()));
        }
    }
    qInstallMessageHandler(handler);
}

QString currentLogFile()
{
    LogState &s = state();
    std::lock_guard lock(s.mutex);
    return s.file.isOpen() ? s.file.fileName() : QString();
}

void shutdownLogging()
{
    LogState &s = state();
    std::lock_guard lock(s.mutex);
    if (s.file.isOpen()) s.file.close();
}

}  // namespace blyan
