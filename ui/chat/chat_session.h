#pragma once
// ChatSession: one open chat and its generation. Everything goes through Node::call (docs/rpc.md,
// "Model"): `tokenize` to fit the prompt into the context, `chat` with stream:true, then `getchat` polls
// (one in flight, 40 ms apart) until the answer is done, `stopchat` for Stop. Every change is mirrored
// into the ChatStore at once (one transaction per message write); a streaming answer is saved when it
// starts, about once a second while it grows and when it ends. Nothing here waits.
//
// Fitting the context: the prompt (system prompt + the shown conversation) plus room for the answer
// (Max tokens, at most half the context) must fit the model's context. When it does not, the oldest
// whole turns are left out of what is sent (never the system prompt or the new message): the count of
// each message from `tokenize` gives a first guess, and the exact count of the shortened prompt decides.
// The answer records how many messages were left out; the composer warns before sending.

#include "ui/chat/conversation.h"
#include "util/error.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QObject>
#include <QTimer>

namespace blyan::node {
class Node;
}

namespace blyan::ui::chat {

class ChatStore;

// The context figures the composer shows for the next prompt.
struct ContextInfo {
    bool known = false;       // a count came back
    qint64 count = 0;         // tokens of the prompt as it would be sent now (with the draft)
    qint64 contextLength = 0;
    qint64 reserve = 0;       // room kept for the answer
    int drop = 0;             // oldest messages that would be left out (an estimate)
    bool impossible = false;  // even the system prompt and the new message alone do not fit
    QString error;            // why there is no count (no tokenizer, node not running, ...)
};

// The first guess of how many leading messages (after a system prompt) to leave out so that `total`
// tokens fit into `budget`, from each message's own count (`perMessage`, with the template's overhead
// spread evenly), in whole turns (what remains starts with a user message) and never the last message.
// -1 when even that is not enough.
int estimateDrop(const QStringList &roles, const QList<qint64> &perMessage, qint64 total, qint64 budget);
// The room kept for an answer: Max tokens, at most half the context.
qint64 answerReserve(int maxTokens, qint64 contextLength);

class ChatSession : public QObject {
    Q_OBJECT
public:
    // `saved`: the chat is in the store already (opened from the list) rather than new.
    ChatSession(node::Node *node, ChatStore *store, Conversation conversation, bool saved, QObject *parent = nullptr);

    Conversation &conversation() { return c_; }
    const Conversation &conversation() const { return c_; }
    QString id() const { return c_.meta().id; }
    bool isSaved() const { return saved_; }
    bool isBusy() const { return !gen_.messageId.isEmpty(); }
    QString streamingId() const { return gen_.messageId; }
    // What the running generation is doing ("Loading the model…"), empty when idle.
    QString phase() const { return gen_.phase; }

    void send(const QString &text);
    void regenerate(const QString &assistantId);
    // A new variant of a user turn with `text`, answered; the old one keeps its branch.
    void editAndResubmit(const QString &userId, const QString &text);
    void stop();
    // The page closes while an answer streams: it is cancelled and saved as "interrupted" with its text.
    void abandon();
    // Shows the previous (-1) or next (+1) variant of `id`'s turn.
    void showVariant(const QString &id, int delta);
    // Removes `id` and the turns after it on every branch (refused while an answer streams).
    void deleteMessage(const QString &id);
    void setSettings(const ChatSettings &s);
    void rename(const QString &title);
    // Counts the next prompt with `draft` as the new message; contextCounted follows (stale ones never).
    void countContext(const QString &draft);

Q_SIGNALS:
    void structureChanged();                // the shown path or the set of messages changed
    void messageChanged(const QString &id); // text, state or figures of one message
    void busyChanged(bool busy);
    void phaseChanged(const QString &phase);
    void metaChanged();                     // title, time or message count (the chat list row)
    void contextCounted(const blyan::ui::chat::ContextInfo &info);

private:
    struct Generation {
        QString messageId;
        qint64 chatId = 0, next = 0;
        quint64 serial = 0;  // callbacks of an older generation are ignored
        bool stopRequested = false;
        int dropped = 0;
        QString phase;
        QElapsedTimer clock, sinceSave;
    };

    void ensureSaved();
    void answer(const QString &userId);
    QJsonArray requestMessages(const QString &lastId, const QString &draft = {}) const;
    void fit(const QJsonArray &messages, int drop, bool estimated);
    void startChat(const QJsonArray &messages);
    void poll();
    void onChatAnswer(const Expected<QJsonValue> &answer);
    void finish(const QString &state, const QString &error, const QJsonObject &result = {});
    void setPhase(const QString &phase);
    bool current(quint64 serial) const { return serial == gen_.serial && isBusy(); }

    node::Node *node_;
    ChatStore *store_;
    Conversation c_;
    bool saved_;
    Generation gen_;
    quint64 serials_ = 0;
    quint64 countSerial_ = 0;
    QTimer pollTimer_;
};

}  // namespace blyan::ui::chat
