#include "ui/wallet/stake_tab.h"

#include "ui/card.h"
#include "ui/format.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/confirm_dialog.h"
#include "ui/wallet/form_status.h"
#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_model.h"

#include <QDateTime>
#include <QFormLayout>
#include <QLocale>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

StakeTab::StakeTab(WalletModel *wallet, QWidget *parent) : QWidget(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("StakeTab"));
    auto *card = new Card(tr("Stake"));
    card->addNote(tr("Staked BLY secures the network and weighs your votes in governance. Unstaking returns it to "
                     "your available balance; on a network with validators it first waits a few epochs, still "
                     "at stake, so that a validator cannot escape a penalty. Both are transactions from your "
                     "first address and pay a fee."));
    auto *form = form_ = new QFormLayout;
    form->setVerticalSpacing(12);
    staked_ = new QLabel;
    staked_->setObjectName(QStringLiteral("FieldValue"));
    form->addRow(tr("Staked now"), staked_);
    unbonding_ = new QLabel;
    unbonding_->setObjectName(QStringLiteral("UnbondingValue"));
    unbonding_->setWordWrap(true);
    form->addRow(tr("Unbonding"), unbonding_);
    amount_ = new QLineEdit;
    amount_->setObjectName(QStringLiteral("StakeAmount"));
    amount_->setPlaceholderText(QStringLiteral("0.00"));
    auto *amountBox = new QVBoxLayout;
    amountBox->setSpacing(4);
    amountBox->addWidget(amount_);
    amountStatus_ = makeStatusLabel(QStringLiteral("StakeAmountStatus"));
    amountBox->addWidget(amountStatus_);
    form->addRow(tr("Amount (BLY)"), amountBox);
    fee_ = new QLineEdit;
    fee_->setObjectName(QStringLiteral("StakeFee"));
    form->addRow(tr("Fee (BLY)"), fee_);
    card->body()->addLayout(form);
    auto *buttons = new QHBoxLayout;
    result_ = makeStatusLabel(QStringLiteral("StakeResult"));
    buttons->addWidget(result_, 1);
    buttons->addStretch(1);  // keeps the buttons at their size while there is no message
    unstake_ = new QPushButton(tr("Unstake…"));
    unstake_->setObjectName(QStringLiteral("UnstakeButton"));
    stake_ = new QPushButton(tr("Stake…"));
    stake_->setObjectName(QStringLiteral("StakeButton"));
    buttons->addWidget(unstake_);
    buttons->addWidget(stake_);
    card->body()->addLayout(buttons);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 12, 0, 0);
    col->addWidget(card);
    col->addStretch(1);

    connect(amount_, &QLineEdit::textChanged, this, &StakeTab::revalidate);
    connect(fee_, &QLineEdit::textEdited, this, [this] { feeEdited_ = true; });
    connect(fee_, &QLineEdit::textChanged, this, &StakeTab::revalidate);
    connect(stake_, &QPushButton::clicked, this, [this] { start(true); });
    connect(unstake_, &QPushButton::clicked, this, [this] { start(false); });
    connect(wallet_, &WalletModel::changed, this, [this] {
        fetchFee();
        revalidate();
    });
    setStatus(result_, QString(), Tone::Muted);
    fetchFee();
    revalidate();
}

void StakeTab::fetchFee()
{
    if (!wallet_->info().exists()) return;
    wallet_->call(QStringLiteral("estimatefee"), {}, this, [this](const Expected<QJsonValue> &a) {
        if (!a.ok()) return;  // the send form shows the same error; the fee field stays editable
        estimate_ = amountUnits(a.value().toObject().value(QLatin1String("fee")));
        if (!feeEdited_ || fee_->text().isEmpty()) fee_->setText(plainBly(*estimate_));
    });
}

void StakeTab::revalidate()
{
    const WalletInfo &info = wallet_->info();
    staked_->setText(displayBly(info.staked));
    QStringList releases;
    for (const auto &r : info.unbondingReleases)
        releases << tr("%1 from %2").arg(displayBly(r.amount),
                                         QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.timeMs), QLocale::ShortFormat));
    unbonding_->setText(releases.isEmpty() ? tr("Nothing") : releases.join(QLatin1Char('\n')));
    // A devnet pays an unstake out at once: no row to show there.
    form_->setRowVisible(unbonding_, info.unbondingDelayMs > 0 || !releases.isEmpty());
    QString why;
    const auto amount = parseBly(amount_->text(), &why);
    const auto fee = parseBly(fee_->text());
    bool canStake = amount && fee && *amount > 0 && !busy_;
    bool canUnstake = canStake;
    if (amount_->text().trimmed().isEmpty()) {
        setStatus(amountStatus_, tr("Available: %1").arg(displayBly(info.available)), Tone::Muted);
    } else if (!amount) {
        setStatus(amountStatus_, why, Tone::Error);
    } else if (fee) {
        canStake = canStake && *amount + *fee >= *amount && *amount + *fee <= info.available;
        canUnstake = canUnstake && *amount <= info.staked && *fee <= info.available;
        if (!canStake && !canUnstake && *amount > 0)
            setStatus(amountStatus_, tr("More than you can stake (%1 available) or unstake (%2 staked).")
                                         .arg(displayBly(info.available), displayBly(info.staked)), Tone::Error);
        else
            setStatus(amountStatus_, tr("Available: %1").arg(displayBly(info.available)), Tone::Muted);
    }
    stake_->setEnabled(canStake);
    unstake_->setEnabled(canUnstake);
}

void StakeTab::start(bool stake)
{
    withUnlockedWallet(wallet_, this, [this, stake] {
        const quint64 amount = parseBly(amount_->text()).value_or(0);
        const quint64 fee = parseBly(fee_->text()).value_or(0);
        auto *dlg = new ConfirmDialog(stake ? tr("Confirm stake") : tr("Confirm unstake"),
                                      stake ? tr("Stake these BLY from your first address?")
                                      : wallet_->info().unbondingDelayMs > 0
                                          ? tr("Return these BLY from stake to your first address? They stay locked, "
                                               "and can still be slashed, for up to %1 before you can spend them.")
                                                .arg(formatDuration(wallet_->info().unbondingDelayMs / 1000))
                                          : tr("Return these BLY from stake to your first address?"),
                                      {{QStringLiteral("amount"), tr("Amount"), displayBly(amount)},
                                       {QStringLiteral("fee"), tr("Fee"), displayBly(fee)}},
                                      stake ? tr("Stake") : tr("Unstake"), this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        connect(dlg, &QDialog::accepted, this, [this, stake] { submit(stake); });
        dlg->open();
    });
}

void StakeTab::submit(bool stake)
{
    const auto amount = parseBly(amount_->text());
    const auto fee = parseBly(fee_->text());
    if (!amount || !fee) return;
    busy_ = true;
    revalidate();
    setStatus(result_, stake ? tr("Staking…") : tr("Unstaking…"), Tone::Muted);
    wallet_->call(stake ? QStringLiteral("stake") : QStringLiteral("unstake"), {plainBly(*amount), plainBly(*fee)}, this,
                  [this](const Expected<QJsonValue> &a) {
        busy_ = false;
        if (!a.ok()) {
            setStatus(result_, QString::fromStdString(a.error().message), Tone::Error);
        } else {
            amount_->clear();
            setStatus(result_, tr("Submitted. Transaction %1…").arg(a.value().toString().left(16)), Tone::Ok);
            result_->setToolTip(a.value().toString());
        }
        revalidate();
    });
}

}  // namespace blyan::ui
