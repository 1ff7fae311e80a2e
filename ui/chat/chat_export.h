#pragma once
// Exports of a chat. Markdown: the conversation as shown (the selected variant of every turn), with each
// answer's figures, for reading and sharing. JSON ("blyan-chat/1"): everything, every variant and branch
// with its parent and the shown path, settings and figures, for keeping or processing.

#include "ui/chat/conversation.h"

#include <QByteArray>

namespace blyan::ui::chat {

QByteArray exportMarkdown(const Conversation &c, const QString &modelName);
QByteArray exportJson(const Conversation &c, const QString &modelName);
// The one-line figures under an answer: "42.1 tok/s · 128 tokens · first token 0.31 s · stopped: max tokens".
QString statsLine(const ChatMessage &m);
// "the end-of-text token", "max tokens", ... for a stop_reason.
QString stopReasonText(const QString &reason);

}  // namespace blyan::ui::chat
