#pragma once
// The proposals table of the Governance panel over GovernanceModel: number, title, kind, status, the
// tally (drawn by TallyDelegate with its quorum line) and the countdown. A filter keeps open or closed
// proposals only. Rows keep their proposal when the list is re-read, so the selection stays put.

#include "ui/governance/governance_model.h"

#include <QAbstractTableModel>

namespace blyan::ui {

class ProposalListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NumberColumn, TitleColumn, KindColumn, StatusColumn, TallyColumn, EndsColumn, ColumnCount };
    enum class Filter { All, Open, Closed };
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ProposalListModel(GovernanceModel *governance, QObject *parent = nullptr);

    void setFilter(Filter f);
    Filter filter() const { return filter_; }
    int rowOf(const QString &id) const;
    QString idAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    void reload();

    GovernanceModel *governance_;
    Filter filter_ = Filter::All;
    QList<ProposalItem> rows_;
};

}  // namespace blyan::ui
