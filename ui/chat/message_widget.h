#pragma once
// One message of the conversation: who wrote it, the text (markdown, with code blocks apart), the variant switcher
// (‹ 2/3 ›) when the turn has alternatives, the figures of an answer, its actions (Copy, Edit for your
// messages, Regenerate for answers, Delete) and, on demand, which experts answered, per layer, each a link
// to its chain object (layer3.expert17) in the Explorer.

#include "ui/chat/chat_types.h"

#include <QFrame>
#include <QJsonArray>

class QLabel;
class QPlainTextEdit;
class QToolButton;
class QWidget;

namespace blyan::ui::chat {

class MarkdownView;

class MessageWidget : public QFrame {
    Q_OBJECT
public:
    explicit MessageWidget(const QString &id, QWidget *parent = nullptr);

    QString id() const { return id_; }
    // `variant` of `variants` (1-based); `busy`: an answer is being written in this chat (no new one can
    // start); `phase`: what the answer being written waits for.
    void display(const ChatMessage &m, int variant, int variants, bool busy, const QString &assistantName,
                 const QString &phase);
    QString content() const { return content_; }
    MarkdownView *markdown() const { return markdown_; }
    QToolButton *button(const QString &objectName) const;
    QLabel *statsLabel() const { return stats_; }
    QLabel *expertsLabel() const { return experts_; }
    QLabel *variantLabel() const { return variant_; }
    void startEditing();
    QPlainTextEdit *editor() const { return editor_; }

Q_SIGNALS:
    void regenerateRequested(const QString &id);
    void editSubmitted(const QString &id, const QString &text);
    void deleteRequested(const QString &id);
    void variantRequested(const QString &id, int delta);
    void expertLinkActivated(const QString &objectName);

private:
    QToolButton *action(const QString &text, const QString &objectName, const QString &tip);
    void finishEditing(bool submit);
    static QString expertsHtml(const QJsonArray &experts);

    QString id_, content_;
    QJsonArray expertList_;
    bool user_ = false;
    QLabel *name_, *variant_, *status_, *stats_, *experts_;
    QToolButton *prev_, *next_, *copy_, *edit_, *regenerate_, *expertsToggle_, *delete_;
    MarkdownView *markdown_;
    QWidget *editBox_;
    QPlainTextEdit *editor_;
};

}  // namespace blyan::ui::chat
