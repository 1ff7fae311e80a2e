#include "ui/chat/chat_export.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>

namespace blyan::ui::chat {

namespace {
QString tr(const char *s) { return QCoreApplication::translate("ChatExport", s); }
}  // namespace

QString stopReasonText(const QString &reason)
{
    if (reason == QLatin1String("eos")) return tr("end of answer");
    if (reason == QLatin1String("max_tokens")) return tr("max tokens reached");
    if (reason == QLatin1String("stop_string")) return tr("stop string");
    if (reason == QLatin1String("cancelled")) return tr("stopped");
    if (reason == QLatin1String("context_full")) return tr("context full");
    return reason;
}

QString statsLine(const ChatMessage &m)
{
    const AnswerStats &s = m.stats;
    QStringList parts;
    const QLocale l;
    if (s.generateSeconds > 0) parts << tr("%1 tok/s").arg(l.toString(s.tokensPerSecond(), 'f', 1));
    if (s.completionTokens > 0) parts << (s.completionTokens == 1 ? tr("1 token") : tr("%1 tokens").arg(l.toString(s.completionTokens)));
    if (s.firstTokenMs >= 0) parts << tr("first token %1 s").arg(l.toString(s.firstTokenMs / 1000.0, 'f', 2));
    if (s.promptTokens > 0) parts << tr("prompt %1 tokens").arg(l.toString(s.promptTokens));
    if (!s.stopReason.isEmpty()) parts << stopReasonText(s.stopReason);
    if (s.droppedMessages > 0)
        parts << (s.droppedMessages == 1 ? tr("1 older message left out (context)")
                                         : tr("%1 older messages left out (context)").arg(s.droppedMessages));
    return parts.join(QStringLiteral(" · "));
}

QByteArray exportMarkdown(const Conversation &c, const QString &modelName)
{
    QString out = QStringLiteral("# %1\n\n").arg(c.meta().title.isEmpty() ? tr("Chat") : c.meta().title);
    out += QStringLiteral("*%1*\n\n").arg(tr("Exported from Blyan on %1, model %2")
                                              .arg(QDateTime::currentDateTime().toString(Qt::ISODate),
                                                   modelName.isEmpty() ? tr("(unknown)") : modelName));
    if (!c.meta().settings.systemPrompt.isEmpty()) {
        out += QStringLiteral("**%1**\n\n").arg(tr("System prompt"));
        for (const QString &line : c.meta().settings.systemPrompt.split(QLatin1Char('\n')))
            out += QStringLiteral("> %1\n").arg(line);
        out += QLatin1Char('\n');
    }
    for (const QString &id : c.path()) {
        const ChatMessage *m = c.message(id);
        out += QStringLiteral("### %1\n\n").arg(m->isUser() ? tr("You") : tr("Assistant"));
        out += m->content.trimmed() + QStringLiteral("\n\n");
        if (!m->isUser()) {
            const QString figures = statsLine(*m);
            if (!figures.isEmpty()) out += QStringLiteral("<sub>%1</sub>\n\n").arg(figures);
            if (!m->error.isEmpty()) out += QStringLiteral("> %1: %2\n\n").arg(tr("Error"), m->error);
        }
    }
    return out.toUtf8();
}

QByteArray exportJson(const Conversation &c, const QString &modelName)
{
    QJsonArray messages;
    for (const ChatMessage &m : c.all())
        messages.append(QJsonObject{{QStringLiteral("id"), m.id},
                                    {QStringLiteral("parent_id"), m.parentId.isEmpty() ? QJsonValue() : QJsonValue(m.parentId)},
                                    {QStringLiteral("role"), m.role},
                                    {QStringLiteral("content"), m.content},
                                    {QStringLiteral("created_ms"), m.createdMs},
                                    {QStringLiteral("state"), m.state},
                                    {QStringLiteral("error"), m.error},
                                    {QStringLiteral("stats"), m.stats.toJson()}});
    QJsonArray path;
    for (const QString &id : c.path()) path.append(id);
    const QJsonObject o{{QStringLiteral("format"), QStringLiteral("blyan-chat/1")},
                        {QStringLiteral("id"), c.meta().id},
                        {QStringLiteral("title"), c.meta().title},
                        {QStringLiteral("model"), modelName},
                        {QStringLiteral("created_ms"), c.meta().createdMs},
                        {QStringLiteral("updated_ms"), c.meta().updatedMs},
                        {QStringLiteral("settings"), c.meta().settings.toJson()},
                        {QStringLiteral("shown_path"), path},
                        {QStringLiteral("messages"), messages}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

}  // namespace blyan::ui::chat
