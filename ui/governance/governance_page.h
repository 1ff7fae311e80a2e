#pragma once
// GovernancePage: the Governance panel (DESIGN.md section 1, issue 9). Proposals with status, countdown
// and a live tally bar with its quorum line; the selected one in full (text, history, votes) with the
// wallet's vote; the wallet's votes; the rules in force; and a form for a new proposal. Everything
// comes through GovernanceModel (Node::call / Node::callWallet): the UI thread never waits.

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;

namespace blyan::ui {

class ClientModel;
class CreateProposalDialog;
class GovernanceModel;
class MyVotesTab;
class ProposalDetail;
class ProposalListModel;
class RulesTab;
class WalletModel;

class GovernancePage : public QWidget {
    Q_OBJECT
public:
    enum Tab { ProposalsIndex, MyVotesIndex, RulesIndex };

    GovernancePage(ClientModel *client, WalletModel *wallet, QWidget *parent = nullptr);

    GovernanceModel *model() const { return governance_; }
    QTabWidget *tabs() const { return tabs_; }
    QTableView *proposalList() const { return list_; }
    ProposalListModel *listModel() const { return listModel_; }
    ProposalDetail *detail() const { return detail_; }
    MyVotesTab *myVotes() const { return myVotes_; }
    RulesTab *rules() const { return rules_; }
    // Selects the proposal in the list (switching to the Proposals tab and to "All" if it is filtered out).
    void openProposal(const QString &id);
    // Opens the new-proposal form (the button does the same); returns it for tests.
    CreateProposalDialog *newProposal();

protected:
    void resizeEvent(QResizeEvent *e) override;

private:
    void updateSummary();
    // Gives the list the height of its rows (within bounds) and the detail the rest, until the user drags.
    void fitList();

    ClientModel *client_;
    WalletModel *wallet_;
    GovernanceModel *governance_;
    QTabWidget *tabs_;
    QComboBox *filter_;
    QTableView *list_;
    ProposalListModel *listModel_;
    ProposalDetail *detail_;
    MyVotesTab *myVotes_;
    RulesTab *rules_;
    QLabel *summary_, *listEmpty_;
    QPushButton *create_;
    QSplitter *split_;
    bool userSized_ = false;
    QString pendingSelect_;
};

}  // namespace blyan::ui
