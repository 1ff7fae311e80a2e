#include "ui/wallet/address_entry_dialog.h"

#include "ui/wallet/form_status.h"
#include "ui/wallet/wallet_model.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

AddressEntryDialog::AddressEntryDialog(WalletModel *wallet, const QString &address, const QString &label,
                                       QWidget *parent)
    : QDialog(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("AddressEntryDialog"));
    setWindowTitle(address.isEmpty() ? tr("Add contact") : tr("Edit label"));
    setMinimumWidth(520);
    auto *col = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    address_ = new QLineEdit(address);
    address_->setObjectName(QStringLiteral("EntryAddress"));
    address_->setReadOnly(!address.isEmpty());
    label_ = new QLineEdit(label);
    label_->setObjectName(QStringLiteral("EntryLabel"));
    form->addRow(tr("Address"), address_);
    form->addRow(tr("Label"), label_);
    col->addLayout(form);
    error_ = makeStatusLabel(QStringLiteral("EntryError"));
    setStatus(error_, QString(), Tone::Muted);
    col->addWidget(error_);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    ok_ = buttons->button(QDialogButtonBox::Save);
    connect(buttons, &QDialogButtonBox::accepted, this, &AddressEntryDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    col->addWidget(buttons);
    (address.isEmpty() ? address_ : label_)->setFocus();
}

void AddressEntryDialog::fail(const QString &message)
{
    ok_->setEnabled(true);
    setStatus(error_, message, Tone::Error);
}

void AddressEntryDialog::save()
{
    const QString addr = address_->text().trimmed();
    const QString label = label_->text().trimmed();
    if (addr.isEmpty()) return fail(tr("Enter an address."));
    ok_->setEnabled(false);
    const auto store = [this, addr, label] {
        wallet_->call(QStringLiteral("setlabel"), {addr, label}, this, [this](const Expected<QJsonValue> &a) {
            if (!a.ok()) return fail(QString::fromStdString(a.error().message));
            wallet_->refresh();
            accept();
        });
    };
    if (address_->isReadOnly()) return store();
    wallet_->call(QStringLiteral("validateaddress"), {addr}, this, [this, store](const Expected<QJsonValue> &a) {
        if (!a.ok()) return fail(QString::fromStdString(a.error().message));
        const QJsonObject o = a.value().toObject();
        if (!o.value(QLatin1String("isvalid")).toBool()) {
            const QString why = o.value(QLatin1String("error")).toString();
            return fail(why.isEmpty() ? tr("Not a valid address.") : why);
        }
        store();
    });
}

}  // namespace blyan::ui
