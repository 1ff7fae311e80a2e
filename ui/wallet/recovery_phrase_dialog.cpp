#include "ui/wallet/recovery_phrase_dialog.h"

#include "ui/wallet/mnemonic_widgets.h"
#include "ui/wallet/wallet_model.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace blyan::ui {

RecoveryPhraseDialog::RecoveryPhraseDialog(WalletModel *wallet, QWidget *parent) : QDialog(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("RecoveryPhraseDialog"));
    setWindowTitle(tr("Recovery phrase"));
    setMinimumWidth(600);
    auto *col = new QVBoxLayout(this);
    col->setSpacing(12);
    steps_ = new QStackedWidget;

    auto *ask = new QWidget;
    auto *askCol = new QVBoxLayout(ask);
    askCol->setContentsMargins(0, 0, 0, 0);
    auto *intro = new QLabel(tr("Your recovery phrase gives full control over your BLY. Make sure nobody can see your "
                                "screen, then enter your passphrase to show it."));
    intro->setWordWrap(true);
    askCol->addWidget(intro);
    auto *form = new QFormLayout;
    passphrase_ = new QLineEdit;
    passphrase_->setObjectName(QStringLiteral("RecoveryPassphrase"));
    passphrase_->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Passphrase"), passphrase_);
    askCol->addLayout(form);
    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("ErrorText"));
    error_->setWordWrap(true);
    error_->hide();
    askCol->addWidget(error_);
    askCol->addStretch(1);
    steps_->addWidget(ask);

    auto *words = new QWidget;
    auto *wordsCol = new QVBoxLayout(words);
    wordsCol->setContentsMargins(0, 0, 0, 0);
    wordsCol->setSpacing(14);
    grid_ = new MnemonicGrid;
    wordsCol->addWidget(grid_);
    auto *warn = new QLabel(tr("Anyone with these words can take your BLY. Keep them on paper, offline; never in a "
                               "photo, a cloud note or a message. They disappear from the screen when you close this "
                               "window."));
    warn->setObjectName(QStringLiteral("Warning"));
    warn->setWordWrap(true);
    wordsCol->addWidget(warn);
    steps_->addWidget(words);
    col->addWidget(steps_, 1);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    auto *close = new QPushButton(tr("Close"));
    show_ = new QPushButton(tr("Show phrase"));
    show_->setObjectName(QStringLiteral("ShowPhraseButton"));
    show_->setDefault(true);
    show_->setEnabled(false);
    buttons->addWidget(close);
    buttons->addWidget(show_);
    col->addLayout(buttons);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(show_, &QPushButton::clicked, this, &RecoveryPhraseDialog::reveal);
    connect(passphrase_, &QLineEdit::returnPressed, this, &RecoveryPhraseDialog::reveal);
    connect(passphrase_, &QLineEdit::textChanged, this, [this](const QString &t) { show_->setEnabled(!t.isEmpty()); });
}

void RecoveryPhraseDialog::reveal()
{
    if (passphrase_->text().isEmpty() || !passphrase_->isEnabled()) return;
    show_->setEnabled(false);
    passphrase_->setEnabled(false);
    error_->hide();
    wallet_->call(QStringLiteral("showmnemonic"), {passphrase_->text()}, this, [this](const Expected<QJsonValue> &a) {
        passphrase_->setEnabled(true);
        if (!a.ok()) {
            error_->setText(QString::fromStdString(a.error().message));
            error_->show();
            show_->setEnabled(true);
            passphrase_->selectAll();
            passphrase_->setFocus();
            return;
        }
        passphrase_->clear();
        const QJsonValue v = a.value();
        const QString phrase = v.isString() ? v.toString() : v.toObject().value(QLatin1String("mnemonic")).toString();
        grid_->setWords(phrase.split(QLatin1Char(' '), Qt::SkipEmptyParts));
        show_->hide();
        steps_->setCurrentIndex(1);
    });
}

void RecoveryPhraseDialog::done(int result)
{
    grid_->clear();
    passphrase_->clear();
    QDialog::done(result);
}

}  // namespace blyan::ui
