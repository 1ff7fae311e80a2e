#include "ui/explorer/block_list_model.h"

#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

namespace blyan::ui {

BlockListModel::BlockListModel(ExplorerModel *explorer, QObject *parent)
    : QAbstractTableModel(parent), explorer_(explorer)
{
    pumpTimer_.setSingleShot(true);
    pumpTimer_.setInterval(0);  // after the paint that asked: all the rows it wants are known by then
    connect(&pumpTimer_, &QTimer::timeout, this, &BlockListModel::pump);
}

void BlockListModel::setTip(quint64 height)
{
    if (!hasTip_) {
        beginResetModel();
        tip_ = height;
        hasTip_ = true;
        pages_.clear();
        lru_.clear();
        endResetModel();
        return;
    }
    const quint64 old = tip_;
    // The page holding the old tip was partial (or, after a reorganisation, shows replaced blocks):
    // every page from the lower of the two tips up is read again.
    const quint64 firstStale = std::min(old, height) / kPageSize;
    for (auto it = pages_.begin(); it != pages_.end();) {
        if (it.key() >= firstStale) {
            lru_.erase(std::remove(lru_.begin(), lru_.end(), it.key()), lru_.end());
            it = pages_.erase(it);
        } else {
            ++it;
        }
    }
    if (height > old) {
        beginInsertRows({}, 0, int(height - old - 1));
        tip_ = height;
        endInsertRows();
    } else if (height < old) {
        beginRemoveRows({}, 0, int(old - height - 1));
        tip_ = height;
        endRemoveRows();
    }
    // Rows whose page was dropped show "…" until it comes back.
    const int last = std::min<qint64>(rowCount() - 1, rowForHeight(firstStale * kPageSize));
    if (last >= 0) Q_EMIT dataChanged(index(0, 0), index(last, ColumnCount - 1));
}

int BlockListModel::rowForHeight(quint64 height) const
{
    return hasTip_ && height <= tip_ ? int(tip_ - height) : -1;
}

const BlockRow *BlockListModel::block(int row) const
{
    if (row < 0 || row >= rowCount()) return nullptr;
    const quint64 h = heightForRow(row);
    const auto it = pages_.constFind(h / kPageSize);
    if (it == pages_.constEnd()) return nullptr;
    const quint64 offset = h - (h / kPageSize) * kPageSize;
    return offset < quint64(it->rows.size()) ? &it->rows.at(int(offset)) : nullptr;
}

int BlockListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !hasTip_ ? 0 : int(tip_ + 1);
}

int BlockListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BlockListModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case HeightColumn: return tr("Height");
    case TimeColumn: return tr("Time");
    case TxColumn: return tr("Transactions");
    case HashColumn: return tr("Block hash");
    case ProposerColumn: return tr("Proposer");
    default: return {};
    }
}

QVariant BlockListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const quint64 height = heightForRow(index.row());
    const BlockRow *b = block(index.row());
    if (!b) want(height / kPageSize);
    if (role == HeightRole) return QVariant::fromValue(height);
    if (role == LoadedRole) return b != nullptr;
    if (role == HashRole) return b ? b->hash : QString();
    const int col = index.column();
    if (role == Qt::TextAlignmentRole)
        return int((col == HeightColumn || col == TxColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && b) {
        if (col == HashColumn) return b->hash;
        if (col == ProposerColumn) return b->proposer;
    }
    if (role != Qt::DisplayRole) return {};
    if (col == HeightColumn) return QLocale().toString(height);
    if (!b) return col == HashColumn ? QStringLiteral("…") : QString();
    switch (col) {
    case TimeColumn: return formatTime(b->timeMs);
    case TxColumn: return QLocale().toString(b->txCount);
    case HashColumn: return shortHash(b->hash);
    case ProposerColumn: return b->height == 0 ? tr("none (genesis)") : shortAddress(b->proposer);
    default: return {};
    }
}

bool BlockListModel::pageComplete(quint64 page) const
{
    const auto it = pages_.constFind(page);
    // A page read before the tip moved may end short of what is there now: it is read again, once per
    // tip (a node briefly behind our tip, as in a reorganisation, must not make it ask in a loop).
    return it != pages_.constEnd() &&
           (it->rows.size() == kPageSize || it->rows.last().height >= tip_ || it->askedAtTip == tip_);
}

void BlockListModel::want(quint64 page) const
{
    if (inFlight_.contains(page) || pageComplete(page)) return;
    if (std::find(queue_.begin(), queue_.end(), page) != queue_.end()) return;
    queue_.push_back(page);
    while (queue_.size() > std::size_t(kMaxQueued)) queue_.pop_front();
    if (!pumpTimer_.isActive()) pumpTimer_.start();
}

void BlockListModel::pump()
{
    while (inFlight_.size() < kMaxInFlight && !queue_.empty()) {
        const quint64 page = queue_.back();  // the newest wish: what the view shows now
        queue_.pop_back();
        if (pageComplete(page) || !hasTip_ || page * kPageSize > tip_) continue;
        inFlight_.insert(page, true);
        ++requested_;
        const QJsonArray params{qint64(page * kPageSize), kPageSize};
        const quint64 askedAt = tip_;
        explorer_->call(QStringLiteral("listblocks"), params, this, [this, page, askedAt](const Expected<QJsonValue> &a) {
            inFlight_.remove(page);
            if (!a.ok()) {
                Q_EMIT pageError(QString::fromStdString(a.error().message));
            } else {
                QList<BlockRow> rows;
                for (const QJsonValue &v : a.value().toObject().value(QLatin1String("blocks")).toArray()) {
                    const QJsonObject o = v.toObject();
                    BlockRow r;
                    r.height = quint64(o.value(QLatin1String("height")).toDouble());
                    r.hash = o.value(QLatin1String("hash")).toString();
                    r.proposer = o.value(QLatin1String("proposer")).toString();
                    r.timeMs = qint64(o.value(QLatin1String("time")).toDouble());
                    r.slot = quint64(o.value(QLatin1String("slot")).toDouble());
                    r.txCount = o.value(QLatin1String("nTx")).toInt();
                    rows.append(r);
                }
                arrived(page, rows, askedAt);
            }
            pump();
        });
    }
}

void BlockListModel::arrived(quint64 page, const QList<BlockRow> &rows, quint64 askedAtTip)
{
    if (rows.isEmpty()) return;
    pages_.insert(page, Page{rows, askedAtTip});
    lru_.erase(std::remove(lru_.begin(), lru_.end(), page), lru_.end());
    lru_.push_back(page);
    while (lru_.size() > std::size_t(kMaxPages)) {
        pages_.remove(lru_.front());
        lru_.pop_front();
    }
    const int top = rowForHeight(std::min<quint64>(tip_, rows.last().height));
    const int bottom = rowForHeight(rows.first().height);
    if (top >= 0 && bottom >= top) Q_EMIT dataChanged(index(top, 0), index(bottom, ColumnCount - 1));
}

}  // namespace blyan::ui
