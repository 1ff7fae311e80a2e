#include "ui/chat/chat_session.h"

#include "node/node.h"
#include "ui/chat/chat_store.h"

#include <QJsonObject>

#include <algorithm>
#include <numeric>

namespace blyan::ui::chat {

namespace {

constexpr int kPollMs = 40;       // a getchat every 40 ms at most: tokens appear as they come
constexpr int kSaveEveryMs = 1000;  // a growing answer is written about once a second
constexpr int kTitleChars = 60;

QString titleFrom(const QString &text)
{
    QString t = text.section(QLatin1Char('\n'), 0, 0).simplified();
    if (t.isEmpty()) t = text.simplified();
    return t.size() > kTitleChars ? t.left(kTitleChars - 1).trimmed() + QChar(0x2026) : t;
}

QString message(const Error &e) { return QString::fromStdString(e.message); }

}  // namespace

qint64 answerReserve(int maxTokens, qint64 contextLength) { return std::min<qint64>(maxTokens, contextLength / 2); }

int estimateDrop(const QStringList &roles, const QList<qint64> &perMessage, qint64 total, qint64 budget)
{
    const int n = int(roles.size());
    if (total <= budget) return 0;
    if (n == 0 || perMessage.size() != n) return -1;
    const qint64 sum = std::accumulate(perMessage.begin(), perMessage.end(), qint64(0));
    const qint64 overhead = n > 0 ? (std::max<qint64>(0, total - sum) + n - 1) / n : 0;
    const int first = roles.first() == QLatin1String("system") ? 1 : 0;
    int i = first;
    qint64 left = total;
    while (left > budget && i < n - 1) left -= perMessage[i++] + overhead;
    while (i < n - 1 && roles[i] != QLatin1String("user")) left -= perMessage[i++] + overhead;  // whole turns
    return left > budget ? -1 : i - first;
}

ChatSession::ChatSession(node::Node *node, ChatStore *store, Conversation conversation, bool saved, QObject *parent)
    : QObject(parent), node_(node), store_(store), c_(std::move(conversation)), saved_(saved)
{
    // An answer left "streaming" was being written when Blyan stopped: it ends there.
    for (const ChatMessage &m : c_.all())
        if (m.state == QLatin1String("streaming")) c_.message(m.id)->state = QStringLiteral("interrupted");
    pollTimer_.setSingleShot(true);
    pollTimer_.setInterval(kPollMs);
    connect(&pollTimer_, &QTimer::timeout, this, &ChatSession::poll);
}

void ChatSession::ensureSaved()
{
    ChatMeta &meta = c_.meta();
    if (meta.title.isEmpty())
        for (const QString &id : c_.path())
            if (c_.message(id)->isUser()) {
                meta.title = titleFrom(c_.message(id)->content);
                break;
            }
    meta.updatedMs = nowMs();
    if (!saved_) {
        meta.createdMs = meta.updatedMs;
        store_->saveChat(meta);
        saved_ = true;
    }
    Q_EMIT metaChanged();
}

void ChatSession::send(const QString &text)
{
    if (isBusy() || text.trimmed().isEmpty()) return;
    const QStringList path = c_.path();
    ChatMessage u;
    u.id = newId();
    u.parentId = path.isEmpty() ? QString() : path.last();
    u.role = QStringLiteral("user");
    u.content = text;
    u.createdMs = nowMs();
    c_.add(u);
    ensureSaved();
    store_->saveMessage(id(), u, true);
    Q_EMIT structureChanged();
    answer(u.id);
}

void ChatSession::regenerate(const QString &assistantId)
{
    const ChatMessage *a = c_.message(assistantId);
    if (isBusy() || !a || a->isUser() || a->parentId.isEmpty()) return;
    answer(a->parentId);
}

void ChatSession::editAndResubmit(const QString &userId, const QString &text)
{
    const ChatMessage *old = c_.message(userId);
    if (isBusy() || !old || !old->isUser() || text.trimmed().isEmpty()) return;
    ChatMessage u;
    u.id = newId();
    u.parentId = old->parentId;
    u.role = QStringLiteral("user");
    u.content = text;
    u.createdMs = std::max(nowMs(), old->createdMs + 1);
    c_.add(u);
    ensureSaved();
    store_->saveMessage(id(), u, true);
    Q_EMIT structureChanged();
    answer(u.id);
}

void ChatSession::showVariant(const QString &id, int delta)
{
    const QStringList sibs = c_.siblings(id);
    const int at = int(sibs.indexOf(id)) + delta;
    if (at < 0 || at >= sibs.size()) return;
    const QString parent = c_.select(sibs[at]);
    if (saved_) store_->setSelection(this->id(), parent, sibs[at]);
    Q_EMIT structureChanged();
}

void ChatSession::deleteMessage(const QString &id)
{
    const ChatMessage *m = c_.message(id);
    if (!m || (isBusy() && c_.subtree(id).contains(gen_.messageId))) return;
    const QString parent = m->parentId;
    const QStringList gone = c_.remove(id);
    const QString shown = parent.isEmpty() ? c_.meta().selectedRoot : c_.message(parent)->selectedChild;
    if (saved_) store_->deleteMessages(this->id(), gone, parent, shown);
    Q_EMIT structureChanged();
    Q_EMIT metaChanged();
}

void ChatSession::setSettings(const ChatSettings &s)
{
    if (c_.meta().settings == s) return;
    c_.meta().settings = s;
    if (saved_) store_->saveChat(c_.meta());
}

void ChatSession::rename(const QString &title)
{
    const QString t = title.simplified();
    if (t.isEmpty() || t == c_.meta().title) return;
    c_.meta().title = t;
    if (saved_) store_->saveChat(c_.meta());
    Q_EMIT metaChanged();
}

QJsonArray ChatSession::requestMessages(const QString &lastId, const QString &draft) const
{
    QJsonArray out;
    const ChatSettings &s = c_.meta().settings;
    if (!s.systemPrompt.trimmed().isEmpty())
        out.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")}, {QStringLiteral("content"), s.systemPrompt}});
    for (const ChatMessage &m : c_.pathUpTo(lastId)) {
        // A failed answer or one that never got text is not part of what the model said.
        if (!m.isUser() && (m.state == QLatin1String("failed") || m.content.isEmpty())) continue;
        if (m.id == gen_.messageId) continue;
        out.append(QJsonObject{{QStringLiteral("role"), m.role}, {QStringLiteral("content"), m.content}});
    }
    if (!draft.trimmed().isEmpty())
        out.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), draft}});
    return out;
}

// --- context ---------------------------------------------------------------------------------------------

namespace {
QStringList rolesOf(const QJsonArray &messages)
{
    QStringList r;
    for (const auto &m : messages) r << m.toObject().value(QStringLiteral("role")).toString();
    return r;
}
QList<qint64> countsOf(const QJsonObject &tokenized)
{
    QList<qint64> out;
    for (const auto &v : tokenized.value(QStringLiteral("message_tokens")).toArray()) out << v.toInteger();
    return out;
}
// `messages` without `drop` messages after a leading system prompt.
QJsonArray without(const QJsonArray &messages, int drop)
{
    QJsonArray out;
    const int first = !messages.isEmpty() && messages[0].toObject().value(QStringLiteral("role")) == QLatin1String("system") ? 1 : 0;
    for (int i = 0; i < messages.size(); ++i)
        if (i < first || i >= first + drop) out.append(messages[i]);
    return out;
}
}  // namespace

void ChatSession::countContext(const QString &draft)
{
    const quint64 serial = ++countSerial_;
    const QJsonArray messages = requestMessages(QString(), draft);
    if (messages.isEmpty()) {
        Q_EMIT contextCounted(ContextInfo{});
        return;
    }
    const int maxTokens = c_.meta().settings.maxTokens;
    node_->call(QStringLiteral("tokenize"), QJsonArray{QJsonValue(messages)}, this, [this, serial, messages, maxTokens](const Expected<QJsonValue> &r) {
        if (serial != countSerial_) return;
        ContextInfo info;
        if (!r.ok()) {
            info.error = message(r.error());
            Q_EMIT contextCounted(info);
            return;
        }
        const QJsonObject o = r.value().toObject();
        info.known = true;
        info.count = o.value(QStringLiteral("count")).toInteger();
        info.contextLength = o.value(QStringLiteral("context_length")).toInteger();
        info.reserve = answerReserve(maxTokens, info.contextLength);
        const int drop = estimateDrop(rolesOf(messages), countsOf(o), info.count, info.contextLength - info.reserve);
        info.impossible = drop < 0;
        info.drop = std::max(0, drop);
        Q_EMIT contextCounted(info);
    });
}

// --- generation ------------------------------------------------------------------------------------------

void ChatSession::answer(const QString &userId)
{
    ChatMessage a;
    a.id = newId();
    a.parentId = userId;
    a.role = QStringLiteral("assistant");
    a.state = QStringLiteral("streaming");
    a.createdMs = nowMs();
    c_.add(a);
    ensureSaved();
    store_->saveMessage(id(), a, true);
    gen_ = Generation{};
    gen_.messageId = a.id;
    gen_.serial = ++serials_;
    gen_.clock.start();
    gen_.sinceSave.start();
    Q_EMIT structureChanged();
    Q_EMIT busyChanged(true);
    setPhase(tr("Counting tokens…"));
    fit(requestMessages(userId), 0, false);
}

void ChatSession::fit(const QJsonArray &messages, int drop, bool estimated)
{
    const quint64 serial = gen_.serial;
    const QJsonArray sent = without(messages, drop);
    const int maxTokens = c_.meta().settings.maxTokens;
    node_->call(QStringLiteral("tokenize"), QJsonArray{QJsonValue(sent)}, this, [=, this](const Expected<QJsonValue> &r) {
        if (!current(serial)) return;
        if (gen_.stopRequested) return finish(QStringLiteral("stopped"), QString());
        if (!r.ok()) return finish(QStringLiteral("failed"), message(r.error()));
        const QJsonObject o = r.value().toObject();
        const qint64 count = o.value(QStringLiteral("count")).toInteger();
        const qint64 context = o.value(QStringLiteral("context_length")).toInteger();
        const qint64 budget = context - answerReserve(maxTokens, context);
        if (count <= budget) {
            gen_.dropped = drop;
            return startChat(sent);
        }
        // Too long: a first guess from the per-message counts, then one more turn at a time.
        const QStringList roles = rolesOf(messages);
        int next = drop + 1;
        if (!estimated) {
            next = estimateDrop(roles, countsOf(o), count, budget);
            if (next >= 0) next = std::max(next, 1);
        }
        const int first = !roles.isEmpty() && roles.first() == QLatin1String("system") ? 1 : 0;
        while (next > 0 && first + next < roles.size() - 1 && roles[first + next] != QLatin1String("user")) ++next;
        if (next < 0 || first + next > roles.size() - 1 || next <= drop)
            return finish(QStringLiteral("failed"),
                          tr("The prompt does not fit the model's context even without the older messages: it takes %1 "
                             "tokens, the context holds %2 and %3 of them are kept for the answer (Max tokens). Shorten "
                             "the message or the system prompt, or lower Max tokens.")
                              .arg(count).arg(context).arg(answerReserve(maxTokens, context)));
        fit(messages, next, true);
    });
}

void ChatSession::startChat(const QJsonArray &messages)
{
    const quint64 serial = gen_.serial;
    setPhase(tr("Waiting for the model…"));
    node_->call(QStringLiteral("chat"), {messages, c_.meta().settings.rpcOptions()}, this,
                [this, serial](const Expected<QJsonValue> &r) {
                    if (!current(serial)) return;
                    if (!r.ok()) return finish(QStringLiteral("failed"), message(r.error()));
                    gen_.chatId = r.value().toObject().value(QStringLiteral("chat_id")).toInteger();
                    if (gen_.stopRequested) node_->call(QStringLiteral("stopchat"), {gen_.chatId}, this, [](const Expected<QJsonValue> &) {});
                    onChatAnswer(r);
                });
}

void ChatSession::poll()
{
    const quint64 serial = gen_.serial;
    if (!isBusy() || gen_.chatId == 0) return;
    node_->call(QStringLiteral("getchat"), {gen_.chatId, gen_.next}, this, [this, serial](const Expected<QJsonValue> &r) {
        if (current(serial)) onChatAnswer(r);
    });
}

void ChatSession::onChatAnswer(const Expected<QJsonValue> &answer)
{
    if (!answer.ok()) return finish(QStringLiteral("failed"), message(answer.error()));
    const QJsonObject o = answer.value().toObject();
    ChatMessage *m = c_.message(gen_.messageId);
    if (!m) return finish(QStringLiteral("failed"), QString());  // deleted meanwhile (cannot happen: refused)
    const QString state = o.value(QStringLiteral("state")).toString();
    QString added;
    for (const auto &p : o.value(QStringLiteral("pieces")).toArray()) added += p.toObject().value(QStringLiteral("text")).toString();
    gen_.next = o.value(QStringLiteral("next")).toInteger(gen_.next);
    if (!added.isEmpty()) {
        if (m->stats.firstTokenMs < 0) m->stats.firstTokenMs = gen_.clock.elapsed();
        m->content += added;
    }
    if (o.value(QStringLiteral("done")).toBool()) {
        if (state == QLatin1String("failed")) return finish(QStringLiteral("failed"), o.value(QStringLiteral("error")).toString());
        return finish(state == QLatin1String("cancelled") ? QStringLiteral("stopped") : QStringLiteral("done"), QString(),
                      o.value(QStringLiteral("result")).toObject());
    }
    setPhase(state == QLatin1String("loading") ? tr("Loading the model from the chain…")
             : state == QLatin1String("queued") ? tr("Waiting for the model…")
             : m->content.isEmpty()             ? tr("Reading the prompt…")
                                                : tr("Generating…"));
    if (!added.isEmpty()) {
        m->stats.completionTokens = gen_.next;
        Q_EMIT messageChanged(m->id);
        if (gen_.sinceSave.elapsed() >= kSaveEveryMs) {
            store_->saveMessage(id(), *m, false);
            gen_.sinceSave.restart();
        }
    }
    pollTimer_.start();
}

void ChatSession::stop()
{
    if (!isBusy()) return;
    gen_.stopRequested = true;
    setPhase(tr("Stopping…"));
    if (gen_.chatId) node_->call(QStringLiteral("stopchat"), {gen_.chatId}, this, [](const Expected<QJsonValue> &) {});
}

void ChatSession::abandon()
{
    if (!isBusy()) return;
    if (gen_.chatId) node_->call(QStringLiteral("stopchat"), {gen_.chatId}, this, [](const Expected<QJsonValue> &) {});
    if (ChatMessage *m = c_.message(gen_.messageId)) {
        m->state = QStringLiteral("interrupted");
        store_->saveMessage(id(), *m, false);
    }
    pollTimer_.stop();
    gen_ = Generation{};
}

void ChatSession::finish(const QString &state, const QString &error, const QJsonObject &result)
{
    pollTimer_.stop();
    ChatMessage *m = c_.message(gen_.messageId);
    if (m) {
        m->state = state;
        m->error = error;
        AnswerStats &s = m->stats;
        s.droppedMessages = gen_.dropped;
        if (!result.isEmpty()) {
            s.promptTokens = result.value(QStringLiteral("prompt_tokens")).toInteger();
            s.reusedTokens = result.value(QStringLiteral("reused_tokens")).toInteger();
            s.completionTokens = result.value(QStringLiteral("tokens")).toArray().size();
            s.promptSeconds = result.value(QStringLiteral("prompt_seconds")).toDouble();
            s.generateSeconds = result.value(QStringLiteral("generate_seconds")).toDouble();
            s.stopReason = result.value(QStringLiteral("stop_reason")).toString();
            s.experts = result.value(QStringLiteral("experts")).toArray();
        } else if (state == QLatin1String("stopped")) {
            s.stopReason = QStringLiteral("cancelled");
        }
        store_->saveMessage(id(), *m, false);
    }
    const QString done = gen_.messageId;
    gen_ = Generation{};
    ensureSaved();
    Q_EMIT messageChanged(done);
    Q_EMIT busyChanged(false);
    Q_EMIT phaseChanged(QString());
}

void ChatSession::setPhase(const QString &phase)
{
    if (phase == gen_.phase) return;
    gen_.phase = phase;
    Q_EMIT phaseChanged(phase);
}

}  // namespace blyan::ui::chat
