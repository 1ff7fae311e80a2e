#include "ui/governance/proposal_detail.h"

#include "ui/card.h"
#include "ui/governance/governance_model.h"
#include "ui/governance/tally_bar.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/form_status.h"
#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {

const char *const kChoices[] = {"yes", "no", "abstain", "veto"};

QString choiceTitle(const QString &c)
{
    if (c == QLatin1String("yes")) return QObject::tr("Yes");
    if (c == QLatin1String("no")) return QObject::tr("No");
    if (c == QLatin1String("abstain")) return QObject::tr("Abstain");
    if (c == QLatin1String("veto")) return QObject::tr("Veto");
    return c;
}

QTableWidget *makeTable(const QString &name, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionMode(QAbstractItemView::NoSelection);
    t->setShowGrid(false);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setMinimumHeight(120);
    return t;
}

void setRow(QTableWidget *t, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c) t->setItem(row, c, new QTableWidgetItem(cells[c]));
}

quint64 amount(const QJsonObject &o, const char *key) { return amountUnits(o.value(QLatin1String(key))); }

}  // namespace

ProposalDetail::ProposalDetail(GovernanceModel *governance, QWidget *parent) : QWidget(parent), governance_(governance)
{
    setObjectName(QStringLiteral("ProposalDetail"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    empty_ = new QLabel(tr("Select a proposal to see its text, tally and history, and to vote."));
    empty_->setObjectName(QStringLiteral("Muted"));
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    outer->addWidget(empty_, 1);

    content_ = new QWidget;
    auto *col = new QVBoxLayout(content_);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(12);
    title_ = new QLabel;
    title_->setObjectName(QStringLiteral("DetailTitle"));
    QFont f = title_->font();
    f.setPointSizeF(f.pointSizeF() * 1.35);
    f.setBold(true);
    title_->setFont(f);
    title_->setWordWrap(true);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    meta_ = new QLabel;
    meta_->setObjectName(QStringLiteral("ProposalMeta"));
    meta_->setProperty("tone", QStringLiteral("muted"));
    meta_->setWordWrap(true);
    action_ = new QLabel;
    action_->setObjectName(QStringLiteral("ProposalAction"));
    action_->setWordWrap(true);
    action_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Proposal text is anyone's: never rich text.
    for (QLabel *l : {title_, meta_, action_}) l->setTextFormat(Qt::PlainText);
    col->addWidget(title_);
    col->addWidget(meta_);
    col->addWidget(action_);

    auto *tally = new Card(tr("Tally"));
    turnout_ = new TallyBar(TallyMode::Turnout);
    turnout_->setObjectName(QStringLiteral("TurnoutBar"));
    decision_ = new TallyBar(TallyMode::Decision);
    decision_->setObjectName(QStringLiteral("DecisionBar"));
    legend_ = new QLabel;
    legend_->setObjectName(QStringLiteral("TallyLegend"));
    legend_->setWordWrap(true);
    legend_->setTextFormat(Qt::RichText);
    outlook_ = new QLabel;
    outlook_->setObjectName(QStringLiteral("TallyOutlook"));
    outlook_->setWordWrap(true);
    outlook_->setTextFormat(Qt::PlainText);
    auto *turnoutCaption = new QLabel(tr("Stake that voted, of all stake at the snapshot"));
    turnoutCaption->setProperty("tone", QStringLiteral("muted"));
    auto *decisionCaption = new QLabel(tr("Yes against no and veto (abstain counts for quorum only)"));
    decisionCaption->setProperty("tone", QStringLiteral("muted"));
    tally->body()->addWidget(turnoutCaption);
    tally->body()->addWidget(turnout_);
    tally->body()->addWidget(decisionCaption);
    tally->body()->addWidget(decision_);
    tally->body()->addWidget(legend_);
    tally->body()->addWidget(outlook_);
    col->addWidget(tally);

    auto *voteCard = new Card(tr("Your vote"));
    myVote_ = new QLabel;
    myVote_->setObjectName(QStringLiteral("MyVote"));
    myVote_->setWordWrap(true);
    myVote_->setTextFormat(Qt::PlainText);
    voteCard->body()->addWidget(myVote_);
    auto *row = new QHBoxLayout;
    for (const char *c : kChoices) {
        auto *b = new QPushButton(choiceTitle(QString::fromLatin1(c)));
        b->setObjectName(QStringLiteral("Vote") + choiceTitle(QString::fromLatin1(c)));
        b->setProperty("choice", QString::fromLatin1(c));
        connect(b, &QPushButton::clicked, this, [this, c] { vote(QString::fromLatin1(c)); });
        row->addWidget(b);
        buttons_.append(b);
    }
    row->addStretch(1);
    voteCard->body()->addLayout(row);
    voteStatus_ = makeStatusLabel(QStringLiteral("VoteStatus"));
    voteCard->body()->addWidget(voteStatus_);
    col->addWidget(voteCard);

    auto *textCard = new Card(tr("Full text"));
    text_ = new QTextBrowser;
    text_->setObjectName(QStringLiteral("ProposalText"));
    text_->setOpenLinks(false);  // plain text: nothing in a proposal can act on the user's behalf
    text_->setMinimumHeight(110);
    textCard->body()->addWidget(text_);
    col->addWidget(textCard);

    auto *historyCard = new Card(tr("History"));
    history_ = makeTable(QStringLiteral("ProposalHistory"), {tr("Height"), tr("Event"), tr("Who"), tr("Stake or deposit")});
    historyCard->body()->addWidget(history_);
    col->addWidget(historyCard);
    auto *votesCard = new Card(tr("Votes by stake"));
    votes_ = makeTable(QStringLiteral("ProposalVotes"), {tr("Voter"), tr("Vote"), tr("Stake"), tr("Height")});
    votesCard->body()->addWidget(votes_);
    col->addWidget(votesCard);
    col->addStretch(1);
    outer->addWidget(content_, 1);
    content_->hide();

    connect(governance_, &GovernanceModel::proposalsChanged, this, [this] {
        // Re-read the detail only when the summary of this proposal moved (a vote, a block nearer the end).
        const ProposalItem *p = governance_->proposal(id_);
        if (!p) return;
        const QJsonObject &d = detail_;
        const QJsonObject t = d.value(QLatin1String("tally")).toObject();
        if (d.isEmpty() || p->status != d.value(QLatin1String("status")).toString() || p->yes != amount(t, "yes") ||
            p->no != amount(t, "no") || p->abstain != amount(t, "abstain") || p->veto != amount(t, "veto") ||
            p->blocksLeft != qint64(d.value(QLatin1String("blocks_left")).toDouble()))
            fetch();
    });
    connect(governance_, &GovernanceModel::myVotesChanged, this, &ProposalDetail::updateVoteControls);
    connect(governance_->wallet(), &WalletModel::infoChanged, this, &ProposalDetail::updateVoteControls);
}

QPushButton *ProposalDetail::voteButton(const QString &choice) const
{
    for (QPushButton *b : buttons_)
        if (b->property("choice").toString() == choice) return b;
    return nullptr;
}

void ProposalDetail::showProposal(const QString &id)
{
    if (id == id_ && !detail_.isEmpty()) return;
    id_ = id;
    detail_ = {};
    setStatus(voteStatus_, QString(), Tone::Muted);
    empty_->setVisible(id.isEmpty());
    content_->setVisible(!id.isEmpty());
    if (!id.isEmpty()) fetch();
}

void ProposalDetail::fetch()
{
    const QString id = id_;
    governance_->call(QStringLiteral("getproposal"), {id, 200}, this, [this, id](const Expected<QJsonValue> &a) {
        if (id != id_) return;  // the user moved on
        if (!a.ok()) {
            setStatus(voteStatus_, QString::fromStdString(a.error().message), Tone::Error);
            return;
        }
        detail_ = a.value().toObject();
        render();
        Q_EMIT loaded();
    });
}

void ProposalDetail::render()
{
    const ProposalItem p = ProposalItem::fromJson(detail_);
    title_->setText(QStringLiteral("#%1  %2").arg(p.number).arg(p.title));
    meta_->setText(tr("%1 · %2 · %3 · proposed by %4 at height %5 (snapshot %6) · deposit %7")
                       .arg(proposalKindTitle(p.kind), proposalStatusTitle(p.status), countdownText(p), p.proposer,
                            QLocale().toString(p.createdHeight), QLocale().toString(p.snapshotHeight), displayBly(p.deposit)));
    action_->setText(describeAction(p.action));
    turnout_->setFigures({p.totalStake, p.yes, p.no, p.abstain, p.veto, p.quorumPercent, p.thresholdPercent});
    decision_->setFigures({p.totalStake, p.yes, p.no, p.abstain, p.veto, p.quorumPercent, p.thresholdPercent});
    const bool dark = isDark(palette());
    QStringList parts;
    for (const auto &[choice, value] : {std::pair{QStringLiteral("yes"), p.yes}, {QStringLiteral("no"), p.no},
                                        {QStringLiteral("veto"), p.veto}, {QStringLiteral("abstain"), p.abstain}})
        parts << QStringLiteral("<span style=\"color:%1\">■</span> %2 %3")
                     .arg(choiceColor(choice, dark).name(), choiceTitle(choice), displayBly(value).toHtmlEscaped());
    legend_->setText(parts.join(QStringLiteral(" &nbsp; ")) +
                     tr("<br>Turnout %1 % of %2 (quorum %3 %) · yes %4 % (threshold %5 %) · veto above %6 % of the votes burns the deposit")
                         .arg(p.turnoutPercent, 0, 'f', 1)
                         .arg(displayBly(p.totalStake).toHtmlEscaped())
                         .arg(p.quorumPercent)
                         .arg(p.yesPercent, 0, 'f', 1)
                         .arg(p.thresholdPercent)
                         .arg(p.vetoPercent));
    QString outlook;
    if (p.voting()) {
        if (p.outlook == QLatin1String("passes")) outlook = tr("If voting ended now, the proposal would pass.");
        else if (p.outlook == QLatin1String("no_quorum")) outlook = tr("Quorum is not reached yet: more stake must vote.");
        else if (p.outlook == QLatin1String("vetoed")) outlook = tr("If voting ended now, the proposal would be vetoed and its deposit burned.");
        else outlook = tr("If voting ended now, the proposal would be rejected.");
    } else {
        outlook = tr("Closed at height %1: %2.").arg(QLocale().toString(p.closedHeight), proposalStatusTitle(p.status));
        if (p.status == QLatin1String("failed")) outlook += tr(" It passed, but could not be carried out (the reward pool held less than the amount).");
    }
    outlook_->setText(outlook);
    text_->setPlainText(detail_.value(QLatin1String("text")).toString());

    const QJsonArray history = detail_.value(QLatin1String("history")).toArray();
    history_->setRowCount(int(history.size()));
    for (int i = 0; i < history.size(); ++i) {
        const QJsonObject h = history[i].toObject();
        const QString event = h.value(QLatin1String("event")).toString();
        QString what, amountText;
        if (event == QLatin1String("created")) {
            what = tr("Proposed");
            amountText = displayBly(amount(h, "deposit"));
        } else if (event == QLatin1String("vote")) {
            const QString prev = h.value(QLatin1String("previous_choice")).toString();
            what = prev.isEmpty() ? tr("Voted %1").arg(choiceTitle(h.value(QLatin1String("choice")).toString()))
                                  : tr("Changed vote %1 → %2").arg(choiceTitle(prev), choiceTitle(h.value(QLatin1String("choice")).toString()));
            amountText = displayBly(amount(h, "weight"));
        } else {
            what = tr("Closed: %1").arg(proposalStatusTitle(h.value(QLatin1String("status")).toString()));
            amountText = h.value(QLatin1String("deposit_returned")).toBool() ? tr("deposit returned") : tr("deposit burned");
        }
        setRow(history_, i, {QLocale().toString(qint64(h.value(QLatin1String("height")).toDouble())), what,
                             h.value(QLatin1String("actor")).toString(), amountText});
    }
    const QJsonArray votes = detail_.value(QLatin1String("votes")).toArray();
    votes_->setRowCount(int(votes.size()));
    for (int i = 0; i < votes.size(); ++i) {
        const QJsonObject v = votes[i].toObject();
        setRow(votes_, i, {v.value(QLatin1String("voter")).toString(), choiceTitle(v.value(QLatin1String("choice")).toString()),
                           displayBly(amount(v, "weight")), QLocale().toString(qint64(v.value(QLatin1String("height")).toDouble()))});
    }
    updateVoteControls();
}

void ProposalDetail::updateVoteControls()
{
    if (detail_.isEmpty()) return;
    const ProposalItem p = ProposalItem::fromJson(detail_);
    const WalletInfo &w = governance_->wallet()->info();
    const QString mine = governance_->myChoice(p.id);
    // A vote must be in a block before end_height: the next block is height + 1.
    const bool open = p.voting() && p.blocksLeft > 1;
    QString text;
    if (!w.exists()) text = tr("Create or restore a wallet in the Wallet panel to vote.");
    else if (mine.isEmpty()) text = open ? tr("You have not voted. Your weight is your stake at height %1.").arg(QLocale().toString(p.snapshotHeight))
                                         : tr("You did not vote.");
    else text = tr("You vote %1.").arg(choiceTitle(mine)) + (open ? tr(" You can change it until the end.") : QString());
    myVote_->setText(text);
    for (QPushButton *b : buttons_) {
        const QString c = b->property("choice").toString();
        b->setEnabled(open && w.exists() && !busy_ && c != mine);
        b->setToolTip(c == mine ? tr("Your current vote") : QString());
    }
}

void ProposalDetail::vote(const QString &choice)
{
    const QString id = id_;
    withUnlockedWallet(governance_->wallet(), this, [this, id, choice] {
        busy_ = true;
        updateVoteControls();
        setStatus(voteStatus_, tr("Signing and sending your vote…"), Tone::Muted);
        governance_->wallet()->call(QStringLiteral("voteproposal"), {id, choice}, this, [this, choice](const Expected<QJsonValue> &a) {
            busy_ = false;
            if (!a.ok()) {
                setStatus(voteStatus_, QString::fromStdString(a.error().message), Tone::Error);
                updateVoteControls();
                return;
            }
            const QJsonObject o = a.value().toObject();
            setStatus(voteStatus_, tr("Voted %1 with %2. It counts once the next block takes it.")
                                       .arg(choiceTitle(choice), displayBly(amountUnits(o.value(QLatin1String("weight"))))),
                      Tone::Ok);
            governance_->refresh();
            Q_EMIT voted(choice);
        });
    });
}

}  // namespace blyan::ui
