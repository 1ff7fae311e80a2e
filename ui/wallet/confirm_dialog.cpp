#include "ui/wallet/confirm_dialog.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

ConfirmDialog::ConfirmDialog(const QString &title, const QString &intro, const QList<ConfirmRow> &rows,
                             const QString &confirmText, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("ConfirmDialog"));
    setWindowTitle(title);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(24, 20, 24, 16);
    col->setSpacing(14);
    auto *t = new QLabel(intro);
    t->setWordWrap(true);
    // A width on a child, not on the dialog: a dialog with its own minimum size stops its layout
    // from growing it to fit the longest value.
    t->setMinimumWidth(460);
    col->addWidget(t);
    auto *card = new QFrame;
    card->setObjectName(QStringLiteral("Card"));
    card->setAttribute(Qt::WA_StyledBackground);
    auto *grid = new QGridLayout(card);
    grid->setContentsMargins(16, 14, 16, 14);
    grid->setHorizontalSpacing(20);
    grid->setVerticalSpacing(10);
    grid->setColumnStretch(1, 1);
    for (int i = 0; i < rows.size(); ++i) {
        const ConfirmRow &r = rows.at(i);
        auto *key = new QLabel(r.label);
        key->setObjectName(QStringLiteral("FieldLabel"));
        auto *value = new QLabel(r.value);
        value->setObjectName(QStringLiteral("FieldValue"));
        value->setProperty("field", r.field);
        // No wrapping: an address has no place to break, so the dialog grows to show it whole.
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        if (r.emphasis) {
            QFont f = value->font();
            f.setWeight(QFont::Bold);
            f.setPointSizeF(f.pointSizeF() * 1.15);
            value->setFont(f);
        }
        grid->addWidget(key, i, 0, Qt::AlignLeft | Qt::AlignTop);
        grid->addWidget(value, i, 1);
    }
    col->addWidget(card);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto *cancel = new QPushButton(tr("Cancel"));
    auto *ok = new QPushButton(confirmText);
    ok->setObjectName(QStringLiteral("ConfirmButton"));
    ok->setAutoDefault(false);
    cancel->setDefault(true);
    buttons->addWidget(cancel);
    buttons->addWidget(ok);
    col->addLayout(buttons);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(ok, &QPushButton::clicked, this, &QDialog::accept);
}

}  // namespace blyan::ui
