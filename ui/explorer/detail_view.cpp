#include "ui/explorer/detail_view.h"

#include "ui/card.h"

#include <QLabel>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

namespace blyan::ui {

DetailView::DetailView(ExplorerModel *explorer, QWidget *parent) : QWidget(parent), explorer_(explorer)
{
    auto *inner = new QWidget;
    inner->setObjectName(QStringLiteral("PageViewport"));
    content_ = new QVBoxLayout(inner);
    content_->setContentsMargins(0, 4, 8, 16);
    content_->setSpacing(14);
    title_ = new QLabel;
    title_->setObjectName(QStringLiteral("DetailTitle"));
    QFont f = title_->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    title_->setFont(f);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    subtitle_ = new QLabel;
    subtitle_->setObjectName(QStringLiteral("Muted"));
    subtitle_->setWordWrap(true);
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("ExplorerStatus"));
    status_->setWordWrap(true);
    status_->hide();
    content_->addWidget(title_);
    content_->addWidget(subtitle_);
    content_->addWidget(status_);
    auto *area = new QScrollArea;
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(true);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    area->setWidget(inner);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(area);
}

QString DetailView::title() const { return title_->text(); }

QString DetailView::status() const { return status_->isVisibleTo(this) ? status_->text() : QString(); }

void DetailView::setTitle(const QString &title, const QString &subtitle)
{
    title_->setText(title);
    subtitle_->setText(subtitle);
    subtitle_->setVisible(!subtitle.isEmpty());
}

quint64 DetailView::begin(const QString &key, int requests)
{
    key_ = key;
    error_.clear();
    pending_ = requests;
    showStatus();
    return ++generation_;
}

void DetailView::answered(quint64 generation, const QString &error)
{
    if (!current(generation)) return;
    if (!error.isEmpty() && error_.isEmpty()) error_ = error;
    if (pending_ > 0) --pending_;
    showStatus();
}

void DetailView::showStatus()
{
    if (!error_.isEmpty()) {
        status_->setProperty("tone", QStringLiteral("error"));
        status_->setText(error_);
    } else if (pending_ > 0) {
        status_->setProperty("tone", QStringLiteral("muted"));
        status_->setText(tr("Loading…"));
    }
    status_->style()->unpolish(status_);
    status_->style()->polish(status_);
    status_->setVisible(!error_.isEmpty() || pending_ > 0);
}

QString hexLines(const QString &hex)
{
    QString out;
    for (int i = 0; i < hex.size(); i += 64) {
        if (i) out += QLatin1Char('\n');
        out += hex.mid(i, 64);
    }
    return out;
}

}  // namespace blyan::ui
