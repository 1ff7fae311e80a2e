#include "ui/governance/proposal_list_model.h"

#include "ui/governance/tally_bar.h"

#include <QLocale>

namespace blyan::ui {

ProposalListModel::ProposalListModel(GovernanceModel *governance, QObject *parent)
    : QAbstractTableModel(parent), governance_(governance)
{
    connect(governance_, &GovernanceModel::proposalsChanged, this, &ProposalListModel::reload);
    reload();
}

void ProposalListModel::setFilter(Filter f)
{
    filter_ = f;
    reload();
}

void ProposalListModel::reload()
{
    QList<ProposalItem> next;
    for (const auto &p : governance_->proposals()) {
        if (filter_ == Filter::Open && !p.voting()) continue;
        if (filter_ == Filter::Closed && p.voting()) continue;
        next.append(p);
    }
    // Same proposals in the same order (the usual case: a tally moved): update in place so the
    // selection and the scroll position stay.
    bool sameRows = next.size() == rows_.size();
    for (int i = 0; sameRows && i < next.size(); ++i) sameRows = next[i].id == rows_[i].id;
    if (sameRows) {
        rows_ = next;
        if (!rows_.isEmpty()) Q_EMIT dataChanged(index(0, 0), index(int(rows_.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    rows_ = next;
    endResetModel();
}

int ProposalListModel::rowOf(const QString &id) const
{
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == id) return i;
    return -1;
}

QString ProposalListModel::idAt(int row) const { return row >= 0 && row < rows_.size() ? rows_[row].id : QString(); }

int ProposalListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int ProposalListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ProposalListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const ProposalItem &p = rows_[index.row()];
    if (role == IdRole) return p.id;
    if (role == TallyDelegate::TallyRole && index.column() == TallyColumn)
        return QVariant::fromValue(TallyFigures{p.totalStake, p.yes, p.no, p.abstain, p.veto, p.quorumPercent, p.thresholdPercent});
    if (role == Qt::ToolTipRole && index.column() == TallyColumn)
        return tr("Turnout %1 % of the stake (quorum %2 %), yes %3 % of the decisive votes (threshold %4 %)")
            .arg(p.turnoutPercent, 0, 'f', 1).arg(p.quorumPercent).arg(p.yesPercent, 0, 'f', 1).arg(p.thresholdPercent);
    if (role == Qt::ToolTipRole && index.column() == TitleColumn) return describeAction(p.action);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case NumberColumn: return QStringLiteral("#%1").arg(p.number);
    case TitleColumn: return p.title;
    case KindColumn: return proposalKindTitle(p.kind);
    case StatusColumn:
        if (p.voting())
            return p.outlook == QLatin1String("passes") ? tr("Voting · passing") : tr("Voting · not passing");
        return proposalStatusTitle(p.status);
    case TallyColumn: return {};
    case EndsColumn:
        if (!p.voting()) return tr("closed at %1").arg(QLocale().toString(p.closedHeight));
        return tr("%1 blocks").arg(QLocale().toString(p.blocksLeft));
    }
    return {};
}

QVariant ProposalListModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NumberColumn: return tr("#");
    case TitleColumn: return tr("Title");
    case KindColumn: return tr("Kind");
    case StatusColumn: return tr("Status");
    case TallyColumn: return tr("Tally and quorum");
    case EndsColumn: return tr("Ends");
    }
    return {};
}

}  // namespace blyan::ui
