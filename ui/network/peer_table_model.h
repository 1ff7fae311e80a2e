#pragma once
// PeerTableModel: the Network panel's peers, one row per connected peer, filled from `getpeerinfo`
// answers (the page fetches them off the UI thread through Node::call). Rows are matched by peer id,
// so a refresh updates cells in place, and selection and sort order survive it. Qt::UserRole gives
// each cell's raw value for sorting (bytes as numbers, not "1.4 MiB").

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>

#include <vector>

namespace blyan::ui {

class PeerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Address, Direction, Ping, Sent, Received, Agent, Height, BanScore, ColumnCount };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit PeerTableModel(QObject *parent = nullptr);

    // One getpeerinfo answer: rows of peers gone are removed, new ones inserted, the others updated.
    void setPeers(const QJsonArray &peers);
    void clear() { setPeers({}); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<QJsonObject> rows_;  // ordered by peer id
};

}  // namespace blyan::ui
