#include "ui/chat/conversation.h"

#include <algorithm>

namespace blyan::ui::chat {

Conversation::Conversation(ChatMeta meta, const QList<ChatMessage> &messages) : meta_(std::move(meta))
{
    QList<ChatMessage> sorted = messages;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const ChatMessage &a, const ChatMessage &b) { return a.createdMs < b.createdMs; });
    for (const ChatMessage &m : sorted) {
        messages_.insert(m.id, m);
        children_[m.parentId].append(m.id);
    }
    // A message whose parent is gone (never written, or deleted by an older build) becomes a first turn
    // rather than vanishing.
    const QStringList parents = children_.keys();
    for (const QString &p : parents) {
        if (p.isEmpty() || messages_.contains(p)) continue;
        for (const QString &c : children_.take(p)) {
            messages_[c].parentId.clear();
            children_[QString()].append(c);
        }
    }
}

const ChatMessage *Conversation::message(const QString &id) const
{
    auto it = messages_.constFind(id);
    return it == messages_.constEnd() ? nullptr : &it.value();
}

ChatMessage *Conversation::message(const QString &id)
{
    auto it = messages_.find(id);
    return it == messages_.end() ? nullptr : &it.value();
}

QString Conversation::selectedChildOf(const QString &parentId) const
{
    const QStringList kids = children_.value(parentId);
    if (kids.isEmpty()) return {};
    const QString chosen = parentId.isEmpty() ? meta_.selectedRoot : messages_.value(parentId).selectedChild;
    return kids.contains(chosen) ? chosen : kids.last();
}

QStringList Conversation::path() const
{
    QStringList out;
    for (QString id = selectedChildOf(QString()); !id.isEmpty() && out.size() <= messages_.size(); id = selectedChildOf(id))
        out.append(id);
    return out;
}

QStringList Conversation::siblings(const QString &id) const
{
    const ChatMessage *m = message(id);
    return m ? children_.value(m->parentId) : QStringList();
}

QStringList Conversation::subtree(const QString &id) const
{
    if (!messages_.contains(id)) return {};
    QStringList out{id};
    for (int i = 0; i < out.size(); ++i) out += children_.value(out[i]);
    return out;
}

void Conversation::add(const ChatMessage &m)
{
    messages_.insert(m.id, m);
    children_[m.parentId].append(m.id);
    select(m.id);
}

QString Conversation::select(const QString &id)
{
    const ChatMessage *m = message(id);
    if (!m) return QString();
    const QString parent = m->parentId;
    if (parent.isEmpty()) meta_.selectedRoot = id;
    else messages_[parent].selectedChild = id;
    return parent.isEmpty() ? QStringLiteral("") : parent;
}

QStringList Conversation::remove(const QString &id)
{
    const ChatMessage *m = message(id);
    if (!m) return {};
    const QString parent = m->parentId;
    QStringList &kids = children_[parent];
    const int at = int(kids.indexOf(id));
    const QStringList gone = subtree(id);
    for (const QString &g : gone) {
        messages_.remove(g);
        children_.remove(g);
    }
    kids.removeAt(at);
    const QString next = kids.isEmpty() ? QString() : kids.at(std::max(0, at - 1));
    if (parent.isEmpty()) meta_.selectedRoot = next;
    else messages_[parent].selectedChild = next;
    if (kids.isEmpty()) children_.remove(parent);
    return gone;
}

QList<ChatMessage> Conversation::pathUpTo(const QString &id) const
{
    QList<ChatMessage> out;
    for (const QString &p : path()) {
        out.append(messages_.value(p));
        if (p == id) break;
    }
    return out;
}

QList<ChatMessage> Conversation::all() const
{
    QList<ChatMessage> out = messages_.values();
    std::stable_sort(out.begin(), out.end(), [](const ChatMessage &a, const ChatMessage &b) {
        return a.createdMs != b.createdMs ? a.createdMs < b.createdMs : a.id < b.id;
    });
    return out;
}

}  // namespace blyan::ui::chat
