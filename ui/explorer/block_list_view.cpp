#include "ui/explorer/block_list_view.h"

#include "ui/explorer/block_list_model.h"
#include "ui/explorer/explorer_model.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace blyan::ui {

BlockListView::BlockListView(ExplorerModel *explorer, QWidget *parent) : QWidget(parent)
{
    model_ = new BlockListModel(explorer, this);
    table_ = new QTableView;
    table_->setObjectName(QStringLiteral("BlockList"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setShowGrid(false);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    // Fixed row heights and column widths: with 100,000 rows nothing may be measured per row.
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(28);
    QHeaderView *h = table_->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->setStretchLastSection(true);
    h->resizeSection(BlockListModel::HeightColumn, 90);
    h->resizeSection(BlockListModel::TimeColumn, 170);
    h->resizeSection(BlockListModel::TxColumn, 100);
    h->resizeSection(BlockListModel::HashColumn, 230);
    table_->setToolTip(tr("Double-click a block to open it"));
    error_ = new QLabel;
    error_->setProperty("tone", QStringLiteral("error"));
    error_->setWordWrap(true);
    error_->hide();
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addWidget(error_);
    col->addWidget(table_, 1);

    connect(explorer, &ExplorerModel::tipChanged, model_, &BlockListModel::setTip);
    if (explorer->summary().loaded && explorer->summary().error.isEmpty()) model_->setTip(explorer->height());
    connect(explorer, &ExplorerModel::summaryChanged, this, [this, explorer] {
        const QString e = explorer->summary().error;
        error_->setText(e);
        error_->setVisible(!e.isEmpty());
        if (e.isEmpty() && !model_->hasTip()) model_->setTip(explorer->height());
    });
    connect(model_, &BlockListModel::pageError, this, [this](const QString &m) {
        error_->setText(tr("Could not read blocks: %1").arg(m));
        error_->show();
    });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex &i) {
        Q_EMIT linkActivated(QStringLiteral("block:%1").arg(model_->heightForRow(i.row())));
    });
}

}  // namespace blyan::ui
