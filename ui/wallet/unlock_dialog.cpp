#include "ui/wallet/unlock_dialog.h"

#include "ui/wallet/wallet_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
const auto kDurationKey = QStringLiteral("wallet/unlockSeconds");
}  // namespace

UnlockDialog::UnlockDialog(WalletModel *wallet, QWidget *parent) : QDialog(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("UnlockDialog"));
    setWindowTitle(tr("Unlock wallet"));
    setMinimumWidth(420);
    auto *col = new QVBoxLayout(this);
    col->setSpacing(12);
    auto *intro = new QLabel(tr("Enter your wallet passphrase to sign transactions. The wallet locks itself again "
                                "when the time is up."));
    intro->setWordWrap(true);
    col->addWidget(intro);

    auto *form = new QFormLayout;
    passphrase_ = new QLineEdit;
    passphrase_->setObjectName(QStringLiteral("UnlockPassphrase"));
    passphrase_->setEchoMode(QLineEdit::Password);
    passphrase_->setAccessibleName(tr("Passphrase"));
    form->addRow(tr("Passphrase"), passphrase_);
    duration_ = new QComboBox;
    duration_->setObjectName(QStringLiteral("UnlockDuration"));
    for (const auto &[label, secs] : {std::pair{tr("5 minutes"), 300}, {tr("15 minutes"), 900}, {tr("1 hour"), 3600},
                                      {tr("4 hours"), 14400}, {tr("24 hours"), 86400}})
        duration_->addItem(label, secs);
    const int saved = duration_->findData(QSettings().value(kDurationKey, 900).toInt());
    duration_->setCurrentIndex(saved >= 0 ? saved : 1);
    form->addRow(tr("Stay unlocked for"), duration_);
    col->addLayout(form);

    const WalletInfo &info = wallet_->info();
    remember_ = new QCheckBox(tr("Remember in the OS keychain"));
    remember_->setObjectName(QStringLiteral("UnlockRemember"));
    remember_->setChecked(info.keychain);
    remember_->setEnabled(info.keychainAvailable);
    remember_->setToolTip(info.keychainAvailable
                              ? tr("Keep the unlock key in your system keychain, so that the wallet can be unlocked "
                                   "without typing the passphrase. Anyone logged in as you can then unlock it.")
                              : tr("No OS keychain is available: %1")
                                    .arg(info.keychainStatus.isEmpty() ? tr("the wallet reported none.")
                                                                       : info.keychainStatus));
    col->addWidget(remember_);
    keychainButton_ = new QPushButton(tr("Unlock with the keychain"));
    keychainButton_->setObjectName(QStringLiteral("UnlockKeychain"));
    keychainButton_->setVisible(info.keychain && info.keychainAvailable);
    connect(keychainButton_, &QPushButton::clicked, this, &UnlockDialog::unlockFromKeychain);
    col->addWidget(keychainButton_, 0, Qt::AlignLeft);

    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("ErrorText"));
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->hide();
    col->addWidget(error_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Unlock"));
    buttons_->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("UnlockButton"));
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(passphrase_, &QLineEdit::textChanged, this,
            [this](const QString &t) { buttons_->button(QDialogButtonBox::Ok)->setEnabled(!t.isEmpty()); });
    connect(buttons_, &QDialogButtonBox::accepted, this, &UnlockDialog::unlock);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    col->addWidget(buttons_);
}

int UnlockDialog::seconds() const { return duration_->currentData().toInt(); }

void UnlockDialog::unlock()
{
    if (passphrase_->text().isEmpty()) return;
    QJsonArray params{passphrase_->text(), seconds()};
    // The keychain flag is only sent where there is a keychain: a node without one keeps the
    // documented two-parameter call.
    if (remember_->isEnabled()) params.append(remember_->isChecked());
    finish(QStringLiteral("walletpassphrase"), params);
}

void UnlockDialog::unlockFromKeychain() { finish(QStringLiteral("walletunlockkeychain"), {seconds()}); }

void UnlockDialog::finish(const QString &method, const QJsonArray &params)
{
    setBusy(true);
    QSettings().setValue(kDurationKey, seconds());
    wallet_->call(method, params, this, [this](const Expected<QJsonValue> &a) {
        setBusy(false);
        if (!a.ok()) {
            error_->setText(QString::fromStdString(a.error().message));
            error_->show();
            passphrase_->selectAll();
            passphrase_->setFocus();
            return;
        }
        wallet_->refresh();
        accept();
    });
}

void UnlockDialog::setBusy(bool busy)
{
    passphrase_->setEnabled(!busy);
    keychainButton_->setEnabled(!busy);
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(!busy && !passphrase_->text().isEmpty());
    buttons_->button(QDialogButtonBox::Ok)->setText(busy ? tr("Unlocking…") : tr("Unlock"));
    if (busy) error_->hide();
}

void UnlockDialog::done(int result)
{
    passphrase_->clear();  // the passphrase lives no longer than the dialog needs it
    QDialog::done(result);
}

void withUnlockedWallet(WalletModel *wallet, QWidget *parent, std::function<void()> then)
{
    const WalletInfo &info = wallet->info();
    // A wallet about to lock by itself counts as locked: the signing call would arrive too late.
    const bool unlocked = info.state == QLatin1String("unlocked") &&
                          (info.unlockedUntilMs == 0 || info.unlockedUntilMs > QDateTime::currentMSecsSinceEpoch() + 5000);
    if (unlocked) {
        then();
        return;
    }
    auto *dlg = new UnlockDialog(wallet, parent);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dlg, &QDialog::accepted, parent, [then = std::move(then)] { then(); });
    dlg->open();
}

}  // namespace blyan::ui
