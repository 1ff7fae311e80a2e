#pragma once
// The Governance panel's secondary tabs: the wallet's votes (recorded and still pending, with the
// proposal's state), and the rules in force (live parameters with defaults and hard bounds, quorum and
// threshold per kind with voting periods, dataset tiers and approved datasets).

#include <QWidget>

class QLabel;
class QTableWidget;

namespace blyan::ui {

class GovernanceModel;

class MyVotesTab : public QWidget {
    Q_OBJECT
public:
    explicit MyVotesTab(GovernanceModel *governance, QWidget *parent = nullptr);
    QTableWidget *table() const { return table_; }

Q_SIGNALS:
    void openProposal(const QString &id);

private:
    void reload();
    GovernanceModel *governance_;
    QTableWidget *table_;
    QLabel *empty_;
};

class RulesTab : public QWidget {
    Q_OBJECT
public:
    explicit RulesTab(GovernanceModel *governance, QWidget *parent = nullptr);
    QTableWidget *params() const { return params_; }

private:
    void reload();
    GovernanceModel *governance_;
    QTableWidget *params_, *kinds_, *tiers_;
    QLabel *summary_;
};

}  // namespace blyan::ui
