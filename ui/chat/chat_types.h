#pragma once
// The Chat panel's data: a chat (title, system prompt, sampling settings) and its messages. Messages form
// a tree: a message's parent is the turn it answers or follows, and siblings are alternatives of one turn
// (Regenerate adds an assistant sibling, editing a user message adds a user sibling, so the old branch
// with everything after it stays reachable). Each parent remembers which child is shown; the shown path
// from the root is the conversation the model sees. Ids are UUID strings made on the UI thread, so the
// UI never waits for the store to hand one out.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace blyan::ui::chat {

// Sampling settings and system prompt of one chat. Defaults are Qwen3's recommended non-thinking
// settings (its model card), the family the panel is built for first.
struct ChatSettings {
    QString systemPrompt;
    double temperature = 0.7;
    double topP = 0.8;
    int topK = 20;
    double minP = 0.0;
    double repeatPenalty = 1.0;
    int maxTokens = 1024;
    std::optional<qint64> seed;  // none: a fresh random seed per answer

    QJsonObject toJson() const;
    static ChatSettings fromJson(const QJsonObject &o);  // missing or out-of-range fields take the default
    // The `chat` RPC options (docs/rpc.md) for these settings, streaming.
    QJsonObject rpcOptions() const;
    bool operator==(const ChatSettings &) const = default;
};

// What the panel measured and the node reported for an answer (all optional in the JSON).
struct AnswerStats {
    qint64 promptTokens = 0, reusedTokens = 0, completionTokens = 0;
    double promptSeconds = 0, generateSeconds = 0;
    qint64 firstTokenMs = -1;  // send to first streamed text, as the user waited for it (-1: none yet)
    QString stopReason;        // max_tokens, eos, stop_string, cancelled, context_full
    int droppedMessages = 0;   // older messages left out to fit the context
    QJsonArray experts;        // [{layer, expert, object, steps}] from the chat result

    double tokensPerSecond() const { return generateSeconds > 0 ? completionTokens / generateSeconds : 0; }
    QJsonObject toJson() const;
    static AnswerStats fromJson(const QJsonObject &o);
};

struct ChatMessage {
    QString id, parentId;  // parentId empty: a first turn
    QString role;          // "user" or "assistant"
    QString content;
    qint64 createdMs = 0;
    // done; streaming (being written; a crash leaves it so: shown as interrupted); stopped; failed.
    QString state = QStringLiteral("done");
    QString error;
    AnswerStats stats;
    QString selectedChild;  // the child shown after this one

    bool isUser() const { return role == QLatin1String("user"); }
};

struct ChatMeta {
    QString id, title;
    qint64 createdMs = 0, updatedMs = 0;
    ChatSettings settings;
    QString selectedRoot;  // the first turn shown
};

// A row of the chat list (messages are read only when a chat is opened).
struct ChatSummary {
    QString id, title;
    qint64 updatedMs = 0;
    int messages = 0;
};

QString newId();
qint64 nowMs();

}  // namespace blyan::ui::chat
