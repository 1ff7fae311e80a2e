#pragma once
// ChatStore: the Chat panel's history in <datadir>/chats.sqlite, on a thread of its own.
//
// Why here and not in the node: chats are the desktop user's conversations, not node state. The node's
// `chat` RPC stays stateless (a prompt in, tokens out), so blyand and the OpenAI-compatible API carry no
// history they never show, and "keep nothing" is simply a store that never opens a file. The store still
// keeps every SQLite call off the UI thread: it lives on its own QThread and every request is posted to it
// in order; reads answer through a callback on the caller's thread, writes report failures through
// writeFailed(). Ids are made by the UI (UUIDs), so no write ever has to be waited for.
//
// Crash safety: each write (a chat's settings, one message, a selection, a deletion) is one SQLite
// transaction (WAL, synchronous=FULL), so a crash loses at most the write in flight. A streaming answer is
// written when it starts, about once a second while it grows, and when it ends; one left "streaming" by a
// crash shows as interrupted.
//
// History off: the store runs on an in-memory SQLite database and writes nothing to disk. Switching off
// copies the chats into memory and deletes chats.sqlite (and its -wal/-shm); switching on writes the chats
// in memory into chats.sqlite (merged with whatever is there) and continues on the file.

#include "ui/chat/chat_types.h"
#include "ui/chat/conversation.h"
#include "util/error.h"

#include <QObject>
#include <QThread>

#include <functional>

namespace blyan::ui::chat {

class ChatStore : public QObject {
    Q_OBJECT
public:
    template <typename T>
    using Reply = std::function<void(const Expected<T> &)>;

    explicit ChatStore(QObject *parent = nullptr);
    // Carries out the requests already posted, closes the database and joins the thread.
    ~ChatStore() override;

    // Opens `path` (created when missing), or an in-memory database when `path` is empty (history off).
    void open(const QString &path, QObject *context, std::function<void(const Status &)> done);
    // History on (`path`) or off (empty): see above. `done` gets the outcome.
    void setPersistentPath(const QString &path, QObject *context, std::function<void(const Status &)> done);
    // Newest first.
    void listChats(int offset, int limit, QObject *context, Reply<QList<ChatSummary>> done);
    void loadChat(const QString &chatId, QObject *context, Reply<Conversation> done);

    // Writes, in the order they are asked for.
    void saveChat(const ChatMeta &meta);
    // Inserts or updates `m`; `select`: it becomes the shown child of its parent. Bumps the chat's time.
    void saveMessage(const QString &chatId, const ChatMessage &m, bool select);
    // The shown child of `parentId` ("" for the first turn).
    void setSelection(const QString &chatId, const QString &parentId, const QString &childId);
    // Removes messages (a subtree the caller computed) and sets the parent's shown child.
    void deleteMessages(const QString &chatId, const QStringList &ids, const QString &parentId, const QString &selected);
    void deleteChat(const QString &chatId);
    // Writes `content` to `path` atomically (exports).
    void writeFile(const QString &path, const QByteArray &content, QObject *context, std::function<void(const Status &)> done);

Q_SIGNALS:
    // A write failed (disk full, file removed, ...): the message says which and why.
    void writeFailed(const QString &message);

private:
    class Worker;
    void post(std::function<void(Worker &)> job);

    QThread thread_;
    Worker *worker_;
};

}  // namespace blyan::ui::chat
