#pragma once
// Composer: where the next message is written. Enter sends, Shift+Enter starts a new line; while an
// answer is being written the Send button is Stop. Above it, the context bar: how much of the model's
// context the prompt would fill now (system prompt + shown conversation + this draft), with a warning
// when older messages would be left out and an error when even the new message cannot fit.

#include "ui/chat/chat_session.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace blyan::ui::chat {

class Composer : public QWidget {
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);
    void setBusy(bool busy);
    // Whether a message can be sent at all (a model that can chat); `why` is shown when not.
    void setAvailable(bool available, const QString &why);
    void setContext(const ContextInfo &info);

    QPlainTextEdit *editor() const { return editor_; }
    QPushButton *sendButton() const { return send_; }
    QProgressBar *contextBar() const { return bar_; }
    QLabel *contextLabel() const { return barText_; }
    QLabel *warningLabel() const { return warning_; }

Q_SIGNALS:
    void sendRequested(const QString &text);
    void stopRequested();
    void draftEdited();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void submit();
    void updateButton();

    QPlainTextEdit *editor_;
    QPushButton *send_;
    QProgressBar *bar_;
    QLabel *barText_, *warning_, *unavailable_;
    bool busy_ = false, available_ = false, impossible_ = false;
};

}  // namespace blyan::ui::chat
