#include "ui/wallet/send_tab.h"

#include "ui/card.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/confirm_dialog.h"
#include "ui/wallet/form_status.h"
#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_model.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
QLineEdit *field(const QString &name, const QString &placeholder)
{
    auto *e = new QLineEdit;
    e->setObjectName(name);
    e->setPlaceholderText(placeholder);
    e->setClearButtonEnabled(true);
    return e;
}

QVBoxLayout *withStatus(QWidget *input, QLabel *status)
{
    auto *box = new QVBoxLayout;
    box->setSpacing(4);
    box->addWidget(input);
    box->addWidget(status);
    return box;
}
}  // namespace

SendTab::SendTab(WalletModel *wallet, QWidget *parent) : QWidget(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("SendTab"));
    auto *card = new Card(tr("Send BLY"));
    auto *form = new QFormLayout;
    form->setVerticalSpacing(12);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);

    address_ = field(QStringLiteral("PayTo"), tr("Recipient address (%1…)").arg(QStringLiteral("dbly1")));
    addressStatus_ = makeStatusLabel(QStringLiteral("AddressStatus"));
    form->addRow(tr("Pay to"), withStatus(address_, addressStatus_));
    label_ = field(QStringLiteral("SendLabel"), tr("Optional: a name for this address in your address book"));
    form->addRow(tr("Label"), label_);

    amount_ = field(QStringLiteral("SendAmount"), QStringLiteral("0.00"));
    max_ = new QPushButton(tr("Max"));
    max_->setObjectName(QStringLiteral("MaxButton"));
    max_->setToolTip(tr("Everything available, less the fee"));
    auto *amountRow = new QHBoxLayout;
    amountRow->addWidget(amount_, 1);
    amountRow->addWidget(new QLabel(QStringLiteral("BLY")));
    amountRow->addWidget(max_);
    auto *amountBox = new QWidget;
    amountBox->setLayout(amountRow);
    amountRow->setContentsMargins(0, 0, 0, 0);
    amountStatus_ = makeStatusLabel(QStringLiteral("AmountStatus"));
    form->addRow(tr("Amount"), withStatus(amountBox, amountStatus_));

    fee_ = field(QStringLiteral("SendFee"), QString());
    fee_->setClearButtonEnabled(false);
    feeNote_ = makeStatusLabel(QStringLiteral("FeeNote"));
    feeNote_->setTextFormat(Qt::RichText);
    feeNote_->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(feeNote_, &QLabel::linkActivated, this, [this] {
        feeEdited_ = false;
        if (estimate_) fee_->setText(plainBly(*estimate_));
    });
    form->addRow(tr("Fee"), withStatus(fee_, feeNote_));

    total_ = new QLabel(QStringLiteral("—"));
    total_->setObjectName(QStringLiteral("SendTotal"));
    QFont f = total_->font();
    f.setWeight(QFont::DemiBold);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    total_->setFont(f);
    form->addRow(tr("Total"), total_);
    message_ = makeStatusLabel(QStringLiteral("SendMessage"));
    form->addRow(QString(), message_);
    card->body()->addLayout(form);

    auto *buttons = new QHBoxLayout;
    result_ = makeStatusLabel(QStringLiteral("SendResult"));
    buttons->addWidget(result_, 1);
    buttons->addStretch(1);  // keeps the buttons at their size while there is no message
    auto *clear = new QPushButton(tr("Clear"));
    clear->setObjectName(QStringLiteral("ClearButton"));
    send_ = new QPushButton(tr("Send…"));
    send_->setObjectName(QStringLiteral("SendButton"));
    buttons->addWidget(clear);
    buttons->addWidget(send_);
    card->body()->addLayout(buttons);

    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 12, 0, 0);
    col->addWidget(card);
    col->addStretch(1);

    debounce_.setSingleShot(true);
    debounce_.setInterval(300);  // check the address once typing pauses, not per keystroke
    connect(&debounce_, &QTimer::timeout, this, &SendTab::validateAddress);
    connect(address_, &QLineEdit::textChanged, this, &SendTab::onAddressEdited);
    connect(amount_, &QLineEdit::textChanged, this, &SendTab::revalidate);
    connect(fee_, &QLineEdit::textEdited, this, [this] { feeEdited_ = true; });
    connect(fee_, &QLineEdit::textChanged, this, &SendTab::revalidate);
    connect(max_, &QPushButton::clicked, this, [this] {
        const auto fee = parseBly(fee_->text());
        const quint64 avail = wallet_->info().available;
        if (fee && avail > *fee) amount_->setText(plainBly(avail - *fee));
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        address_->clear();
        label_->clear();
        amount_->clear();
        setStatus(message_, QString(), Tone::Muted);
        setStatus(result_, QString(), Tone::Muted);
    });
    connect(send_, &QPushButton::clicked, this, &SendTab::confirmAndSend);
    connect(wallet_, &WalletModel::changed, this, [this] {
        fetchFee();
        revalidate();
    });
    setStatus(addressStatus_, QString(), Tone::Muted);
    setStatus(message_, QString(), Tone::Muted);
    setStatus(result_, QString(), Tone::Muted);
    fetchFee();
    revalidate();
}

void SendTab::prefill(const QString &address, const QString &amount, const QString &label, const QString &message)
{
    if (!address.isEmpty()) address_->setText(address);
    if (!amount.isEmpty()) amount_->setText(amount);
    if (!label.isEmpty()) label_->setText(label);
    setStatus(message_, message.isEmpty() ? QString() : tr("Message: %1").arg(message), Tone::Muted);
    setStatus(result_, QString(), Tone::Muted);
    (amount_->text().isEmpty() ? amount_ : address_)->setFocus();
}

void SendTab::showError(const QString &message) { setStatus(result_, message, Tone::Error); }

void SendTab::onAddressEdited()
{
    addressValid_ = false;
    ++addressGen_;  // an answer for the previous text must not mark this one valid
    const bool empty = address_->text().trimmed().isEmpty();
    setStatus(addressStatus_, empty ? QString() : tr("Checking…"), Tone::Muted);
    if (!empty) debounce_.start();
    revalidate();
}

void SendTab::validateAddress()
{
    const QString addr = address_->text().trimmed();
    if (addr.isEmpty()) return;
    const quint64 gen = addressGen_;
    wallet_->call(QStringLiteral("validateaddress"), {addr}, this, [this, gen](const Expected<QJsonValue> &a) {
        if (gen != addressGen_) return;
        if (!a.ok()) {
            setStatus(addressStatus_, QString::fromStdString(a.error().message), Tone::Error);
            return;
        }
        const QJsonObject o = a.value().toObject();
        addressValid_ = o.value(QLatin1String("isvalid")).toBool();
        if (addressValid_) {
            QString text = tr("Valid %1 address").arg(wallet_->network());
            if (o.value(QLatin1String("ismine")).toBool()) text += tr(" · one of your own addresses");
            setStatus(addressStatus_, text, Tone::Ok);
        } else {
            const QString why = o.value(QLatin1String("error")).toString();
            setStatus(addressStatus_, why.isEmpty() ? tr("Not a valid address.") : why, Tone::Error);
        }
        revalidate();
    });
}

void SendTab::fetchFee()
{
    if (!wallet_->info().exists()) return;
    wallet_->call(QStringLiteral("estimatefee"), {}, this, [this](const Expected<QJsonValue> &a) {
        if (!a.ok()) {
            setStatus(feeNote_, QString::fromStdString(a.error().message).toHtmlEscaped(), Tone::Error);
            return;
        }
        estimate_ = amountUnits(a.value().toObject().value(QLatin1String("fee")));
        if (!feeEdited_ || fee_->text().isEmpty()) fee_->setText(plainBly(*estimate_));
        revalidate();
    });
}

void SendTab::revalidate()
{
    QString why;
    const auto amount = parseBly(amount_->text(), &why);
    QString feeWhy;
    const auto fee = parseBly(fee_->text(), &feeWhy);
    const quint64 avail = wallet_->info().available;
    bool ok = addressValid_ && amount && fee && !busy_;

    if (amount_->text().trimmed().isEmpty()) setStatus(amountStatus_, tr("Available: %1").arg(displayBly(avail)), Tone::Muted);
    else if (!amount) setStatus(amountStatus_, why, Tone::Error);
    else if (*amount == 0) setStatus(amountStatus_, tr("Enter more than zero."), Tone::Error);
    else setStatus(amountStatus_, tr("Available: %1").arg(displayBly(avail)), Tone::Muted);
    ok = ok && *amount > 0;

    if (!fee) {
        setStatus(feeNote_, fee_->text().isEmpty() ? tr("Waiting for the fee estimate…") : feeWhy.toHtmlEscaped(),
                  fee_->text().isEmpty() ? Tone::Muted : Tone::Error);
    } else if (estimate_) {
        QString note = tr("Estimated for the next block: %1").arg(displayBly(*estimate_));
        if (*fee < *estimate_) note = tr("Below the estimate of %1: the transaction may wait for a block").arg(displayBly(*estimate_));
        if (*fee != *estimate_) note += QStringLiteral(" · <a href=\"estimate\">%1</a>").arg(tr("Use the estimate"));
        setStatus(feeNote_, note, *fee < *estimate_ ? Tone::Error : Tone::Muted);
    }

    if (amount && fee) {
        const quint64 total = *amount + *fee;
        const bool overflow = total < *amount;
        total_->setText(overflow ? QStringLiteral("—") : displayBly(total));
        if (overflow || total > avail) {
            setStatus(amountStatus_, tr("More than you have available (%1 with the fee).").arg(displayBly(avail)),
                      Tone::Error);
            ok = false;
        }
    } else {
        total_->setText(QStringLiteral("—"));
    }
    send_->setEnabled(ok);
}

void SendTab::confirmAndSend()
{
    if (!send_->isEnabled()) return;
    withUnlockedWallet(wallet_, this, [this] {
        const quint64 amount = parseBly(amount_->text()).value_or(0);
        const quint64 fee = parseBly(fee_->text()).value_or(0);
        QString to = address_->text().trimmed();
        if (!label_->text().trimmed().isEmpty()) to = label_->text().trimmed() + QLatin1Char('\n') + to;
        auto *dlg = new ConfirmDialog(tr("Confirm sending"), tr("Please check the payment. Once sent it cannot be undone."),
                                      {{QStringLiteral("recipient"), tr("Recipient"), to},
                                       {QStringLiteral("amount"), tr("Amount"), displayBly(amount)},
                                       {QStringLiteral("fee"), tr("Fee"), displayBly(fee)},
                                       {QStringLiteral("total"), tr("Total"), displayBly(amount + fee), true}},
                                      tr("Send"), this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        connect(dlg, &QDialog::accepted, this, &SendTab::submit);
        dlg->open();
    });
}

void SendTab::submit()
{
    const auto amount = parseBly(amount_->text());
    const auto fee = parseBly(fee_->text());
    if (!amount || !fee) return;
    QJsonArray params{address_->text().trimmed(), plainBly(*amount), plainBly(*fee)};
    if (!label_->text().trimmed().isEmpty()) params.append(label_->text().trimmed());
    busy_ = true;
    revalidate();
    setStatus(result_, tr("Sending…"), Tone::Muted);
    wallet_->call(QStringLiteral("sendtoaddress"), params, this, [this, amount](const Expected<QJsonValue> &a) {
        busy_ = false;
        if (!a.ok()) {
            setStatus(result_, QString::fromStdString(a.error().message), Tone::Error);
            revalidate();
            return;
        }
        const QString txid = a.value().toString();
        address_->clear();
        label_->clear();
        amount_->clear();
        feeEdited_ = false;
        if (estimate_) fee_->setText(plainBly(*estimate_));
        setStatus(message_, QString(), Tone::Muted);
        setStatus(result_, tr("Sent %1. Transaction %2…").arg(displayBly(*amount), txid.left(16)), Tone::Ok);
        result_->setToolTip(txid);
        Q_EMIT sent(txid);
    });
}

}  // namespace blyan::ui
