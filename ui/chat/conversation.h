#pragma once
// Conversation: one open chat in memory, the tree of its messages (chat_types.h) and the path shown.
// Plain data on the UI thread; the controller mirrors every change into the ChatStore.

#include "ui/chat/chat_types.h"

#include <QHash>
#include <QStringList>

namespace blyan::ui::chat {

class Conversation {
public:
    Conversation() = default;
    Conversation(ChatMeta meta, const QList<ChatMessage> &messages);

    ChatMeta &meta() { return meta_; }
    const ChatMeta &meta() const { return meta_; }
    int size() const { return int(messages_.size()); }
    const ChatMessage *message(const QString &id) const;
    ChatMessage *message(const QString &id);

    // The shown conversation: from the selected first turn, each message's selected child (the newest
    // child when the selection is missing).
    QStringList path() const;
    // The alternatives of `id`'s turn (its parent's children, oldest first), `id` among them.
    QStringList siblings(const QString &id) const;
    QStringList children(const QString &parentId) const { return children_.value(parentId); }
    // `id` and every message after it on any branch.
    QStringList subtree(const QString &id) const;

    // Adds `m` as the shown child of its parent.
    void add(const ChatMessage &m);
    // Shows `id` among its siblings (the branch below it as it was last shown). The parent's id ("" for a
    // first turn), or a null string when `id` is unknown.
    QString select(const QString &id);
    // Removes `id` with its subtree; its parent then shows the previous sibling (or the next, or none).
    // Returns the removed ids (empty when unknown).
    QStringList remove(const QString &id);

    // The path up to and including `id` (which must be on the path).
    QList<ChatMessage> pathUpTo(const QString &id) const;
    // Every message, oldest first (export).
    QList<ChatMessage> all() const;

private:
    QString selectedChildOf(const QString &parentId) const;

    ChatMeta meta_;
    QHash<QString, ChatMessage> messages_;
    QHash<QString, QStringList> children_;  // parent id ("" for first turns) -> children, oldest first
};

}  // namespace blyan::ui::chat
