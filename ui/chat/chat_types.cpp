#include "ui/chat/chat_types.h"

#include <QDateTime>
#include <QUuid>

namespace blyan::ui::chat {

namespace {

double num(const QJsonObject &o, const char *key, double fallback, double min, double max)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() && v.toDouble() >= min && v.toDouble() <= max ? v.toDouble() : fallback;
}

}  // namespace

QJsonObject ChatSettings::toJson() const
{
    QJsonObject o{{QStringLiteral("system_prompt"), systemPrompt}, {QStringLiteral("temperature"), temperature},
                  {QStringLiteral("top_p"), topP},                 {QStringLiteral("top_k"), topK},
                  {QStringLiteral("min_p"), minP},                 {QStringLiteral("repeat_penalty"), repeatPenalty},
                  {QStringLiteral("max_tokens"), maxTokens}};
    if (seed) o.insert(QStringLiteral("seed"), *seed);
    return o;
}

ChatSettings ChatSettings::fromJson(const QJsonObject &o)
{
    // The same ranges the node accepts (docs/rpc.md, chat), so a stored setting never makes a chat fail.
    ChatSettings s;
    s.systemPrompt = o.value(QStringLiteral("system_prompt")).toString();
    s.temperature = num(o, "temperature", s.temperature, 0, 100);
    s.topP = num(o, "top_p", s.topP, 0, 1);
    s.topK = int(num(o, "top_k", s.topK, 0, 1 << 24));
    s.minP = num(o, "min_p", s.minP, 0, 1);
    s.repeatPenalty = num(o, "repeat_penalty", s.repeatPenalty, 0.01, 100);
    s.maxTokens = int(num(o, "max_tokens", s.maxTokens, 1, 1 << 20));
    if (o.value(QStringLiteral("seed")).isDouble()) s.seed = qint64(num(o, "seed", 0, 0, 9007199254740991.0));
    return s;
}

QJsonObject ChatSettings::rpcOptions() const
{
    QJsonObject o{{QStringLiteral("temperature"), temperature}, {QStringLiteral("top_p"), topP},
                  {QStringLiteral("top_k"), topK},             {QStringLiteral("min_p"), minP},
                  {QStringLiteral("repeat_penalty"), repeatPenalty},
                  {QStringLiteral("max_tokens"), maxTokens},   {QStringLiteral("stream"), true}};
    if (seed) o.insert(QStringLiteral("seed"), *seed);
    return o;
}

QJsonObject AnswerStats::toJson() const
{
    QJsonObject o{{QStringLiteral("prompt_tokens"), promptTokens},
                  {QStringLiteral("reused_tokens"), reusedTokens},
                  {QStringLiteral("completion_tokens"), completionTokens},
                  {QStringLiteral("prompt_seconds"), promptSeconds},
                  {QStringLiteral("generate_seconds"), generateSeconds},
                  {QStringLiteral("first_token_ms"), firstTokenMs}};
    if (!stopReason.isEmpty()) o.insert(QStringLiteral("stop_reason"), stopReason);
    if (droppedMessages) o.insert(QStringLiteral("dropped_messages"), droppedMessages);
    if (!experts.isEmpty()) o.insert(QStringLiteral("experts"), experts);
    return o;
}

AnswerStats AnswerStats::fromJson(const QJsonObject &o)
{
    AnswerStats s;
    s.promptTokens = o.value(QStringLiteral("prompt_tokens")).toInteger();
    s.reusedTokens = o.value(QStringLiteral("reused_tokens")).toInteger();
    s.completionTokens = o.value(QStringLiteral("completion_tokens")).toInteger();
    s.promptSeconds = o.value(QStringLiteral("prompt_seconds")).toDouble();
    s.generateSeconds = o.value(QStringLiteral("generate_seconds")).toDouble();
    s.firstTokenMs = o.value(QStringLiteral("first_token_ms")).toInteger(-1);
    s.stopReason = o.value(QStringLiteral("stop_reason")).toString();
    s.droppedMessages = o.value(QStringLiteral("dropped_messages")).toInt();
    s.experts = o.value(QStringLiteral("experts")).toArray();
    return s;
}

QString newId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

}  // namespace blyan::ui::chat
