#include "ui/governance/governance_tabs.h"

#include "ui/card.h"
#include "ui/format.h"
#include "ui/governance/governance_model.h"
#include "ui/wallet/amount.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {

QTableWidget *makeTable(const QString &name, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()));
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setShowGrid(false);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(30);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->horizontalHeader()->setStretchLastSection(true);
    t->horizontalHeader()->setHighlightSections(false);
    return t;
}

void setRow(QTableWidget *t, int row, const QStringList &cells, const QVariant &data = {})
{
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells[c]);
        if (c == 0 && data.isValid()) item->setData(Qt::UserRole, data);
        t->setItem(row, c, item);
    }
}

QString choiceTitle(const QString &c) { return c.isEmpty() ? c : c.left(1).toUpper() + c.mid(1); }

}  // namespace

MyVotesTab::MyVotesTab(GovernanceModel *governance, QWidget *parent) : QWidget(parent), governance_(governance)
{
    setObjectName(QStringLiteral("MyVotesTab"));
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 12, 0, 0);
    table_ = makeTable(QStringLiteral("MyVotesTable"), {tr("Proposal"), tr("Title"), tr("Your vote"), tr("Stake"),
                                                    tr("Recorded"), tr("Proposal status"), tr("Address")});
    col->addWidget(table_, 1);
    empty_ = new QLabel;
    empty_->setObjectName(QStringLiteral("Muted"));
    empty_->setWordWrap(true);
    col->addWidget(empty_);
    connect(governance_, &GovernanceModel::myVotesChanged, this, &MyVotesTab::reload);
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (auto *item = table_->item(row, 0)) Q_EMIT openProposal(item->data(Qt::UserRole).toString());
    });
    reload();
}

void MyVotesTab::reload()
{
    const QJsonArray votes = governance_->myVotes();
    table_->setRowCount(int(votes.size()));
    for (int i = 0; i < votes.size(); ++i) {
        const QJsonObject v = votes[i].toObject();
        const ProposalItem p = ProposalItem::fromJson(v.value(QLatin1String("proposal")).toObject());
        const bool pending = v.value(QLatin1String("status")).toString() == QLatin1String("pending");
        const QString status = p.voting() ? tr("Voting · %1").arg(countdownText(p)) : proposalStatusTitle(p.status);
        setRow(table_, i,
               {QStringLiteral("#%1").arg(p.number), p.title, choiceTitle(v.value(QLatin1String("choice")).toString()),
                pending ? tr("—") : displayBly(amountUnits(v.value(QLatin1String("weight")))),
                pending ? tr("pending") : tr("height %1").arg(QLocale().toString(qint64(v.value(QLatin1String("height")).toDouble()))),
                status, v.value(QLatin1String("address")).toString()},
               p.id);
    }
    empty_->setText(votes.isEmpty() ? tr("Your wallet has not voted yet. Select a proposal and vote with your stake.")
                                    : tr("Double-click a vote to open its proposal."));
}

RulesTab::RulesTab(GovernanceModel *governance, QWidget *parent) : QWidget(parent), governance_(governance)
{
    setObjectName(QStringLiteral("RulesTab"));
    auto *content = new QWidget;
    auto *col = new QVBoxLayout(content);
    col->setContentsMargins(0, 12, 0, 0);
    col->setSpacing(14);
    summary_ = new QLabel;
    summary_->setObjectName(QStringLiteral("RulesSummary"));
    summary_->setWordWrap(true);
    col->addWidget(summary_);
    auto *paramsCard = new Card(tr("Parameters governance can change"));
    paramsCard->addNote(tr("Only parameters the ledger reads today are listed; a change takes effect in the block that "
                           "closes the proposal."));
    params_ = makeTable(QStringLiteral("GovParamsTable"), {tr("Parameter"), tr("Now"), tr("Default"), tr("Hard bounds"), tr("What it does")});
    params_->setMinimumHeight(170);
    paramsCard->body()->addWidget(params_);
    col->addWidget(paramsCard);
    auto *kindsCard = new Card(tr("Proposal kinds"));
    kinds_ = makeTable(QStringLiteral("GovKindsTable"), {tr("Kind"), tr("Quorum"), tr("Threshold"), tr("Voting period")});
    kinds_->setMinimumHeight(230);
    kindsCard->body()->addWidget(kinds_);
    col->addWidget(kindsCard);
    auto *tiersCard = new Card(tr("Dataset tiers (chain D)"));
    tiers_ = makeTable(QStringLiteral("GovTiersTable"), {tr("Tier"), tr("Name"), tr("Quality"), tr("Meaning")});
    tiers_->setMinimumHeight(140);
    tiersCard->body()->addWidget(tiers_);
    col->addWidget(tiersCard);
    col->addStretch(1);
    auto *scroll = new QScrollArea;
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    connect(governance_, &GovernanceModel::infoChanged, this, &RulesTab::reload);
    reload();
}

void RulesTab::reload()
{
    const GovernanceInfo &info = governance_->info();
    if (!info.loaded) {
        summary_->setText(governance_->error().isEmpty() ? tr("Reading the rules…") : governance_->error());
        return;
    }
    summary_->setText(tr("At height %1, %2 is staked. A proposal locks at least %3; a veto above %4 % of the votes cast burns it.")
                          .arg(QLocale().toString(info.height), displayBly(info.totalStake), displayBly(info.deposit))
                          .arg(info.vetoPercent));
    params_->setRowCount(int(info.params.size()));
    for (int i = 0; i < info.params.size(); ++i) {
        const GovParamItem &p = info.params[i];
        const QString unit = p.unit == QLatin1String("percent") ? QStringLiteral(" %") : QStringLiteral(" BLY");
        setRow(params_, i, {p.name, QLocale().toString(p.value) + unit + (p.changed ? tr(" (voted)") : QString()),
                            QLocale().toString(p.defaultValue) + unit,
                            QLocale().toString(p.min) + QStringLiteral(" – ") + QLocale().toString(p.max) + unit,
                            p.description.left(1).toUpper() + p.description.mid(1)});
    }
    kinds_->setRowCount(int(info.kinds.size()));
    for (int i = 0; i < info.kinds.size(); ++i) {
        const QJsonObject k = info.kinds[i].toObject();
        setRow(kinds_, i, {proposalKindTitle(k.value(QLatin1String("kind")).toString()),
                           QStringLiteral("%1 %").arg(k.value(QLatin1String("quorum_percent")).toInt()),
                           QStringLiteral("%1 %").arg(k.value(QLatin1String("threshold_percent")).toInt()),
                           tr("%1 blocks (at least %2)")
                               .arg(QLocale().toString(qint64(k.value(QLatin1String("voting_blocks")).toDouble())),
                                    formatDuration(qint64(k.value(QLatin1String("voting_seconds")).toDouble())))});
    }
    tiers_->setRowCount(int(info.tiers.size()));
    for (int i = 0; i < info.tiers.size(); ++i) {
        const QJsonObject t = info.tiers[i].toObject();
        setRow(tiers_, i, {QString::number(t.value(QLatin1String("tier")).toInt()), t.value(QLatin1String("name")).toString(),
                           QStringLiteral("%1 ‰").arg(t.value(QLatin1String("quality_permille")).toInt()),
                           t.value(QLatin1String("description")).toString()});
    }
}

}  // namespace blyan::ui
