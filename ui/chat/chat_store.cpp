#include "ui/chat/chat_store.h"

#include "storage/database.h"
#include "storage/migrations.h"

#include <QFile>
#include <QJsonDocument>
#include <QPointer>
#include <QSaveFile>

namespace blyan::ui::chat {

namespace {

using storage::Database;
using storage::Statement;
using storage::Transaction;

constexpr storage::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE chats (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  settings TEXT NOT NULL,
  selected_root TEXT
);
CREATE INDEX chats_by_time ON chats(updated_ms DESC, id);
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  parent_id TEXT,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  error TEXT NOT NULL,
  stats TEXT NOT NULL,
  selected_child TEXT
);
CREATE INDEX messages_by_chat ON messages(chat_id, created_ms);
)sql"},
};

const QString kMemory = QStringLiteral(":memory:");

QString json(const QJsonObject &o) { return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)); }
QJsonObject object(const QString &s) { return QJsonDocument::fromJson(s.toUtf8()).object(); }

Status bindNullable(Statement &s, int i, const QString &v) { return v.isEmpty() ? s.bindNull(i) : s.bindText(i, v); }

Expected<Database> openDatabase(const QString &path)
{
    BLYAN_TRY(Database db, Database::open(path.isEmpty() ? kMemory : path));
    auto migrated = storage::migrate(db, kMigrations);
    if (!migrated.ok()) return migrated.error();
    return db;
}

void removeDatabaseFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"}) QFile::remove(path + QLatin1String(suffix));
}

}  // namespace

class ChatStore::Worker : public QObject {
public:
    ChatStore *owner = nullptr;
    Database db;
    QString path;  // empty: in memory

    void failed(const std::string &what, const Error &e)
    {
        const QString m = QString::fromStdString(what + ": " + e.message);
        QMetaObject::invokeMethod(owner, [o = QPointer<ChatStore>(owner), m] {
            if (o) Q_EMIT o->writeFailed(m);
        }, Qt::QueuedConnection);
    }

    Status ready() const
    {
        return db.isOpen() ? Status() : makeError(ErrorCode::Unavailable, "the chat history is not open");
    }

    // One statement in its own transaction.
    template <typename Bind>
    Status write(std::string_view sql, Bind bind)
    {
        BLYAN_CHECK(ready());
        BLYAN_TRY(Transaction tx, Transaction::begin(db));
        BLYAN_TRY(Statement s, db.prepareCached(sql));
        BLYAN_CHECK(bind(s));
        BLYAN_CHECK(s.run());
        return tx.commit();
    }

    Status open(const QString &p)
    {
        db = Database();
        BLYAN_TRY(db, openDatabase(p));
        path = p;
        return {};
    }

    // Moves every chat between the file and memory (see the header).
    Status switchTo(const QString &p)
    {
        BLYAN_CHECK(ready());
        if (p == path) return {};
        if (p.isEmpty()) {  // off: into memory, then the file goes
            BLYAN_TRY(Database mem, openDatabase(QString()));
            BLYAN_CHECK(copy(mem, path, /*intoAttached=*/false));
            const QString old = path;
            db = std::move(mem);
            path.clear();
            removeDatabaseFiles(old);
            if (QFile::exists(old)) return makeError(ErrorCode::Io, "could not delete " + old.toStdString());
            return {};
        }
        {  // on: the file's schema first (creates it), then the chats from memory merged in
            BLYAN_TRY(Database file, openDatabase(p));
        }
        BLYAN_CHECK(copy(db, p, /*intoAttached=*/true));
        BLYAN_TRY(Database file, openDatabase(p));
        db = std::move(file);
        path = p;
        return {};
    }

    // Copies chats and messages between `conn`'s main database and the file `file`, attached to it.
    static Status copy(Database &conn, const QString &file, bool intoAttached)
    {
        {
            BLYAN_TRY(Statement attach, conn.prepare("ATTACH DATABASE ?1 AS other"));
            BLYAN_CHECK(attach.bindText(1, file));
            BLYAN_CHECK(attach.run());
        }
        Status st = [&]() -> Status {
            BLYAN_TRY(Transaction tx, Transaction::begin(conn));
            BLYAN_CHECK(conn.exec(intoAttached ? "INSERT OR IGNORE INTO other.chats SELECT * FROM main.chats;"
                                                 "INSERT OR IGNORE INTO other.messages SELECT * FROM main.messages;"
                                               : "INSERT OR IGNORE INTO main.chats SELECT * FROM other.chats;"
                                                 "INSERT OR IGNORE INTO main.messages SELECT * FROM other.messages;"));
            return tx.commit();
        }();
        const Status detached = conn.exec("DETACH DATABASE other");
        return st.ok() ? detached : st;
    }

    Expected<QList<ChatSummary>> list(int offset, int limit)
    {
        BLYAN_CHECK(ready());
        BLYAN_TRY(Statement s, db.prepareCached(
                                   "SELECT c.id, c.title, c.updated_ms, (SELECT count(*) FROM messages m WHERE m.chat_id = c.id) "
                                   "FROM chats c ORDER BY c.updated_ms DESC, c.id LIMIT ?1 OFFSET ?2"));
        BLYAN_CHECK(s.bindInt64(1, limit));
        BLYAN_CHECK(s.bindInt64(2, offset));
        QList<ChatSummary> out;
        while (true) {
            BLYAN_TRY(const bool row, s.step());
            if (!row) break;
            out.append({s.columnString(0), s.columnString(1), s.columnInt64(2), int(s.columnInt64(3))});
        }
        return out;
    }

    Expected<Conversation> load(const QString &chatId)
    {
        BLYAN_CHECK(ready());
        ChatMeta meta;
        {
            BLYAN_TRY(Statement s, db.prepareCached(
                                       "SELECT id, title, created_ms, updated_ms, settings, selected_root FROM chats WHERE id = ?1"));
            BLYAN_CHECK(s.bindText(1, chatId));
            BLYAN_TRY(const bool row, s.step());
            if (!row) return makeError(ErrorCode::NotFound, "the chat is no longer in the history (deleted?)");
            meta = {s.columnString(0), s.columnString(1), s.columnInt64(2), s.columnInt64(3),
                    ChatSettings::fromJson(object(s.columnString(4))), s.columnString(5)};
        }
        BLYAN_TRY(Statement s, db.prepareCached(
                                   "SELECT id, parent_id, role, content, created_ms, state, error, stats, selected_child "
                                   "FROM messages WHERE chat_id = ?1 ORDER BY created_ms, rowid"));
        BLYAN_CHECK(s.bindText(1, chatId));
        QList<ChatMessage> messages;
        while (true) {
            BLYAN_TRY(const bool row, s.step());
            if (!row) break;
            ChatMessage m;
            m.id = s.columnString(0);
            m.parentId = s.columnString(1);
            m.role = s.columnString(2);
            m.content = s.columnString(3);
            m.createdMs = s.columnInt64(4);
            m.state = s.columnString(5);
            m.error = s.columnString(6);
            m.stats = AnswerStats::fromJson(object(s.columnString(7)));
            m.selectedChild = s.columnString(8);
            messages.append(m);
        }
        return Conversation(meta, messages);
    }

    Status saveChat(const ChatMeta &c)
    {
        return write("INSERT INTO chats (id, title, created_ms, updated_ms, settings, selected_root) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                     "ON CONFLICT(id) DO UPDATE SET title = excluded.title, updated_ms = excluded.updated_ms, "
                     "settings = excluded.settings, selected_root = excluded.selected_root",
                     [&](Statement &s) -> Status {
                         BLYAN_CHECK(s.bindText(1, c.id));
                         BLYAN_CHECK(s.bindText(2, c.title));
                         BLYAN_CHECK(s.bindInt64(3, c.createdMs));
                         BLYAN_CHECK(s.bindInt64(4, c.updatedMs));
                         BLYAN_CHECK(s.bindText(5, json(c.settings.toJson())));
                         return bindNullable(s, 6, c.selectedRoot);
                     });
    }

    Status saveMessage(const QString &chatId, const ChatMessage &m, bool select)
    {
        BLYAN_CHECK(ready());
        BLYAN_TRY(Transaction tx, Transaction::begin(db));
        {
            BLYAN_TRY(Statement s, db.prepareCached(
                                       "INSERT INTO messages (id, chat_id, parent_id, role, content, created_ms, state, error, stats, "
                                       "selected_child) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                                       "ON CONFLICT(id) DO UPDATE SET content = excluded.content, state = excluded.state, "
                                       "error = excluded.error, stats = excluded.stats, selected_child = excluded.selected_child"));
            BLYAN_CHECK(s.bindText(1, m.id));
            BLYAN_CHECK(s.bindText(2, chatId));
            BLYAN_CHECK(bindNullable(s, 3, m.parentId));
            BLYAN_CHECK(s.bindText(4, m.role));
            BLYAN_CHECK(s.bindText(5, m.content));
            BLYAN_CHECK(s.bindInt64(6, m.createdMs));
            BLYAN_CHECK(s.bindText(7, m.state));
            BLYAN_CHECK(s.bindText(8, m.error));
            BLYAN_CHECK(s.bindText(9, json(m.stats.toJson())));
            BLYAN_CHECK(bindNullable(s, 10, m.selectedChild));
            BLYAN_CHECK(s.run());
        }
        if (select) BLYAN_CHECK(setSelectionIn(chatId, m.parentId, m.id));
        BLYAN_TRY(Statement t, db.prepareCached("UPDATE chats SET updated_ms = max(updated_ms, ?2) WHERE id = ?1"));
        BLYAN_CHECK(t.bindText(1, chatId));
        BLYAN_CHECK(t.bindInt64(2, nowMs()));
        BLYAN_CHECK(t.run());
        return tx.commit();
    }

    // Without a transaction of its own (callers hold one).
    Status setSelectionIn(const QString &chatId, const QString &parentId, const QString &childId)
    {
        BLYAN_TRY(Statement s, db.prepareCached(parentId.isEmpty() ? "UPDATE chats SET selected_root = ?2 WHERE id = ?1"
                                                                   : "UPDATE messages SET selected_child = ?2 WHERE id = ?1"));
        BLYAN_CHECK(s.bindText(1, parentId.isEmpty() ? chatId : parentId));
        BLYAN_CHECK(bindNullable(s, 2, childId));
        return s.run();
    }

    Status setSelection(const QString &chatId, const QString &parentId, const QString &childId)
    {
        BLYAN_CHECK(ready());
        BLYAN_TRY(Transaction tx, Transaction::begin(db));
        BLYAN_CHECK(setSelectionIn(chatId, parentId, childId));
        return tx.commit();
    }

    Status deleteMessages(const QString &chatId, const QStringList &ids, const QString &parentId, const QString &selected)
    {
        BLYAN_CHECK(ready());
        BLYAN_TRY(Transaction tx, Transaction::begin(db));
        for (const QString &id : ids) {
            BLYAN_TRY(Statement s, db.prepareCached("DELETE FROM messages WHERE id = ?1 AND chat_id = ?2"));
            BLYAN_CHECK(s.bindText(1, id));
            BLYAN_CHECK(s.bindText(2, chatId));
            BLYAN_CHECK(s.run());
        }
        BLYAN_CHECK(setSelectionIn(chatId, parentId, selected));
        return tx.commit();
    }

    Status deleteChat(const QString &chatId)
    {
        // Messages go with it (ON DELETE CASCADE).
        return write("DELETE FROM chats WHERE id = ?1", [&](Statement &s) { return s.bindText(1, chatId); });
    }
};

ChatStore::ChatStore(QObject *parent) : QObject(parent), worker_(new Worker)
{
    worker_->owner = this;
    thread_.setObjectName(QStringLiteral("blyan-chats"));
    worker_->moveToThread(&thread_);
    thread_.start();
}

ChatStore::~ChatStore()
{
    // Posted after every earlier request, so they all run first; the database closes on its own thread.
    QMetaObject::invokeMethod(worker_, [w = worker_] {
        w->db = Database();
        QThread::currentThread()->quit();
    }, Qt::QueuedConnection);
    thread_.wait();
    delete worker_;
}

void ChatStore::post(std::function<void(Worker &)> job)
{
    QMetaObject::invokeMethod(worker_, [w = worker_, job = std::move(job)] { job(*w); }, Qt::QueuedConnection);
}

namespace {
// Runs `done(value)` on `context`'s thread, unless `context` is gone by then.
template <typename T, typename F>
void answer(QObject *context, F done, T value)
{
    QPointer<QObject> ctx(context);
    QMetaObject::invokeMethod(context, [ctx, done = std::move(done), v = std::move(value)] {
        if (ctx) done(v);
    }, Qt::QueuedConnection);
}
}  // namespace

void ChatStore::open(const QString &path, QObject *context, std::function<void(const Status &)> done)
{
    QPointer<QObject> ctx(context);
    post([path, ctx, done](Worker &w) {
        Status st = w.open(path);
        if (ctx) answer(ctx.data(), done, st);
    });
}

void ChatStore::setPersistentPath(const QString &path, QObject *context, std::function<void(const Status &)> done)
{
    QPointer<QObject> ctx(context);
    post([path, ctx, done](Worker &w) {
        Status st = w.switchTo(path);
        if (ctx) answer(ctx.data(), done, st);
    });
}

void ChatStore::listChats(int offset, int limit, QObject *context, Reply<QList<ChatSummary>> done)
{
    QPointer<QObject> ctx(context);
    post([offset, limit, ctx, done](Worker &w) {
        auto r = w.list(offset, limit);
        if (ctx) answer(ctx.data(), done, std::move(r));
    });
}

void ChatStore::loadChat(const QString &chatId, QObject *context, Reply<Conversation> done)
{
    QPointer<QObject> ctx(context);
    post([chatId, ctx, done](Worker &w) {
        auto r = w.load(chatId);
        if (ctx) answer(ctx.data(), done, std::move(r));
    });
}

void ChatStore::saveChat(const ChatMeta &meta)
{
    post([meta](Worker &w) {
        if (auto st = w.saveChat(meta); !st.ok()) w.failed("saving chat \"" + meta.title.toStdString() + "\"", st.error());
    });
}

void ChatStore::saveMessage(const QString &chatId, const ChatMessage &m, bool select)
{
    post([chatId, m, select](Worker &w) {
        if (auto st = w.saveMessage(chatId, m, select); !st.ok()) w.failed("saving a message", st.error());
    });
}

void ChatStore::setSelection(const QString &chatId, const QString &parentId, const QString &childId)
{
    post([chatId, parentId, childId](Worker &w) {
        if (auto st = w.setSelection(chatId, parentId, childId); !st.ok()) w.failed("saving the shown variant", st.error());
    });
}

void ChatStore::deleteMessages(const QString &chatId, const QStringList &ids, const QString &parentId, const QString &selected)
{
    post([chatId, ids, parentId, selected](Worker &w) {
        if (auto st = w.deleteMessages(chatId, ids, parentId, selected); !st.ok()) w.failed("deleting messages", st.error());
    });
}

void ChatStore::deleteChat(const QString &chatId)
{
    post([chatId](Worker &w) {
        if (auto st = w.deleteChat(chatId); !st.ok()) w.failed("deleting a chat", st.error());
    });
}

void ChatStore::writeFile(const QString &path, const QByteArray &content, QObject *context, std::function<void(const Status &)> done)
{
    QPointer<QObject> ctx(context);
    post([path, content, ctx, done](Worker &) {
        QSaveFile f(path);
        Status st;
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size() || !f.commit())
            st = makeError(ErrorCode::Io, "cannot write " + path.toStdString() + ": " + f.errorString().toStdString());
        if (ctx) answer(ctx.data(), done, st);
    });
}

}  // namespace blyan::ui::chat
