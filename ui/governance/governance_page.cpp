#include "ui/governance/governance_page.h"

#include "ui/card.h"
#include "ui/client_model.h"
#include "ui/governance/create_proposal_dialog.h"
#include "ui/governance/governance_model.h"
#include "ui/governance/governance_tabs.h"
#include "ui/governance/proposal_detail.h"
#include "ui/governance/proposal_list_model.h"
#include "ui/governance/tally_bar.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/wallet_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace blyan::ui {

GovernancePage::GovernancePage(ClientModel *client, WalletModel *wallet, QWidget *parent)
    : QWidget(parent), client_(client), wallet_(wallet)
{
    setObjectName(QStringLiteral("GovernancePage"));
    governance_ = new GovernanceModel(client, wallet, this);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(32, 28, 32, 20);
    col->setSpacing(10);
    auto *top = new QHBoxLayout;
    top->addWidget(makePageHeader(tr("Governance"), tr("Steer the network with your stake: parameters, datasets, model "
                                                       "upgrades, treasury spends and the genesis pact are decided by "
                                                       "stake-weighted votes, and carried out by the chain itself.")),
                   1);
    create_ = new QPushButton(tr("New proposal…"));
    create_->setObjectName(QStringLiteral("NewProposalButton"));
    top->addWidget(create_, 0, Qt::AlignTop);
    col->addLayout(top);
    summary_ = new QLabel;
    summary_->setObjectName(QStringLiteral("GovernanceSummary"));
    summary_->setProperty("tone", QStringLiteral("muted"));
    summary_->setWordWrap(true);
    col->addWidget(summary_);

    tabs_ = new QTabWidget;
    tabs_->setObjectName(QStringLiteral("GovernanceTabs"));
    tabs_->setDocumentMode(true);

    auto *proposals = new QWidget;
    auto *pcol = new QVBoxLayout(proposals);
    pcol->setContentsMargins(0, 12, 0, 0);
    auto *filters = new QHBoxLayout;
    filter_ = new QComboBox;
    filter_->setObjectName(QStringLiteral("ProposalFilter"));
    filter_->addItem(tr("All proposals"), int(ProposalListModel::Filter::All));
    filter_->addItem(tr("Open for voting"), int(ProposalListModel::Filter::Open));
    filter_->addItem(tr("Closed"), int(ProposalListModel::Filter::Closed));
    filters->addWidget(filter_);
    filters->addStretch(1);
    pcol->addLayout(filters);
    auto *split = split_ = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("ProposalSplitter"));
    split->setChildrenCollapsible(false);
    auto *listBox = new QWidget;
    auto *lcol = new QVBoxLayout(listBox);
    lcol->setContentsMargins(0, 0, 0, 0);
    listModel_ = new ProposalListModel(governance_, this);
    list_ = new QTableView;
    list_->setObjectName(QStringLiteral("ProposalList"));
    list_->setModel(listModel_);
    list_->setItemDelegateForColumn(ProposalListModel::TallyColumn, new TallyDelegate(list_));
    list_->setSelectionBehavior(QAbstractItemView::SelectRows);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list_->setAlternatingRowColors(true);
    list_->setShowGrid(false);
    list_->setWordWrap(false);
    list_->verticalHeader()->hide();
    list_->verticalHeader()->setDefaultSectionSize(32);
    QHeaderView *h = list_->horizontalHeader();
    h->setHighlightSections(false);
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setSectionResizeMode(ProposalListModel::TitleColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(ProposalListModel::TallyColumn, QHeaderView::Fixed);
    h->resizeSection(ProposalListModel::TallyColumn, 220);
    list_->setMinimumHeight(130);
    lcol->addWidget(list_, 1);
    listEmpty_ = new QLabel;
    listEmpty_->setObjectName(QStringLiteral("Muted"));
    listEmpty_->setWordWrap(true);
    lcol->addWidget(listEmpty_);
    split->addWidget(listBox);
    detail_ = new ProposalDetail(governance_);
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("ProposalDetailScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(detail_);
    split->addWidget(scroll);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    connect(split, &QSplitter::splitterMoved, this, [this] { userSized_ = true; });
    pcol->addWidget(split, 1);
    tabs_->addTab(proposals, tr("Proposals"));
    myVotes_ = new MyVotesTab(governance_);
    tabs_->addTab(myVotes_, tr("My votes"));
    rules_ = new RulesTab(governance_);
    tabs_->addTab(rules_, tr("Rules and parameters"));
    col->addWidget(tabs_, 1);

    connect(filter_, &QComboBox::currentIndexChanged, this, [this] {
        const QString keep = detail_->proposalId();
        listModel_->setFilter(ProposalListModel::Filter(filter_->currentData().toInt()));
        if (!keep.isEmpty()) openProposal(keep);
    });
    connect(list_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this, scroll](const QModelIndex &cur) {
        const QString id = listModel_->idAt(cur.row());
        if (id != detail_->proposalId()) scroll->verticalScrollBar()->setValue(0);  // a new proposal starts at its title
        detail_->showProposal(id);
    });
    connect(listModel_, &QAbstractItemModel::modelReset, this, [this] {
        // A reset loses the selection: put it back on the proposal shown (or the one just created).
        const QString id = pendingSelect_.isEmpty() ? detail_->proposalId() : pendingSelect_;
        const int row = listModel_->rowOf(id);
        if (row >= 0) {
            list_->selectionModel()->setCurrentIndex(listModel_->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            if (id == pendingSelect_) pendingSelect_.clear();
        } else if (listModel_->rowCount() > 0 && detail_->proposalId().isEmpty()) {
            list_->selectionModel()->setCurrentIndex(listModel_->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
        updateSummary();
        fitList();
    });
    connect(myVotes_, &MyVotesTab::openProposal, this, &GovernancePage::openProposal);
    connect(create_, &QPushButton::clicked, this, [this] { newProposal(); });
    connect(governance_, &GovernanceModel::infoChanged, this, &GovernancePage::updateSummary);
    connect(governance_, &GovernanceModel::proposalsChanged, this, &GovernancePage::updateSummary);
    connect(wallet_, &WalletModel::infoChanged, this, &GovernancePage::updateSummary);
    updateSummary();
}

void GovernancePage::fitList()
{
    if (userSized_) return;
    const int rows = std::clamp(listModel_->rowCount(), 3, 7);
    const int list = list_->horizontalHeader()->height() + rows * list_->verticalHeader()->defaultSectionSize() + 4 +
                     (listEmpty_->text().isEmpty() ? 0 : listEmpty_->sizeHint().height() + 6);
    const int total = split_->height() > 0 ? split_->height() : 700;
    split_->setSizes({list, std::max(200, total - list)});
}

void GovernancePage::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    fitList();
}

void GovernancePage::openProposal(const QString &id)
{
    tabs_->setCurrentIndex(ProposalsIndex);
    int row = listModel_->rowOf(id);
    if (row < 0 && listModel_->filter() != ProposalListModel::Filter::All) {
        filter_->setCurrentIndex(0);
        row = listModel_->rowOf(id);
    }
    if (row < 0) {
        pendingSelect_ = id;  // not listed yet (just created): selected when the list has it
        return;
    }
    list_->selectionModel()->setCurrentIndex(listModel_->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    list_->scrollTo(listModel_->index(row, 0));
}

CreateProposalDialog *GovernancePage::newProposal()
{
    auto *dlg = new CreateProposalDialog(governance_, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &CreateProposalDialog::created, this, &GovernancePage::openProposal);
    dlg->open();
    return dlg;
}

void GovernancePage::updateSummary()
{
    const GovernanceInfo &info = governance_->info();
    const node::NodeStatus &s = client_->status();
    create_->setEnabled(s.chainAvailable && info.loaded);
    if (!s.chainAvailable) {
        summary_->setText(tr("Governance needs the chain: %1").arg(s.chainStatus.isEmpty() ? tr("the node has no chain yet.") : s.chainStatus));
        listEmpty_->setText(QString());
        listEmpty_->hide();
        return;
    }
    if (!info.loaded) {
        summary_->setText(governance_->error().isEmpty() ? tr("Reading proposals…") : governance_->error());
        return;
    }
    int open = 0;
    for (const auto &p : governance_->proposals()) open += p.voting() ? 1 : 0;
    const WalletInfo &w = wallet_->info();
    summary_->setText(tr("%1 open of %2 proposals · %3 staked in all · your stake %4 · a proposal locks at least %5")
                          .arg(open)
                          .arg(governance_->proposals().size())
                          .arg(displayBly(info.totalStake), w.exists() ? displayBly(w.staked) : tr("(no wallet)"),
                               displayBly(info.deposit)));
    listEmpty_->setText(listModel_->rowCount() ? QString()
                                               : tr("No proposals here yet. Anyone can open one with “New proposal…”; "
                                                    "stakers vote on it until its end height."));
    listEmpty_->setVisible(!listEmpty_->text().isEmpty());
}

}  // namespace blyan::ui
