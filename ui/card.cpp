#include "ui/card.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
QFont scaledFont(const QFont &base, qreal factor, int weight)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * factor);
    f.setWeight(QFont::Weight(weight));
    return f;
}
}  // namespace

Card::Card(const QString &title, QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("Card"));
    setAttribute(Qt::WA_StyledBackground);
    body_ = new QVBoxLayout(this);
    body_->setContentsMargins(20, 16, 20, 18);
    body_->setSpacing(12);
    body_->setAlignment(Qt::AlignTop);  // cards in one row share a height: keep content at the top
    auto *t = new QLabel(title.toUpper(), this);
    t->setObjectName(QStringLiteral("CardTitle"));
    QFont f = scaledFont(font(), 0.85, QFont::Bold);
    f.setLetterSpacing(QFont::PercentageSpacing, 108);
    t->setFont(f);
    body_->addWidget(t);
    grid_ = new QGridLayout;
    grid_->setHorizontalSpacing(20);
    grid_->setVerticalSpacing(9);
    body_->addLayout(grid_);
}

QLabel *Card::addField(const QString &name, const QString &objectName)
{
    const int row = fields_ / columns_;
    const int col = 2 * (fields_ % columns_);
    ++fields_;
    // Same label width in every card, so values line up down the page.
    grid_->setColumnMinimumWidth(col, 130);
    grid_->setColumnStretch(col + 1, 1);
    auto *key = new QLabel(name, this);
    key->setObjectName(QStringLiteral("FieldLabel"));
    auto *value = new QLabel(QStringLiteral("—"), this);
    value->setObjectName(QStringLiteral("FieldValue"));
    value->setProperty("field", objectName);
    value->setAccessibleName(name);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    // The objectName is the QSS hook, so tests find values through the "field" property.
    grid_->addWidget(key, row, col, Qt::AlignLeft | Qt::AlignTop);
    grid_->addWidget(value, row, col + 1, Qt::AlignTop);
    return value;
}

QLabel *Card::addNote(const QString &text)
{
    auto *note = new QLabel(text, this);
    note->setObjectName(QStringLiteral("Muted"));
    note->setWordWrap(true);
    body_->addWidget(note);
    return note;
}

QWidget *makePageHeader(const QString &title, const QString &subtitle, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 8);
    l->setSpacing(4);
    auto *t = new QLabel(title, w);
    t->setObjectName(QStringLiteral("PageTitle"));
    t->setFont(scaledFont(t->font(), 1.75, QFont::Bold));
    auto *s = new QLabel(subtitle, w);
    s->setObjectName(QStringLiteral("PageSubtitle"));
    s->setWordWrap(true);
    l->addWidget(t);
    l->addWidget(s);
    return w;
}

QWidget *makeScrollPage(QWidget *content, QWidget *parent)
{
    auto *area = new QScrollArea(parent);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidgetResizable(true);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    content->setObjectName(QStringLiteral("PageViewport"));
    content->setContentsMargins(32, 28, 32, 28);
    area->setWidget(content);
    return area;
}

}  // namespace blyan::ui
