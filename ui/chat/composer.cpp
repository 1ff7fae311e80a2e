#include "ui/chat/composer.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace blyan::ui::chat {

Composer::Composer(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("Composer"));
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(16, 6, 16, 12);
    col->setSpacing(6);

    warning_ = new QLabel;
    warning_->setObjectName(QStringLiteral("Warning"));
    warning_->setWordWrap(true);
    warning_->hide();
    col->addWidget(warning_);
    unavailable_ = new QLabel;
    unavailable_->setWordWrap(true);
    unavailable_->setProperty("tone", QStringLiteral("muted"));
    unavailable_->hide();
    col->addWidget(unavailable_);

    auto *row = new QHBoxLayout;
    row->setSpacing(8);
    editor_ = new QPlainTextEdit;
    editor_->setObjectName(QStringLiteral("ChatInput"));
    editor_->setPlaceholderText(tr("Message the model (Enter to send, Shift+Enter for a new line)"));
    editor_->setAccessibleName(tr("Message"));
    editor_->setTabChangesFocus(true);
    editor_->setFixedHeight(76);
    editor_->installEventFilter(this);
    connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
        updateButton();
        Q_EMIT draftEdited();
    });
    row->addWidget(editor_, 1);
    send_ = new QPushButton(tr("Send"));
    send_->setObjectName(QStringLiteral("ChatSendButton"));
    send_->setMinimumWidth(88);
    connect(send_, &QPushButton::clicked, this, [this] {
        if (busy_) Q_EMIT stopRequested();
        else submit();
    });
    row->addWidget(send_, 0, Qt::AlignBottom);
    col->addLayout(row);

    auto *ctx = new QHBoxLayout;
    ctx->setSpacing(8);
    bar_ = new QProgressBar;
    bar_->setObjectName(QStringLiteral("ContextBar"));
    bar_->setTextVisible(false);
    bar_->setRange(0, 1);
    bar_->setValue(0);
    bar_->setAccessibleName(tr("Context used"));
    barText_ = new QLabel(tr("Context: –"));
    barText_->setObjectName(QStringLiteral("ContextText"));
    barText_->setProperty("tone", QStringLiteral("muted"));
    ctx->addWidget(bar_, 1);
    ctx->addWidget(barText_);
    col->addLayout(ctx);
    updateButton();
}

QString Composer::text() const { return editor_->toPlainText(); }

void Composer::setText(const QString &text) { editor_->setPlainText(text); }

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == editor_ && event->type() == QEvent::KeyPress) {
        auto *k = static_cast<QKeyEvent *>(event);
        if ((k->key() == Qt::Key_Return || k->key() == Qt::Key_Enter) && !(k->modifiers() & Qt::ShiftModifier)) {
            if (!busy_) submit();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void Composer::submit()
{
    const QString t = text();
    if (!available_ || busy_ || impossible_ || t.trimmed().isEmpty()) return;
    editor_->clear();
    Q_EMIT sendRequested(t);
}

void Composer::setBusy(bool busy)
{
    busy_ = busy;
    updateButton();
}

void Composer::setAvailable(bool available, const QString &why)
{
    available_ = available;
    unavailable_->setText(why);
    unavailable_->setVisible(!available && !why.isEmpty());
    editor_->setEnabled(available);
    updateButton();
}

void Composer::updateButton()
{
    send_->setText(busy_ ? tr("Stop") : tr("Send"));
    send_->setToolTip(busy_ ? tr("Stop the answer (what was written so far stays)") : tr("Send (Enter)"));
    send_->setEnabled(busy_ || (available_ && !impossible_ && !text().trimmed().isEmpty()));
}

void Composer::setContext(const ContextInfo &info)
{
    const QLocale l;
    impossible_ = info.known && info.impossible;
    if (!info.known) {
        bar_->setRange(0, 1);
        bar_->setValue(0);
        barText_->setText(info.error.isEmpty() ? tr("Context: –") : tr("Context: unknown"));
        barText_->setToolTip(info.error);
        warning_->hide();
        updateButton();
        return;
    }
    const qint64 ctx = std::max<qint64>(1, info.contextLength);
    bar_->setRange(0, int(std::min<qint64>(ctx, INT_MAX)));
    bar_->setValue(int(std::min(info.count, ctx)));
    const int pct = int(std::min<qint64>(999, info.count * 100 / ctx));
    barText_->setText(tr("%1 / %2 tokens (%3 %)").arg(l.toString(info.count), l.toString(info.contextLength)).arg(pct));
    barText_->setToolTip(tr("The prompt as it would be sent now: system prompt, the shown conversation and your draft. "
                            "%1 more tokens are kept for the answer (Max tokens, at most half the context).")
                             .arg(l.toString(info.reserve)));
    bar_->setProperty("level", info.count + info.reserve > ctx ? QStringLiteral("over") : QString());
    bar_->style()->unpolish(bar_);
    bar_->style()->polish(bar_);
    if (info.impossible) {
        warning_->setText(tr("This message does not fit the model's context: even without the earlier messages the "
                             "prompt needs more than %1 tokens (%2 are kept for the answer). Shorten it or the system "
                             "prompt, or lower Max tokens in the chat settings.")
                              .arg(l.toString(ctx - info.reserve), l.toString(info.reserve)));
        warning_->show();
    } else if (info.drop > 0) {
        warning_->setText(tr("The conversation is longer than the model's context (%1 tokens, %2 fit with %3 kept for "
                             "the answer): the oldest %n message(s) will be left out when you send.",
                             nullptr, info.drop)
                              .arg(l.toString(info.count), l.toString(ctx - info.reserve), l.toString(info.reserve)));
        warning_->show();
    } else {
        warning_->hide();
    }
    updateButton();
}

}  // namespace blyan::ui::chat
