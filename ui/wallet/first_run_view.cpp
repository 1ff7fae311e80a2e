#include "ui/wallet/first_run_view.h"

#include "ui/card.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
// A large button holding a title and a sentence: the labels let clicks through to the button.
QPushButton *choice(const QString &name, const QString &title, const QString &text)
{
    auto *b = new QPushButton;
    b->setObjectName(name);
    b->setProperty("choice", true);
    b->setMinimumHeight(132);
    b->setAccessibleName(title);
    auto *col = new QVBoxLayout(b);
    col->setContentsMargins(22, 18, 22, 18);
    col->setSpacing(8);
    auto *t = new QLabel(title);
    t->setObjectName(QStringLiteral("ChoiceTitle"));
    QFont f = t->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    f.setWeight(QFont::Bold);
    t->setFont(f);
    auto *d = new QLabel(text);
    d->setObjectName(QStringLiteral("Muted"));
    d->setWordWrap(true);
    for (QLabel *l : {t, d}) l->setAttribute(Qt::WA_TransparentForMouseEvents);
    col->addWidget(t);
    col->addWidget(d, 1, Qt::AlignTop);
    return b;
}
}  // namespace

FirstRunView::FirstRunView(const QString &network, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("WalletFirstRun"));
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(18);
    auto *intro = new Card(tr("Your wallet"));
    intro->addNote(tr("This node has no wallet yet. A wallet holds the keys to your BLY: it is made from a recovery "
                      "phrase of 24 words and kept encrypted on this computer under a passphrase you choose."));
    if (network == QLatin1String("devnet"))
        intro->addNote(tr("On this devnet the node pays 10,000 BLY to the first address of a new wallet, to try "
                          "things out. Devnet BLY have no value."));
    col->addWidget(intro);
    auto *row = new QHBoxLayout;
    row->setSpacing(18);
    auto *create = choice(QStringLiteral("CreateWalletButton"), tr("Create a new wallet"),
                          tr("Get a new recovery phrase, write it down, and choose a passphrase. About two minutes."));
    auto *restore = choice(QStringLiteral("RestoreWalletButton"), tr("Restore a wallet"),
                           tr("Type the 12 to 24 words of a recovery phrase you already have, and choose a passphrase "
                              "for this computer."));
    row->addWidget(create, 1);
    row->addWidget(restore, 1);
    col->addLayout(row);
    col->addStretch(1);
    connect(create, &QPushButton::clicked, this, &FirstRunView::createRequested);
    connect(restore, &QPushButton::clicked, this, &FirstRunView::restoreRequested);
}

}  // namespace blyan::ui
