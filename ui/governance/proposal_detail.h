#pragma once
// ProposalDetail: one proposal in full. Its title, what it would do, the countdown, the tally (turnout
// against quorum, and yes against the threshold), the wallet's vote with the four buttons to cast or
// change it (the wallet is unlocked first when it is locked), the full text, the history of the
// proposal (created, each vote and change, closed) and the votes by stake. Detail comes from getproposal;
// it is re-read when the list says the proposal changed.

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;
class QTextBrowser;

namespace blyan::ui {

class GovernanceModel;
class TallyBar;

class ProposalDetail : public QWidget {
    Q_OBJECT
public:
    explicit ProposalDetail(GovernanceModel *governance, QWidget *parent = nullptr);

    void showProposal(const QString &id);  // empty: nothing selected
    const QString &proposalId() const { return id_; }
    const QJsonObject &detail() const { return detail_; }

    QPushButton *voteButton(const QString &choice) const;
    TallyBar *turnoutBar() const { return turnout_; }
    TallyBar *decisionBar() const { return decision_; }

Q_SIGNALS:
    // getproposal answered for the shown proposal.
    void loaded();
    void voted(const QString &choice);

private:
    void fetch();
    void render();
    void updateVoteControls();
    void vote(const QString &choice);

    GovernanceModel *governance_;
    QString id_;
    QJsonObject detail_;
    bool busy_ = false;
    QWidget *content_;
    QLabel *empty_, *title_, *meta_, *action_, *legend_, *outlook_, *myVote_, *voteStatus_;
    TallyBar *turnout_, *decision_;
    QList<QPushButton *> buttons_;
    QTextBrowser *text_;
    QTableWidget *history_, *votes_;
};

}  // namespace blyan::ui
