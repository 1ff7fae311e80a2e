#include "ui/network/peer_table_model.h"

#include "ui/format.h"

#include <QLocale>

#include <algorithm>
#include <map>

namespace blyan::ui {

namespace {

qint64 idOf(const QJsonObject &o) { return o.value(QStringLiteral("id")).toInteger(); }

}  // namespace

PeerTableModel::PeerTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void PeerTableModel::setPeers(const QJsonArray &peers)
{
    std::map<qint64, QJsonObject> fresh;
    for (const QJsonValue &v : peers)
        if (v.isObject()) fresh[idOf(v.toObject())] = v.toObject();
    // Remove rows whose peer left (from the bottom, so indexes stay valid).
    for (int r = static_cast<int>(rows_.size()) - 1; r >= 0; --r) {
        if (fresh.count(idOf(rows_[static_cast<std::size_t>(r)]))) continue;
        beginRemoveRows({}, r, r);
        rows_.erase(rows_.begin() + r);
        endRemoveRows();
    }
    // Update the others in place, insert the new ones where their id belongs.
    for (auto &[id, obj] : fresh) {
        auto it = std::lower_bound(rows_.begin(), rows_.end(), id, [](const QJsonObject &o, qint64 v) { return idOf(o) < v; });
        const int r = static_cast<int>(it - rows_.begin());
        if (it != rows_.end() && idOf(*it) == id) {
            if (*it != obj) {
                *it = obj;
                Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
            }
            continue;
        }
        beginInsertRows({}, r, r);
        rows_.insert(it, obj);
        endInsertRows();
    }
}

int PeerTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }

int PeerTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PeerTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
    const QJsonObject &p = rows_[static_cast<std::size_t>(index.row())];
    const bool inbound = p.value(QStringLiteral("inbound")).toBool();
    const QJsonValue ping = p.value(QStringLiteral("pingtime"));
    const QJsonValue height = p.value(QStringLiteral("height"));
    if (role == IdRole) return idOf(p);
    if (role == Qt::ToolTipRole) {
        return tr("Identity %1\nConnected as %2; listens on port %3\n%4 messages in, %5 out")
            .arg(p.value(QStringLiteral("identity")).toString(), p.value(QStringLiteral("connection_type")).toString())
            .arg(p.value(QStringLiteral("listen_port")).toInt())
            .arg(p.value(QStringLiteral("msgsrecv")).toInteger())
            .arg(p.value(QStringLiteral("msgssent")).toInteger());
    }
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = index.column() == Ping || index.column() == Sent || index.column() == Received ||
                             index.column() == Height || index.column() == BanScore;
        return QVariant::fromValue(Qt::Alignment(numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter));
    }
    if (role == SortRole) {
        switch (index.column()) {
        case Address: return p.value(QStringLiteral("addr")).toString();
        case Direction: return inbound ? 1 : 0;
        case Ping: return ping.isDouble() ? ping.toDouble() : 1e9;  // unknown sorts last
        case Sent: return p.value(QStringLiteral("bytessent")).toInteger();
        case Received: return p.value(QStringLiteral("bytesrecv")).toInteger();
        case Agent: return p.value(QStringLiteral("subver")).toString();
        case Height: return height.isDouble() ? height.toInteger() : -1;
        case BanScore: return p.value(QStringLiteral("banscore")).toInt();
        }
        return {};
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Address: return p.value(QStringLiteral("addr")).toString();
    case Direction: {
        const QString type = p.value(QStringLiteral("connection_type")).toString();
        return inbound ? tr("Inbound") : tr("Outbound (%1)").arg(type);
    }
    case Ping:
        if (!ping.isDouble()) return tr("—");
        if (ping.toDouble() < 0.001) return tr("< 1 ms");  // loopback and LAN answer within the clock's resolution
        return tr("%1 ms").arg(QLocale().toString(ping.toDouble() * 1000.0, 'f', 0));
    case Sent: return formatBytes(static_cast<quint64>(p.value(QStringLiteral("bytessent")).toInteger()));
    case Received: return formatBytes(static_cast<quint64>(p.value(QStringLiteral("bytesrecv")).toInteger()));
    case Agent:
        return tr("%1 (protocol %2)").arg(p.value(QStringLiteral("subver")).toString()).arg(p.value(QStringLiteral("version")).toInt());
    case Height: {
        if (!height.isDouble()) return tr("—");
        const qint64 fin = p.value(QStringLiteral("final_height")).toInteger();
        return tr("%1 (final %2)").arg(QLocale().toString(height.toInteger()), QLocale().toString(fin));
    }
    case BanScore: return p.value(QStringLiteral("banscore")).toInt();
    }
    return {};
}

QVariant PeerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Address: return tr("Address");
    case Direction: return tr("Direction");
    case Ping: return tr("Ping");
    case Sent: return tr("Sent");
    case Received: return tr("Received");
    case Agent: return tr("Version");
    case Height: return tr("Height");
    case BanScore: return tr("Ban score");
    }
    return {};
}

}  // namespace blyan::ui
