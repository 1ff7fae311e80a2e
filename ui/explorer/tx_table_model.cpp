#include "ui/explorer/tx_table_model.h"

#include "ui/explorer/explorer_format.h"
#include "ui/wallet/amount.h"

#include <QHeaderView>
#include <QLocale>
#include <QTableView>

namespace blyan::ui {

namespace {
QString publishedName(const QJsonObject &tx)
{
    return tx.value(QLatin1String("object")).toObject().value(QLatin1String("name")).toString();
}
}  // namespace

TxTableModel::TxTableModel(Mode mode, QObject *parent) : QAbstractTableModel(parent), mode_(mode) {}

void TxTableModel::setTransactions(const QJsonArray &txs)
{
    beginResetModel();
    rows_.clear();
    for (const QJsonValue &v : txs) rows_.append(v.toObject());
    endResetModel();
}

void TxTableModel::appendTransactions(const QJsonArray &txs)
{
    if (txs.isEmpty()) return;
    beginInsertRows({}, int(rows_.size()), int(rows_.size() + txs.size() - 1));
    for (const QJsonValue &v : txs) rows_.append(v.toObject());
    endInsertRows();
}

int TxTableModel::rowOfObject(const QString &name) const
{
    for (int i = 0; i < rows_.size(); ++i)
        if (publishedName(rows_[i]) == name) return i;
    return -1;
}

int TxTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int TxTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TxTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case IndexColumn: return mode_ == Mode::Block ? tr("#") : tr("Block");
    case TxidColumn: return tr("Transaction");
    case KindColumn: return tr("Type");
    case FromColumn: return tr("From");
    case ToColumn: return tr("To / object");
    case AmountColumn: return tr("Amount (BLY)");
    case FeeColumn: return tr("Fee (BLY)");
    default: return {};
    }
}

QVariant TxTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const QJsonObject &t = rows_.at(index.row());
    if (role == TxidRole) return t.value(QLatin1String("txid")).toString();
    if (role == ObjectNameRole) return publishedName(t);
    const int col = index.column();
    if (role == Qt::TextAlignmentRole)
        return int((col == AmountColumn || col == FeeColumn || col == IndexColumn ? Qt::AlignRight : Qt::AlignLeft) |
                   Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (col == TxidColumn) return t.value(QLatin1String("txid")).toString();
        if (col == FromColumn) return t.value(QLatin1String("from")).toString();
        if (col == ToColumn) return t.value(QLatin1String("to")).toString();
        return {};
    }
    if (role != Qt::DisplayRole) return {};
    const QString kind = t.value(QLatin1String("kind")).toString();
    switch (col) {
    case IndexColumn:
        return mode_ == Mode::Block ? QLocale().toString(index.row())
                                    : QLocale().toString(qint64(t.value(QLatin1String("blockheight")).toDouble()));
    case TxidColumn: return shortHash(t.value(QLatin1String("txid")).toString());
    case KindColumn: {
        const QString k = txKindText(kind);
        if (mode_ != Mode::Address) return k;
        const QString dir = t.value(QLatin1String("direction")).toString();
        if (dir == QLatin1String("received")) return tr("%1 in").arg(k);
        if (dir == QLatin1String("sent")) return tr("%1 out").arg(k);
        return k;
    }
    case FromColumn: return shortAddress(t.value(QLatin1String("from")).toString());
    case ToColumn: {
        if (kind == QLatin1String("publish_object")) return publishedName(t);
        const QString to = t.value(QLatin1String("to")).toString();
        return to.isEmpty() ? QStringLiteral("—") : shortAddress(to);
    }
    case AmountColumn:
        return t.contains(QLatin1String("amount")) ? displayBly(amountUnits(t.value(QLatin1String("amount"))), false)
                                                   : QStringLiteral("—");
    case FeeColumn: return displayBly(amountUnits(t.value(QLatin1String("fee"))), false);
    default: return {};
    }
}

QTableView *makeTransactionTable(TxTableModel *model, const QString &objectName)
{
    auto *table = new QTableView;
    table->setObjectName(objectName);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(28);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    table->setMinimumHeight(260);
    table->setToolTip(QObject::tr("Double-click a transaction to open it"));
    return table;
}

}  // namespace blyan::ui
