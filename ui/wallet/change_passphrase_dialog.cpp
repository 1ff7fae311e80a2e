#include "ui/wallet/change_passphrase_dialog.h"

#include "ui/wallet/passphrase_form.h"
#include "ui/wallet/wallet_model.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

ChangePassphraseDialog::ChangePassphraseDialog(WalletModel *wallet, QWidget *parent) : QDialog(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("ChangePassphraseDialog"));
    setWindowTitle(tr("Change passphrase"));
    setMinimumWidth(480);
    auto *col = new QVBoxLayout(this);
    col->setSpacing(12);
    auto *form = new QFormLayout;
    old_ = new QLineEdit;
    old_->setObjectName(QStringLiteral("OldPassphrase"));
    old_->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Current passphrase"), old_);
    col->addLayout(form);
    form_ = new PassphraseForm;
    col->addWidget(form_);
    auto *note = new QLabel(tr("Your recovery phrase stays the same: only the encryption of this computer's copy "
                               "changes."));
    note->setObjectName(QStringLiteral("Muted"));
    note->setWordWrap(true);
    col->addWidget(note);
    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("ErrorText"));
    error_->setWordWrap(true);
    error_->hide();
    col->addWidget(error_);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    ok_->setText(tr("Change passphrase"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ChangePassphraseDialog::change);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    col->addWidget(buttons);
    connect(old_, &QLineEdit::textChanged, this, &ChangePassphraseDialog::updateButton);
    connect(form_, &PassphraseForm::changed, this, &ChangePassphraseDialog::updateButton);
    updateButton();
}

void ChangePassphraseDialog::updateButton()
{
    ok_->setEnabled(!busy_ && !old_->text().isEmpty() && form_->isAcceptable());
}

void ChangePassphraseDialog::change()
{
    busy_ = true;
    ok_->setText(tr("Re-encrypting…"));
    error_->hide();
    updateButton();
    wallet_->call(QStringLiteral("walletpassphrasechange"), {old_->text(), form_->passphrase()}, this,
                  [this](const Expected<QJsonValue> &a) {
        busy_ = false;
        ok_->setText(tr("Change passphrase"));
        updateButton();
        if (!a.ok()) {
            error_->setText(QString::fromStdString(a.error().message));
            error_->show();
            return;
        }
        wallet_->refresh();
        accept();
    });
}

void ChangePassphraseDialog::done(int result)
{
    old_->clear();
    form_->clear();
    QDialog::done(result);
}

}  // namespace blyan::ui
