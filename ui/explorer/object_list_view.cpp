#include "ui/explorer/object_list_view.h"

#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"
#include "ui/format.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace blyan::ui {

ObjectTableModel::ObjectTableModel(ExplorerModel *explorer, QObject *parent)
    : QAbstractTableModel(parent), explorer_(explorer)
{
}

void ObjectTableModel::reload()
{
    beginResetModel();
    rows_ = int(explorer_->objects().size());
    endResetModel();
}

int ObjectTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : rows_; }
int ObjectTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ObjectTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case KindColumn: return tr("Kind");
    case ChainColumn: return tr("Chain");
    case HeightColumn: return tr("Block");
    case SizeColumn: return tr("Size");
    case PayloadColumn: return tr("Payload here");
    case IdColumn: return tr("Object id");
    default: return {};
    }
}

QVariant ObjectTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rows_) return {};
    const ObjectInfo &o = explorer_->objects().at(index.row());
    switch (role) {
    case IdRole: return o.id;
    case ChainRole: return o.chain;
    case KindRole: return o.kind;
    default: break;
    }
    const int col = index.column();
    if (role == SortRole) {
        switch (col) {
        case HeightColumn: return QVariant::fromValue(o.publishedHeight);
        case SizeColumn: return QVariant::fromValue(o.size);
        // layer2.expert10 after layer2.expert9: sort by layer and expert numbers, then name.
        case NameColumn:
            return QStringLiteral("%1.%2.%3").arg(o.layer + 1, 6, 10, QLatin1Char('0')).arg(o.expert + 1, 6, 10, QLatin1Char('0')).arg(o.name);
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole)
        return int((col == HeightColumn || col == SizeColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && col == IdColumn) return o.id;
    if (role != Qt::DisplayRole) return {};
    switch (col) {
    case NameColumn: return o.name;
    case KindColumn: return o.kind;
    case ChainColumn: return chainName(o.chain);
    case HeightColumn: return QLocale().toString(o.publishedHeight);
    case SizeColumn: return formatBytes(o.size);
    case PayloadColumn: return o.payloadAvailable ? tr("yes") : tr("no");
    case IdColumn: return shortHash(o.id);
    default: return {};
    }
}

void ObjectFilter::setFilters(const QString &chain, const QString &kind, const QString &text)
{
    chain_ = chain;
    kind_ = kind;
    text_ = text.trimmed().toLower();
    invalidateFilter();
}

bool ObjectFilter::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    if (!chain_.isEmpty() && i.data(ObjectTableModel::ChainRole).toString() != chain_) return false;
    if (!kind_.isEmpty() && i.data(ObjectTableModel::KindRole).toString() != kind_) return false;
    return text_.isEmpty() || i.data(Qt::DisplayRole).toString().contains(text_) ||
           i.data(ObjectTableModel::IdRole).toString().startsWith(text_);
}

ObjectListView::ObjectListView(ExplorerModel *explorer, QWidget *parent) : QWidget(parent), explorer_(explorer)
{
    model_ = new ObjectTableModel(explorer, this);
    filter_ = new ObjectFilter(this);
    filter_->setSourceModel(model_);
    filter_->setSortRole(ObjectTableModel::SortRole);

    auto *bar = new QHBoxLayout;
    chain_ = new QComboBox;
    chain_->setObjectName(QStringLiteral("ObjectChainFilter"));
    chain_->addItem(tr("All chains"), QString());
    for (const char *c : {"A", "B", "D"}) chain_->addItem(chainName(QLatin1String(c)), QLatin1String(c));
    kind_ = new QComboBox;
    kind_->setObjectName(QStringLiteral("ObjectKindFilter"));
    kind_->addItem(tr("All kinds"), QString());
    for (const char *k : {"genesis_pact", "model_spec", "base", "router", "expert", "dataset"})
        kind_->addItem(QLatin1String(k), QLatin1String(k));
    text_ = new QLineEdit;
    text_->setObjectName(QStringLiteral("ObjectNameFilter"));
    text_->setPlaceholderText(tr("Filter by name or id prefix"));
    text_->setClearButtonEnabled(true);
    count_ = new QLabel;
    count_->setObjectName(QStringLiteral("Muted"));
    bar->addWidget(chain_);
    bar->addWidget(kind_);
    bar->addWidget(text_, 1);
    bar->addWidget(count_);

    table_ = new QTableView;
    table_->setObjectName(QStringLiteral("ObjectList"));
    table_->setModel(filter_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(ObjectTableModel::HeightColumn, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setShowGrid(false);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(28);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->resizeSection(ObjectTableModel::NameColumn, 200);
    table_->setToolTip(tr("Double-click an object to open it"));

    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addLayout(bar);
    col->addWidget(table_, 1);

    connect(chain_, &QComboBox::currentIndexChanged, this, &ObjectListView::applyFilters);
    connect(kind_, &QComboBox::currentIndexChanged, this, &ObjectListView::applyFilters);
    connect(text_, &QLineEdit::textChanged, this, &ObjectListView::applyFilters);
    connect(explorer_, &ExplorerModel::objectsChanged, this, [this] {
        model_->reload();
        updateCount();
    });
    connect(explorer_, &ExplorerModel::tipChanged, this, [this] {
        if (isVisible()) explorer_->loadObjects();
    });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex &i) {
        Q_EMIT linkActivated(QStringLiteral("object:") + i.data(ObjectTableModel::IdRole).toString());
    });
    updateCount();
}

void ObjectListView::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    explorer_->loadObjects();
}

void ObjectListView::applyFilters()
{
    filter_->setFilters(chain_->currentData().toString(), kind_->currentData().toString(), text_->text());
    updateCount();
}

void ObjectListView::updateCount()
{
    const QLocale loc;
    if (!explorer_->objectsError().isEmpty()) {
        count_->setText(explorer_->objectsError());
        return;
    }
    QString text = tr("%1 of %2 objects").arg(loc.toString(filter_->rowCount()), loc.toString(model_->rowCount()));
    if (explorer_->objectsTruncated())
        text += tr(" (the first %1 published; search finds any object by name)").arg(loc.toString(ExplorerModel::kObjectLimit));
    count_->setText(text);
}

}  // namespace blyan::ui
