#include "ui/explorer/field_list.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace blyan::ui {

FieldList::FieldList(const QString &title, QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("Card"));  // the cards' QSS
    setAttribute(Qt::WA_StyledBackground);
    body_ = new QVBoxLayout(this);
    body_->setContentsMargins(20, 16, 20, 18);
    body_->setSpacing(12);
    title_ = new QLabel(this);
    title_->setObjectName(QStringLiteral("CardTitle"));
    QFont f = title_->font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    f.setBold(true);
    title_->setFont(f);
    setTitle(title);
    body_->addWidget(title_);
    grid_ = new QGridLayout;
    grid_->setHorizontalSpacing(20);
    grid_->setVerticalSpacing(8);
    grid_->setColumnMinimumWidth(0, 150);
    grid_->setColumnStretch(1, 1);
    body_->addLayout(grid_);
}

void FieldList::setTitle(const QString &title) { title_->setText(title.toUpper()); }

QLabel *FieldList::add(const QString &key, const QString &name, bool mono)
{
    auto *n = new QLabel(name, this);
    n->setObjectName(QStringLiteral("FieldLabel"));
    auto *v = new QLabel(QStringLiteral("—"), this);
    v->setObjectName(QStringLiteral("FieldValue"));
    v->setProperty("field", key);
    v->setAccessibleName(name);
    v->setTextFormat(Qt::PlainText);
    v->setTextInteractionFlags(Qt::TextBrowserInteraction);
    v->setWordWrap(true);
    if (mono) {
        v->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        // A 64-digit hash has no break opportunity: let it wrap anywhere rather than widen the page.
        v->setMinimumWidth(80);
    }
    connect(v, &QLabel::linkActivated, this, &FieldList::linkActivated);
    grid_->addWidget(n, rows_, 0, Qt::AlignLeft | Qt::AlignTop);
    grid_->addWidget(v, rows_, 1, Qt::AlignTop);
    ++rows_;
    values_.insert(key, v);
    names_.insert(key, n);
    return v;
}

void FieldList::setText(const QString &key, const QString &text)
{
    if (QLabel *v = values_.value(key)) {
        v->setTextFormat(Qt::PlainText);
        v->setText(text.isEmpty() ? QStringLiteral("—") : text);
    }
}

void FieldList::setHtml(const QString &key, const QString &html)
{
    if (QLabel *v = values_.value(key)) {
        v->setTextFormat(Qt::RichText);
        v->setText(html);
    }
}

void FieldList::setRowVisible(const QString &key, bool visible)
{
    if (QLabel *v = values_.value(key)) v->setVisible(visible);
    if (QLabel *n = names_.value(key)) n->setVisible(visible);
}

void FieldList::clear()
{
    for (QLabel *v : std::as_const(values_)) {
        v->setTextFormat(Qt::PlainText);
        v->setText(QStringLiteral("—"));
    }
}

}  // namespace blyan::ui
