#include "ui/chat/chat_view.h"

#include "ui/chat/chat_session.h"
#include "ui/chat/message_widget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QVBoxLayout>

namespace blyan::ui::chat {

namespace {
constexpr int kColumnWidth = 880;  // a readable line length, as chat apps keep it
}

ChatView::ChatView(QWidget *parent) : QScrollArea(parent)
{
    setObjectName(QStringLiteral("ChatView"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *canvas = new QWidget;
    canvas->setObjectName(QStringLiteral("ChatCanvas"));
    auto *row = new QHBoxLayout(canvas);
    row->setContentsMargins(16, 16, 16, 16);
    row->addStretch(1);
    column_ = new QWidget;
    column_->setMaximumWidth(kColumnWidth);
    column_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    row->addWidget(column_, 100);
    row->addStretch(1);
    list_ = new QVBoxLayout(column_);
    list_->setContentsMargins(0, 0, 0, 0);
    list_->setSpacing(10);
    empty_ = new QLabel(tr("Ask the model anything. It answers on this computer, with the weights on the chain."));
    empty_->setObjectName(QStringLiteral("ChatEmptyHint"));
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setProperty("tone", QStringLiteral("muted"));
    list_->addWidget(empty_);
    list_->addStretch(1);
    setWidget(canvas);

    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int v) { follow_ = v >= bar->maximum() - 24; });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
        if (follow_) bar->setValue(max);
    });
}

void ChatView::setSession(ChatSession *session)
{
    if (session_ == session) return;
    if (session_) session_->disconnect(this);
    session_ = session;
    qDeleteAll(widgets_);
    widgets_.clear();
    shown_.clear();
    if (session_) {
        connect(session_, &ChatSession::structureChanged, this, &ChatView::rebuild);
        connect(session_, &ChatSession::messageChanged, this, &ChatView::refreshMessage);
        connect(session_, &ChatSession::busyChanged, this, &ChatView::refreshAll);
        connect(session_, &ChatSession::phaseChanged, this, [this] {
            if (session_ && session_->isBusy()) refreshMessage(session_->streamingId());
        });
    }
    follow_ = true;
    rebuild();
    scrollToEnd();
}

void ChatView::setAssistantName(const QString &name)
{
    assistantName_ = name;
    refreshAll();
}

MessageWidget *ChatView::widgetFor(const QString &id)
{
    if (MessageWidget *w = widgets_.value(id)) return w;
    auto *w = new MessageWidget(id, column_);
    widgets_.insert(id, w);
    connect(w, &MessageWidget::expertLinkActivated, this, &ChatView::expertLinkActivated);
    connect(w, &MessageWidget::variantRequested, this, [this](const QString &id, int d) {
        if (session_) session_->showVariant(id, d);
    });
    connect(w, &MessageWidget::regenerateRequested, this, [this](const QString &id) {
        if (!session_) return;
        follow_ = true;
        session_->regenerate(id);
    });
    connect(w, &MessageWidget::editSubmitted, this, [this](const QString &id, const QString &text) {
        if (!session_) return;
        follow_ = true;
        session_->editAndResubmit(id, text);
    });
    connect(w, &MessageWidget::deleteRequested, this, [this](const QString &id) {
        if (session_) session_->deleteMessage(id);
    });
    return w;
}

void ChatView::show(MessageWidget *w)
{
    const ChatMessage *m = session_ ? session_->conversation().message(w->id()) : nullptr;
    if (!m) return;
    const QStringList sibs = session_->conversation().siblings(w->id());
    w->display(*m, int(sibs.indexOf(w->id())) + 1, int(sibs.size()), session_->isBusy(), assistantName_,
               w->id() == session_->streamingId() ? session_->phase() : QString());
}

void ChatView::rebuild()
{
    const QStringList path = session_ ? session_->conversation().path() : QStringList();
    // Drop widgets of messages that are gone; hide those off the shown path (kept for a quick switch back).
    for (auto it = widgets_.begin(); it != widgets_.end();) {
        if (!session_ || !session_->conversation().message(it.key())) {
            delete it.value();
            it = widgets_.erase(it);
        } else {
            ++it;
        }
    }
    for (MessageWidget *w : std::as_const(widgets_))
        if (!path.contains(w->id())) {
            list_->removeWidget(w);
            w->hide();
        }
    for (int i = 0; i < path.size(); ++i) {
        MessageWidget *w = widgetFor(path[i]);
        if (list_->indexOf(w) != i + 1) {  // slot 0 is the empty hint
            list_->removeWidget(w);
            list_->insertWidget(i + 1, w);
        }
        show(w);
        w->show();
    }
    shown_ = path;
    empty_->setVisible(path.isEmpty());
}

void ChatView::refreshMessage(const QString &id)
{
    if (MessageWidget *w = widgets_.value(id); w && shown_.contains(id)) show(w);
}

void ChatView::refreshAll()
{
    for (const QString &id : std::as_const(shown_))
        if (MessageWidget *w = widgets_.value(id)) show(w);
}

void ChatView::scrollToEnd()
{
    follow_ = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

QList<MessageWidget *> ChatView::shownMessages() const
{
    QList<MessageWidget *> out;
    for (const QString &id : shown_) out.append(widgets_.value(id));
    return out;
}

}  // namespace blyan::ui::chat
