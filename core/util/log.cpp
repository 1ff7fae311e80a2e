#include "util/log.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

Q_LOGGING_CATEGORY(lcApp, "blyan.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNode, "blyan.node", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRpc, "blyan.rpc", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "blyan.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCrypto, "blyan.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "blyan.ui", QtInfoMsg)

namespace blyan {
namespace {

// The message handler only formats and enqueues; one writer thread does every write, open,
// flush and rotation. So logging from the UI thread never waits on a disk or a terminal.
class LogWriter {
public:
    ~LogWriter() { stop(); }

    void configure(const LogOptions &options)
    {
        std::lock_guard lock(mutex_);
        configureLocked(options);
    }

    void setDirectory(const QString &dir)
    {
        std::lock_guard lock(mutex_);
        LogOptions o = pendingOptions_;  // the last configuration, whether applied yet or not
        o.logDir = dir;
        configureLocked(o);
    }

private:
    void configureLocked(const LogOptions &options)
    {
        // Queued like a message, so lines logged before a switch go to the old file and lines
        // after it to the new one.
        pendingOptions_ = options;
        queue_.push_back(Entry{{}, options});
        startLocked();
        wake_.notify_one();
    }

public:
    void enqueue(QByteArray line)
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= kMaxQueued) {
            ++dropped_;  // a flood must not eat memory; the count is logged when it passes
            return;
        }
        queue_.push_back(Entry{std::move(line), std::nullopt});
        startLocked();
        wake_.notify_one();
    }

    // Writes directly (fatal messages: the process is about to abort).
    void writeNow(const QByteArray &line)
    {
        std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stderr);
        std::fflush(stderr);
    }

    QString currentFile()
    {
        std::lock_guard lock(mutex_);
        return expectedFile(pendingOptions_);
    }

    // Drains the queue, closes the file and ends the thread; logging restarts it when needed.
    void stop()
    {
        {
            std::lock_guard lock(mutex_);
            if (!thread_.joinable()) return;
            stopping_ = true;
            wake_.notify_one();
        }
        thread_.join();
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }

private:
    static constexpr std::size_t kMaxQueued = 100000;

    static QString expectedFile(const LogOptions &o)
    {
        return o.logDir.isEmpty() ? QString() : o.logDir + QStringLiteral("/blyan.log");
    }

    void startLocked()
    {
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }

    void run()
    {
        QFile file;
        LogOptions options;
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty() || dropped_ > 0; });
            std::deque<Entry> batch;
            batch.swap(queue_);
            const std::size_t dropped = dropped_;
            dropped_ = 0;
            const bool stopping = stopping_;
            lock.unlock();
            if (dropped > 0)
                batch.push_front(Entry{"[warning] blyan.log: " + QByteArray::number(qulonglong(dropped)) +
                                           " message(s) dropped: logging faster than the disk\n",
                                       std::nullopt});
            for (const Entry &e : batch) {
                if (e.options) {
                    options = *e.options;
                    reopen(file, options);
                    continue;
                }
                if (options.toStderr) std::fwrite(e.line.constData(), 1, static_cast<size_t>(e.line.size()), stderr);
                if (file.isOpen()) file.write(e.line);
            }
            if (options.toStderr) std::fflush(stderr);
            if (file.isOpen()) {
                file.flush();
                rotateIfNeeded(file, options);
            }
            lock.lock();
            if (stopping && queue_.empty()) {
                file.close();
                return;
            }
        }
    }

    static void reopen(QFile &file, const LogOptions &options)
    {
        if (file.isOpen()) file.close();
        if (options.logDir.isEmpty() || !QDir().mkpath(options.logDir)) return;
        file.setFileName(expectedFile(options));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
            std::fprintf(stderr, "blyan: cannot open log file %s: %s\n", qPrintable(file.fileName()),
                         qPrintable(file.errorString()));
    }

    static void rotateIfNeeded(QFile &file, const LogOptions &options)
    {
        if (file.size() < options.maxFileBytes) return;
        const QString path = file.fileName();
        file.close();
        QFile::remove(path + QStringLiteral(".1"));
        QFile::rename(path, path + QStringLiteral(".1"));
        file.setFileName(path);
        file.open(QIODevice::WriteOnly | QIODevice::Append);
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    struct Entry {
        QByteArray line;
        std::optional<LogOptions> options;  // set: switch to these options here
    };
    std::deque<Entry> queue_;
    std::size_t dropped_ = 0;
    LogOptions pendingOptions_;  // the latest configuration asked for
    bool stopping_ = false;
    std::thread thread_;
};

LogWriter &writer()
{
    // Never destroyed: Qt may log during static destruction, after a static writer would be gone.
    // shutdownLogging() is what drains and joins.
    static LogWriter *w = new LogWriter;
    return *w;
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

void handler(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    QByteArray line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' ' + '[' +
                      levelName(type) + "] " + (ctx.category ? ctx.category : "default") + ": " + msg.toUtf8() + '\n';
    if (type == QtFatalMsg) {
        writer().writeNow(line);
        std::abort();
    }
    writer().enqueue(std::move(line));
}

}  // namespace

void initLogging(const LogOptions &options)
{
    writer().configure(options);
    qInstallMessageHandler(handler);
}

void setLogDirectory(const QString &dir)
{
    writer().setDirectory(dir);
    qInstallMessageHandler(handler);
}

QString currentLogFile() { return writer().currentFile(); }

void shutdownLogging() { writer().stop(); }

}  // namespace blyan
