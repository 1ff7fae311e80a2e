#include "ui/wallet/history_model.h"

#include "ui/wallet/amount.h"
#include "ui/wallet/wallet_icons.h"
#include "ui/wallet/wallet_model.h"

#include <QApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QPalette>

namespace blyan::ui {

namespace {
TxRow parseRow(const QJsonObject &o)
{
    TxRow r;
    r.txid = o.value(QLatin1String("txid")).toString();
    r.kind = o.value(QLatin1String("kind")).toString();
    r.direction = o.value(QLatin1String("direction")).toString();
    r.address = o.value(QLatin1String("address")).toString();
    r.label = o.value(QLatin1String("label")).toString();
    r.status = o.value(QLatin1String("status")).toString();
    r.amount = amountUnits(o.value(QLatin1String("amount")));
    r.fee = amountUnits(o.value(QLatin1String("fee")));
    r.timeMs = qint64(o.value(QLatin1String("time")).toDouble());
    const QJsonValue h = o.value(QLatin1String("height"));
    r.height = h.isDouble() ? qint64(h.toDouble()) : -1;
    return r;
}

bool darkPalette() { return QApplication::palette().color(QPalette::Window).lightness() < 128; }
}  // namespace

HistoryModel::HistoryModel(WalletModel *wallet, QObject *parent) : QAbstractTableModel(parent), wallet_(wallet)
{
    connect(wallet_, &WalletModel::changed, this, [this] {
        if (wallet_->info().exists()) reload();
    });
}

QString HistoryModel::statusText(const QString &status)
{
    if (status == QLatin1String("pending")) return tr("Pending");
    if (status == QLatin1String("confirmed")) return tr("Confirmed");
    if (status == QLatin1String("final")) return tr("Final");
    if (status == QLatin1String("dropped")) return tr("Dropped");
    return status;
}

QString HistoryModel::kindText(const QString &kind, const QString &direction)
{
    if (kind == QLatin1String("transfer")) {
        if (direction == QLatin1String("received")) return tr("Received");
        if (direction == QLatin1String("self")) return tr("To yourself");
        return tr("Sent");
    }
    if (kind == QLatin1String("stake")) return tr("Stake");
    if (kind == QLatin1String("unstake")) return tr("Unstake");
    QString k = kind;
    k.replace(QLatin1Char('_'), QLatin1Char(' '));
    return k.isEmpty() ? k : k.at(0).toUpper() + k.mid(1);
}

void HistoryModel::setFilter(const QString &direction, const QString &kind, const QString &status,
                             const QString &search)
{
    QJsonObject f;
    if (!direction.isEmpty()) f.insert(QStringLiteral("direction"), direction);
    if (!kind.isEmpty()) f.insert(QStringLiteral("kind"), kind);
    if (!status.isEmpty()) f.insert(QStringLiteral("status"), status);
    if (!search.trimmed().isEmpty()) f.insert(QStringLiteral("search"), search.trimmed());
    if (f == filter_ && !rows_.isEmpty()) return;
    filter_ = f;
    request(kPageSize, 0, true);
}

void HistoryModel::reload() { request(qMax<int>(kPageSize, int(rows_.size())), 0, true); }

void HistoryModel::request(int count, int skip, bool replace)
{
    if (replace) ++generation_;  // a fresh read supersedes pages still on their way
    const quint64 gen = generation_;
    QJsonArray params{count, skip};
    if (!filter_.isEmpty()) params.append(filter_);
    setLoading(true);
    wallet_->call(QStringLiteral("listtransactions"), params, this,
                  [this, gen, count, replace](const Expected<QJsonValue> &a) {
        if (gen != generation_) return;
        setLoading(false);
        if (!a.ok()) {
            Q_EMIT errorChanged(QString::fromStdString(a.error().message));
            return;
        }
        Q_EMIT errorChanged({});
        QList<TxRow> got;
        for (const QJsonValue &v : a.value().toArray()) got.append(parseRow(v.toObject()));
        atEnd_ = got.size() < count;
        if (!replace) {
            if (got.isEmpty()) return;
            beginInsertRows({}, int(rows_.size()), int(rows_.size() + got.size() - 1));
            rows_.append(got);
            endInsertRows();
            return;
        }
        bool sameRows = got.size() == rows_.size();
        for (int i = 0; sameRows && i < got.size(); ++i) sameRows = got[i].txid == rows_[i].txid;
        if (sameRows) {  // statuses moved on: update in place, keeping selection and scroll
            rows_ = got;
            if (!rows_.isEmpty()) Q_EMIT dataChanged(index(0, 0), index(int(rows_.size()) - 1, ColumnCount - 1));
            return;
        }
        beginResetModel();
        rows_ = got;
        endResetModel();
    });
}

void HistoryModel::setLoading(bool on)
{
    if (loading_ == on) return;
    loading_ = on;
    Q_EMIT loadingChanged(on);
}

int HistoryModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int HistoryModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

bool HistoryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !atEnd_ && !loading_ && !rows_.isEmpty();
}

void HistoryModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent)) request(kPageSize, int(rows_.size()), false);
}

QVariant HistoryModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case StatusColumn: return tr("Status");
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Type");
    case AddressColumn: return tr("Address or label");
    case AmountColumn: return tr("Amount (BLY)");
    case FeeColumn: return tr("Fee");
    default: return {};
    }
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const TxRow &r = rows_.at(index.row());
    const bool paidFee = r.direction != QLatin1String("received");
    switch (role) {
    case TxidRole: return r.txid;
    case StatusRole: return r.status;
    case DirectionRole: return r.direction;
    case AmountUnitsRole: return QVariant::fromValue(r.amount);
    case AddressRole: return r.address;
    default: break;
    }
    const int col = index.column();
    if (role == Qt::DisplayRole) {
        switch (col) {
        case StatusColumn: return statusText(r.status);
        case TimeColumn:
            return r.timeMs ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.timeMs), QLocale::ShortFormat)
                            : QString();
        case KindColumn: return kindText(r.kind, r.direction);
        case AddressColumn: return r.label.isEmpty() ? r.address : r.label;
        case AmountColumn: {
            const QString sign = r.direction == QLatin1String("received") ? QStringLiteral("+")
                                 : r.direction == QLatin1String("sent")   ? QStringLiteral("\u2212")
                                                                          : QString();
            return sign + displayBly(r.amount, false);
        }
        case FeeColumn: return paidFee ? displayBly(r.fee, false) : QStringLiteral("\u2014");
        default: return {};
        }
    }
    if (role == Qt::DecorationRole && col == StatusColumn) return txStatusIcon(r.status);
    if (role == Qt::TextAlignmentRole && (col == AmountColumn || col == FeeColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && col == AmountColumn && r.direction == QLatin1String("received"))
        return darkPalette() ? QColor(0x34, 0xD3, 0x99) : QColor(0x04, 0x78, 0x57);
    if (role == Qt::ToolTipRole) {
        if (col == StatusColumn) {
            if (r.status == QLatin1String("pending")) return tr("Waiting in the mempool for a block");
            if (r.status == QLatin1String("final")) return tr("Final in block %1: it can never be reverted").arg(r.height);
            if (r.status == QLatin1String("dropped"))
                return tr("Left the mempool without being included (expired or replaced); nothing was paid");
            return tr("In block %1, not final yet").arg(r.height);
        }
        if (col == AddressColumn) return r.label.isEmpty() ? r.address : r.label + QLatin1Char('\n') + r.address;
        return tr("Transaction %1").arg(r.txid);
    }
    return {};
}

}  // namespace blyan::ui
