#include "ui/explorer/expert_grid.h"

#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace blyan::ui {

namespace {
// Usage spans orders of magnitude (a popular expert runs thousands of times more than a rare one):
// shade on a log scale so both ends stay readable.
double shadeOf(quint64 v, quint64 max)
{
    if (!v || !max) return 0;
    return std::log1p(double(v)) / std::log1p(double(max));
}

QString compact(quint64 v)
{
    if (v < 10'000) return QLocale().toString(v);
    if (v < 10'000'000) return QStringLiteral("%1k").arg(v / 1000);
    return QStringLiteral("%1M").arg(v / 1'000'000);
}
}  // namespace

ExpertGridModel::ExpertGridModel(QObject *parent) : QAbstractTableModel(parent) {}

void ExpertGridModel::setGrid(const QJsonObject &g)
{
    const int layers = g.value(QLatin1String("layers")).toInt();
    const int experts = g.value(QLatin1String("experts")).toInt();
    QVector<ExpertCell> cells(layers * experts);
    quint64 maxUsage = 0, maxVersions = 0;
    for (const QJsonValue &v : g.value(QLatin1String("cells")).toArray()) {
        const QJsonObject o = v.toObject();
        const int l = o.value(QLatin1String("layer")).toInt(), e = o.value(QLatin1String("expert")).toInt();
        if (l < 0 || e < 0 || l >= layers || e >= experts) continue;
        ExpertCell &c = cells[l * experts + e];
        c.present = true;
        c.name = o.value(QLatin1String("name")).toString();
        c.id = o.value(QLatin1String("id")).toString();
        c.versions = quint64(o.value(QLatin1String("versions")).toDouble());
        c.headHeight = quint64(o.value(QLatin1String("head_height")).toDouble());
        c.usage = quint64(o.value(QLatin1String("usage")).toDouble());
        maxUsage = std::max(maxUsage, c.usage);
        maxVersions = std::max(maxVersions, c.versions);
    }
    const bool reshaped = layers != layers_ || experts != experts_;
    if (reshaped) beginResetModel();
    layers_ = layers;
    experts_ = experts;
    cells_ = std::move(cells);
    maxUsage_ = maxUsage;
    maxVersions_ = maxVersions;
    usageTotal_ = quint64(g.value(QLatin1String("usage_total")).toDouble());
    usageSince_ = qint64(g.value(QLatin1String("usage_since")).toDouble());
    if (reshaped) endResetModel();
    else if (layers_ && experts_) Q_EMIT dataChanged(index(0, 0), index(layers_ - 1, experts_ - 1));
}

void ExpertGridModel::setShade(Shade s)
{
    shade_ = s;
    if (layers_ && experts_) Q_EMIT dataChanged(index(0, 0), index(layers_ - 1, experts_ - 1));
}

int ExpertGridModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : layers_; }
int ExpertGridModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : experts_; }

QVariant ExpertGridModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (role == Qt::DisplayRole) return o == Qt::Horizontal ? tr("E%1").arg(section) : tr("Layer %1").arg(section);
    if (role == Qt::ToolTipRole) return o == Qt::Horizontal ? tr("Expert %1").arg(section) : tr("Layer %1").arg(section);
    return {};
}

QVariant ExpertGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= layers_ || index.column() >= experts_) return {};
    const ExpertCell &c = cells_[index.row() * experts_ + index.column()];
    switch (role) {
    case IdRole: return c.id;
    case UsageRole: return QVariant::fromValue(c.usage);
    case VersionsRole: return QVariant::fromValue(c.versions);
    case ShadeRole:
        if (!c.present) return -1.0;
        return shade_ == Shade::Usage ? shadeOf(c.usage, maxUsage_)
                                      : (maxVersions_ > 1 ? double(c.versions - 1) / double(maxVersions_ - 1) : 0.0);
    case Qt::DisplayRole:
        if (!c.present) return QStringLiteral("–");
        return shade_ == Shade::Usage ? compact(c.usage) : QStringLiteral("v%1").arg(c.versions);
    case Qt::ToolTipRole:
        if (!c.present)
            return tr("Layer %1, expert %2: no object on the chain (the import did not finish)").arg(index.row()).arg(index.column());
        return tr("%1\nran in %2 forward steps here since the node started\n%3 version(s); the head was published at "
                  "height %4\n%5\nDouble-click to open it")
            .arg(c.name, QLocale().toString(c.usage))
            .arg(c.versions)
            .arg(QLocale().toString(c.headHeight), c.id);
    default: return {};
    }
}

void ExpertCellDelegate::paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const double s = index.data(ExpertGridModel::ShadeRole).toDouble();
    const QRectF r = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QColor low = dark_ ? QColor(0x26, 0x2A, 0x33) : QColor(0xEE, 0xF1, 0xF6);
    const QColor high = dark_ ? QColor(0x81, 0x8C, 0xF8) : QColor(0x43, 0x38, 0xCA);
    QColor fill = low;
    if (s > 0) {
        const double t = 0.15 + 0.85 * s;
        fill = QColor::fromRgbF(low.redF() + (high.redF() - low.redF()) * t, low.greenF() + (high.greenF() - low.greenF()) * t,
                                low.blueF() + (high.blueF() - low.blueF()) * t);
    }
    p->setPen(option.state & QStyle::State_Selected ? QPen(high, 2) : Qt::NoPen);
    p->setBrush(s < 0 ? Qt::transparent : fill);
    p->drawRoundedRect(r, 4, 4);
    // White on the strong shades, the muted text colour on the pale ones.
    p->setPen(s > 0.45 ? QColor(Qt::white) : (dark_ ? QColor(0xC9, 0xCE, 0xD6) : QColor(0x4B, 0x52, 0x60)));
    QFont f = option.font;
    f.setPointSizeF(f.pointSizeF() * 0.85);
    p->setFont(f);
    p->drawText(r, Qt::AlignCenter, index.data(Qt::DisplayRole).toString());
    p->restore();
}

ExpertGridView::ExpertGridView(ExplorerModel *explorer, QWidget *parent) : QWidget(parent), explorer_(explorer)
{
    model_ = new ExpertGridModel(this);
    delegate_ = new ExpertCellDelegate(this);
    table_ = new QTableView;
    table_->setObjectName(QStringLiteral("ExpertGrid"));
    table_->setModel(model_);
    table_->setItemDelegate(delegate_);
    table_->setShowGrid(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->horizontalHeader()->setDefaultSectionSize(52);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(30);
    shade_ = new QComboBox;
    shade_->setObjectName(QStringLiteral("ExpertShade"));
    shade_->addItem(tr("Shade by usage"));
    shade_->addItem(tr("Shade by versions"));
    info_ = new QLabel;
    info_->setObjectName(QStringLiteral("Muted"));
    info_->setWordWrap(true);
    auto *bar = new QHBoxLayout;
    bar->addWidget(info_, 1);
    bar->addWidget(shade_);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addLayout(bar);
    col->addWidget(table_, 1);
    info_->setText(tr("Reading the model's experts…"));

    connect(shade_, &QComboBox::currentIndexChanged, this, [this](int i) {
        model_->setShade(i == 0 ? ExpertGridModel::Shade::Usage : ExpertGridModel::Shade::Versions);
    });
    connect(table_, &QTableView::activated, this, [this](const QModelIndex &i) {
        const QString id = i.data(ExpertGridModel::IdRole).toString();
        if (!id.isEmpty()) Q_EMIT linkActivated(QStringLiteral("object:") + id);
    });
    connect(explorer_, &ExplorerModel::tipChanged, this, [this] {
        if (isVisible()) refresh();
    });
    // Usage grows with every chat, which makes no block: look again now and then while shown.
    auto *poll = new QTimer(this);
    poll->setInterval(5000);
    connect(poll, &QTimer::timeout, this, [this] {
        if (isVisible()) refresh();
    });
    poll->start();
}

void ExpertGridView::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    refresh();
}

void ExpertGridView::setDarkTheme(bool dark)
{
    delegate_->setDark(dark);
    table_->viewport()->update();
}

void ExpertGridView::refresh()
{
    if (inFlight_) {
        again_ = true;
        return;
    }
    inFlight_ = true;
    explorer_->call(QStringLiteral("getexpertgrid"), {}, this, [this](const Expected<QJsonValue> &a) {
        inFlight_ = false;
        if (!a.ok()) {
            info_->setText(QString::fromStdString(a.error().message));
        } else {
            const QJsonObject g = a.value().toObject();
            model_->setGrid(g);
            loaded_ = true;
            const QLocale loc;
            if (model_->layers() == 0)
                info_->setText(tr("There is no model on this chain yet: import one with File > Import model."));
            else
                info_->setText(tr("%1 layers × %2 experts. Usage: %3 expert forward steps in this node's chats since %4. "
                                  "Versions: objects published under the name (v1 = never upgraded).")
                                   .arg(model_->layers())
                                   .arg(model_->experts())
                                   .arg(loc.toString(model_->usageTotal()), formatTime(model_->usageSinceMs())));
        }
        if (again_) {
            again_ = false;
            refresh();
        }
    });
}

}  // namespace blyan::ui
