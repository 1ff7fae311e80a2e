#pragma once
// ChatView: the shown conversation of a ChatSession as a column of MessageWidgets in a scroll area.
// Widgets are kept per message id, so a streamed token updates one widget and switching a variant
// rebuilds only the column's order. The view follows the end of the conversation while the user is
// there, and stays put when the user scrolled up to read.

#include <QHash>
#include <QPointer>
#include <QScrollArea>

class QLabel;
class QVBoxLayout;

namespace blyan::ui::chat {

class ChatSession;
class MessageWidget;

class ChatView : public QScrollArea {
    Q_OBJECT
public:
    explicit ChatView(QWidget *parent = nullptr);

    void setSession(ChatSession *session);
    void setAssistantName(const QString &name);
    // The shown path changed (messages added, removed, another variant).
    void rebuild();
    void refreshMessage(const QString &id);
    void refreshAll();  // busy state or phase changed
    void scrollToEnd();

    MessageWidget *messageWidget(const QString &id) const { return widgets_.value(id); }
    QList<MessageWidget *> shownMessages() const;

Q_SIGNALS:
    void expertLinkActivated(const QString &objectName);

private:
    MessageWidget *widgetFor(const QString &id);
    void show(MessageWidget *w);

    QPointer<ChatSession> session_;
    QString assistantName_;
    QWidget *column_;
    QVBoxLayout *list_;
    QLabel *empty_;
    QHash<QString, MessageWidget *> widgets_;
    QStringList shown_;
    bool follow_ = true;  // the view is at the end and follows new text
};

}  // namespace blyan::ui::chat
