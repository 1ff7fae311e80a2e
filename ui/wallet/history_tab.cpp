#include "ui/wallet/history_tab.h"

#include "ui/wallet/form_status.h"
#include "ui/wallet/history_model.h"
#include "ui/wallet/wallet_model.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
QComboBox *filterBox(const QString &name, const QList<std::pair<QString, QString>> &choices)
{
    auto *c = new QComboBox;
    c->setObjectName(name);
    for (const auto &[label, value] : choices) c->addItem(label, value);
    return c;
}
}  // namespace

HistoryTab::HistoryTab(WalletModel *wallet, QWidget *parent) : QWidget(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("HistoryTab"));
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 12, 0, 0);
    col->setSpacing(10);
    auto *filters = new QHBoxLayout;
    filters->setSpacing(8);
    direction_ = filterBox(QStringLiteral("HistoryDirection"), {{tr("All directions"), QString()},
                                                                {tr("Received"), QStringLiteral("received")},
                                                                {tr("Sent"), QStringLiteral("sent")},
                                                                {tr("To yourself"), QStringLiteral("self")}});
    kind_ = filterBox(QStringLiteral("HistoryKind"), {{tr("All types"), QString()},
                                                      {tr("Transfers"), QStringLiteral("transfer")},
                                                      {tr("Stakes"), QStringLiteral("stake")},
                                                      {tr("Unstakes"), QStringLiteral("unstake")}});
    status_ = filterBox(QStringLiteral("HistoryStatus"), {{tr("Any status"), QString()},
                                                          {tr("Pending"), QStringLiteral("pending")},
                                                          {tr("Confirmed"), QStringLiteral("confirmed")},
                                                          {tr("Final"), QStringLiteral("final")}});
    search_ = new QLineEdit;
    search_->setObjectName(QStringLiteral("HistorySearch"));
    search_->setPlaceholderText(tr("Search transaction id, address or label"));
    search_->setClearButtonEnabled(true);
    filters->addWidget(direction_);
    filters->addWidget(kind_);
    filters->addWidget(status_);
    filters->addWidget(search_, 1);
    col->addLayout(filters);

    HistoryModel *model = wallet_->history();
    view_ = new QTableView;
    view_->setObjectName(QStringLiteral("HistoryView"));
    view_->setModel(model);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->setAlternatingRowColors(true);
    view_->setShowGrid(false);
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideMiddle);  // addresses: keep both ends visible
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(30);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    QHeaderView *h = view_->horizontalHeader();
    h->setHighlightSections(false);
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setSectionResizeMode(HistoryModel::AddressColumn, QHeaderView::Stretch);
    col->addWidget(view_, 1);
    empty_ = new QLabel;
    empty_->setObjectName(QStringLiteral("Muted"));
    empty_->setAlignment(Qt::AlignCenter);
    col->addWidget(empty_);
    error_ = makeStatusLabel(QStringLiteral("HistoryError"));
    setStatus(error_, QString(), Tone::Muted);
    col->addWidget(error_);

    debounce_.setSingleShot(true);
    debounce_.setInterval(300);
    connect(&debounce_, &QTimer::timeout, this, &HistoryTab::applyFilter);
    for (QComboBox *c : {direction_, kind_, status_})
        connect(c, &QComboBox::currentIndexChanged, this, &HistoryTab::applyFilter);
    connect(search_, &QLineEdit::textChanged, &debounce_, qOverload<>(&QTimer::start));
    connect(view_, &QTableView::customContextMenuRequested, this, &HistoryTab::showMenu);
    connect(model, &HistoryModel::errorChanged, this,
            [this](const QString &m) { setStatus(error_, m, m.isEmpty() ? Tone::Muted : Tone::Error); });
    const auto updateEmpty = [this, model] {
        const bool filtered = direction_->currentIndex() || kind_->currentIndex() || status_->currentIndex() ||
                              !search_->text().trimmed().isEmpty();
        empty_->setText(filtered ? tr("No transaction matches these filters.")
                                 : tr("No transactions yet. Payments to your addresses appear here."));
        empty_->setVisible(model->rowCount() == 0 && !model->isLoading());
    };
    connect(model, &QAbstractItemModel::modelReset, this, updateEmpty);
    connect(model, &QAbstractItemModel::rowsInserted, this, updateEmpty);
    connect(model, &HistoryModel::loadingChanged, this, updateEmpty);
    updateEmpty();
}

void HistoryTab::applyFilter()
{
    wallet_->history()->setFilter(direction_->currentData().toString(), kind_->currentData().toString(),
                                  status_->currentData().toString(), search_->text());
}

void HistoryTab::showMenu(const QPoint &pos)
{
    const QModelIndex idx = view_->indexAt(pos);
    if (!idx.isValid()) return;
    const QString txid = idx.data(HistoryModel::TxidRole).toString();
    const QString address = idx.data(HistoryModel::AddressRole).toString();
    QMenu menu(this);
    connect(menu.addAction(tr("Copy transaction id")), &QAction::triggered, this,
            [txid] { QGuiApplication::clipboard()->setText(txid); });
    if (!address.isEmpty())
        connect(menu.addAction(tr("Copy address")), &QAction::triggered, this,
                [address] { QGuiApplication::clipboard()->setText(address); });
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

}  // namespace blyan::ui
