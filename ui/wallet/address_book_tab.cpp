#include "ui/wallet/address_book_tab.h"

#include "ui/wallet/address_entry_dialog.h"
#include "ui/wallet/form_status.h"
#include "ui/wallet/wallet_model.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
enum Column { LabelColumn, AddressColumn, OwnerColumn };
constexpr int kMineRole = Qt::UserRole + 1;
}  // namespace

AddressBookTab::AddressBookTab(WalletModel *wallet, QWidget *parent) : QWidget(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("AddressBookTab"));
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 12, 0, 0);
    col->setSpacing(10);
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add contact…"));
    add->setObjectName(QStringLiteral("AddContactButton"));
    edit_ = new QPushButton(tr("Edit label…"));
    edit_->setObjectName(QStringLiteral("EditLabelButton"));
    remove_ = new QPushButton(tr("Remove"));
    remove_->setObjectName(QStringLiteral("RemoveContactButton"));
    remove_->setToolTip(tr("Removes a contact. Your own addresses stay: they belong to your recovery phrase."));
    copy_ = new QPushButton(tr("Copy address"));
    sendTo_ = new QPushButton(tr("Send to…"));
    sendTo_->setObjectName(QStringLiteral("SendToButton"));
    for (QPushButton *b : {add, edit_, remove_, copy_}) buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(sendTo_);
    col->addLayout(buttons);

    table_ = new QTableWidget(0, 3);
    table_->setObjectName(QStringLiteral("AddressBookTable"));
    table_->setHorizontalHeaderLabels({tr("Label"), tr("Address"), tr("Whose")});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->setShowGrid(false);
    table_->setSortingEnabled(true);
    table_->setTextElideMode(Qt::ElideMiddle);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(30);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(AddressColumn, QHeaderView::Stretch);
    col->addWidget(table_, 1);
    status_ = makeStatusLabel(QStringLiteral("AddressBookStatus"));
    setStatus(status_, QString(), Tone::Muted);
    col->addWidget(status_);

    connect(add, &QPushButton::clicked, this, [this] {
        auto *dlg = new AddressEntryDialog(wallet_, QString(), QString(), this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        connect(dlg, &QDialog::accepted, this, &AddressBookTab::reload);
        dlg->open();
    });
    connect(edit_, &QPushButton::clicked, this, &AddressBookTab::editSelected);
    connect(table_, &QTableWidget::cellDoubleClicked, this, &AddressBookTab::editSelected);
    connect(remove_, &QPushButton::clicked, this, &AddressBookTab::removeSelected);
    connect(copy_, &QPushButton::clicked, this, [this] {
        if (int r = selectedRow(); r >= 0) QGuiApplication::clipboard()->setText(table_->item(r, AddressColumn)->text());
    });
    connect(sendTo_, &QPushButton::clicked, this, [this] {
        if (int r = selectedRow(); r >= 0)
            Q_EMIT sendTo(table_->item(r, AddressColumn)->text(), table_->item(r, LabelColumn)->text());
    });
    connect(table_, &QTableWidget::itemSelectionChanged, this, &AddressBookTab::updateButtons);
    connect(wallet_, &WalletModel::changed, this, &AddressBookTab::reload);
    updateButtons();
}

int AddressBookTab::selectedRow() const
{
    const auto rows = table_->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void AddressBookTab::updateButtons()
{
    const int r = selectedRow();
    for (QPushButton *b : {edit_, sendTo_, copy_}) b->setEnabled(r >= 0);
    remove_->setEnabled(r >= 0 && !table_->item(r, LabelColumn)->data(kMineRole).toBool());
}

void AddressBookTab::reload()
{
    if (!wallet_->info().exists()) return;
    wallet_->call(QStringLiteral("listaddressbook"), {}, this, [this](const Expected<QJsonValue> &a) {
        if (!a.ok()) {
            setStatus(status_, QString::fromStdString(a.error().message), Tone::Error);
            return;
        }
        setStatus(status_, QString(), Tone::Muted);
        const int selected = selectedRow();
        const QString keep = selected >= 0 ? table_->item(selected, AddressColumn)->text() : QString();
        table_->setSortingEnabled(false);  // rows are filled by index; sort once they are complete
        const QJsonArray entries = a.value().toArray();
        table_->setRowCount(int(entries.size()));
        for (int i = 0; i < entries.size(); ++i) {
            const QJsonObject e = entries.at(i).toObject();
            const bool mine = e.value(QLatin1String("mine")).toBool();
            auto *label = new QTableWidgetItem(e.value(QLatin1String("label")).toString());
            label->setData(kMineRole, mine);
            table_->setItem(i, LabelColumn, label);
            table_->setItem(i, AddressColumn, new QTableWidgetItem(e.value(QLatin1String("address")).toString()));
            table_->setItem(i, OwnerColumn, new QTableWidgetItem(mine ? tr("Yours") : tr("Contact")));
        }
        table_->setSortingEnabled(true);
        for (int r = 0; r < table_->rowCount(); ++r)
            if (table_->item(r, AddressColumn)->text() == keep) table_->selectRow(r);
        updateButtons();
    });
}

void AddressBookTab::editSelected()
{
    const int r = selectedRow();
    if (r < 0) return;
    auto *dlg = new AddressEntryDialog(wallet_, table_->item(r, AddressColumn)->text(),
                                       table_->item(r, LabelColumn)->text(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QDialog::accepted, this, &AddressBookTab::reload);
    dlg->open();
}

void AddressBookTab::removeSelected()
{
    const int r = selectedRow();
    if (r < 0) return;
    const QString addr = table_->item(r, AddressColumn)->text();
    wallet_->call(QStringLiteral("removeaddressbookentry"), {addr}, this, [this](const Expected<QJsonValue> &a) {
        if (!a.ok()) {
            setStatus(status_, QString::fromStdString(a.error().message), Tone::Error);
            return;
        }
        reload();
    });
}

}  // namespace blyan::ui
