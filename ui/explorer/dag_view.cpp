#include "ui/explorer/dag_view.h"

#include "ui/explorer/explorer_model.h"

#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QSet>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

namespace blyan::ui {

namespace {
constexpr qreal kNodeW = 140, kNodeH = 30, kGapX = 10, kGapY = 10;
constexpr int kPerRow = 16;
constexpr qreal kLabelW = 150, kGroupGap = 22, kLevelGap = 70;
constexpr int kBatch = 400;  // items created per event-loop turn

struct Palette {
    QColor fill, border;
};

Palette kindColours(const QString &kind, const QString &chain, bool dark)
{
    if (chain == QLatin1String("A")) return dark ? Palette{QColor(0x31, 0x2E, 0x81), QColor(0x81, 0x8C, 0xF8)}
                                                 : Palette{QColor(0xE0, 0xE7, 0xFF), QColor(0x63, 0x66, 0xF1)};
    if (chain == QLatin1String("D")) return dark ? Palette{QColor(0x14, 0x53, 0x2D), QColor(0x4A, 0xDE, 0x80)}
                                                 : Palette{QColor(0xDC, 0xFC, 0xE7), QColor(0x16, 0xA3, 0x4A)};
    if (kind == QLatin1String("router")) return dark ? Palette{QColor(0x78, 0x35, 0x0F), QColor(0xFB, 0xBF, 0x24)}
                                                     : Palette{QColor(0xFE, 0xF3, 0xC7), QColor(0xD9, 0x77, 0x06)};
    if (kind == QLatin1String("expert")) return dark ? Palette{QColor(0x13, 0x4E, 0x4A), QColor(0x2D, 0xD4, 0xBF)}
                                                     : Palette{QColor(0xCC, 0xFB, 0xF1), QColor(0x0D, 0x94, 0x88)};
    return dark ? Palette{QColor(0x33, 0x41, 0x55), QColor(0x94, 0xA3, 0xB8)}
                : Palette{QColor(0xE2, 0xE8, 0xF0), QColor(0x64, 0x74, 0x8B)};
}

QColor accent(bool dark) { return dark ? QColor(0xA5, 0xB4, 0xFC) : QColor(0x43, 0x38, 0xCA); }
}  // namespace

class DagNodeItem : public QGraphicsItem {
public:
    DagNodeItem(QString id, QString name, QString kind, QString chain)
        : id_(std::move(id)), name_(std::move(name)), kind_(std::move(kind)), chain_(std::move(chain))
    {
        setToolTip(QStringLiteral("%1\n%2 · chain %3\n%4").arg(name_, kind_, chain_, id_));
        setAcceptHoverEvents(false);
    }
    const QString &id() const { return id_; }
    void setState(bool selected, bool dark)
    {
        selected_ = selected;
        dark_ = dark;
        setZValue(selected ? 3 : 2);
        update();
    }
    QRectF boundingRect() const override { return QRectF(-2, -2, kNodeW + 4, kNodeH + 4); }
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *) override
    {
        const Palette c = kindColours(kind_, chain_, dark_);
        p->setRenderHint(QPainter::Antialiasing);
        p->setPen(QPen(selected_ ? accent(dark_) : c.border, selected_ ? 3 : 1));
        p->setBrush(c.fill);
        p->drawRoundedRect(QRectF(0, 0, kNodeW, kNodeH), 6, 6);
        // Below a readable size the text is noise: the colours carry the kinds.
        if (option->levelOfDetailFromTransform(p->worldTransform()) < 0.35) return;
        p->setPen(dark_ ? QColor(0xE5, 0xE7, 0xEB) : QColor(0x1F, 0x29, 0x37));
        const QRectF text(8, 0, kNodeW - 16, kNodeH);
        p->drawText(text, Qt::AlignVCenter | Qt::AlignLeft, p->fontMetrics().elidedText(name_, Qt::ElideMiddle, int(text.width())));
    }

private:
    QString id_, name_, kind_, chain_;
    bool selected_ = false, dark_ = false;
};

void DagGraphicsView::zoomBy(double factor)
{
    const double z = std::clamp(zoom() * factor, 0.05, 4.0);
    setTransform(QTransform::fromScale(z, z));
}

void DagGraphicsView::wheelEvent(QWheelEvent *e)
{
    if (e->modifiers() & Qt::ControlModifier) {
        setTransformationAnchor(AnchorUnderMouse);
        zoomBy(e->angleDelta().y() > 0 ? 1.15 : 1 / 1.15);
        setTransformationAnchor(AnchorViewCenter);
        e->accept();
        return;
    }
    QGraphicsView::wheelEvent(e);
}

void DagGraphicsView::mousePressEvent(QMouseEvent *e)
{
    for (QGraphicsItem *i : items(e->pos()))
        if (auto *n = dynamic_cast<DagNodeItem *>(i)) {
            Q_EMIT nodeClicked(n->id());
            break;
        }
    QGraphicsView::mousePressEvent(e);
}

void DagGraphicsView::mouseDoubleClickEvent(QMouseEvent *e)
{
    for (QGraphicsItem *i : items(e->pos()))
        if (auto *n = dynamic_cast<DagNodeItem *>(i)) {
            Q_EMIT nodeDoubleClicked(n->id());
            return;
        }
    QGraphicsView::mouseDoubleClickEvent(e);
}

DagView::DagView(ExplorerModel *explorer, QWidget *parent) : QWidget(parent), explorer_(explorer)
{
    scene_ = new QGraphicsScene(this);
    view_ = new DagGraphicsView(scene_);
    view_->setObjectName(QStringLiteral("DagGraphics"));
    view_->setDragMode(QGraphicsView::ScrollHandDrag);
    view_->setRenderHint(QPainter::Antialiasing);
    view_->setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    view_->setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    view_->setAlignment(Qt::AlignHCenter | Qt::AlignTop);  // a graph smaller than the view starts at the top
    info_ = new QLabel;
    info_->setObjectName(QStringLiteral("Muted"));
    info_->setWordWrap(true);
    auto *bar = new QHBoxLayout;
    bar->addWidget(info_, 1);
    const auto button = [bar](const QString &text, const QString &tip, const char *name) {
        auto *b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        b->setObjectName(QLatin1String(name));
        bar->addWidget(b);
        return b;
    };
    connect(button(QStringLiteral("−"), tr("Zoom out (Ctrl + wheel)"), "DagZoomOut"), &QToolButton::clicked, this,
            [this] { view_->zoomBy(1 / 1.25); });
    connect(button(QStringLiteral("+"), tr("Zoom in (Ctrl + wheel)"), "DagZoomIn"), &QToolButton::clicked, this,
            [this] { view_->zoomBy(1.25); });
    connect(button(tr("Fit"), tr("Show the whole graph"), "DagFit"), &QToolButton::clicked, this, [this] {
        view_->fitInView(scene_->itemsBoundingRect(), Qt::KeepAspectRatio);
    });
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addLayout(bar);
    col->addWidget(view_, 1);

    batch_ = new QTimer(this);
    batch_->setInterval(0);
    connect(batch_, &QTimer::timeout, this, &DagView::buildBatch);
    connect(view_, &DagGraphicsView::nodeClicked, this, [this](const QString &id) { select(id, false); });
    connect(view_, &DagGraphicsView::nodeDoubleClicked, this,
            [this](const QString &id) { Q_EMIT linkActivated(QStringLiteral("object:") + id); });
    connect(explorer_, &ExplorerModel::objectsChanged, this, [this] {
        dirty_ = true;
        if (isVisible()) rebuild();
    });
    connect(explorer_, &ExplorerModel::tipChanged, this, [this] {
        if (isVisible()) explorer_->loadObjects();
    });
    info_->setText(tr("Reading the objects…"));
}

void DagView::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    explorer_->loadObjects();
    if (dirty_ && explorer_->objectsLoaded()) rebuild();
}

void DagView::focusObject(const QString &id)
{
    pendingFocus_ = id;
    if (built_ && !dirty_) {
        select(id, true);
        pendingFocus_.clear();
    }
}

void DagView::centreOn(const QString &id)
{
    if (DagNodeItem *n = nodes_.value(id)) view_->centerOn(n);
}

bool DagView::hasEdge(const QString &from, const QString &to) const
{
    for (int i : edgesOf_.value(from))
        if (edges_[i].from == from && edges_[i].to == to && edges_[i].item) return true;
    return false;
}

QStringList DagView::highlightedEdges() const
{
    QStringList out;
    for (int i : edgesOf_.value(selected_)) out.append(edges_[i].from + QLatin1Char('>') + edges_[i].to);
    return out;
}

QPoint DagView::nodeViewportPos(const QString &id) const
{
    const DagNodeItem *n = nodes_.value(id);
    return n ? view_->mapFromScene(n->sceneBoundingRect().center()) : QPoint();
}

void DagView::setDarkTheme(bool dark)
{
    dark_ = dark;
    restyle();
}

void DagView::rebuild()
{
    dirty_ = false;
    built_ = false;
    batch_->stop();
    if (pendingFocus_.isEmpty()) pendingFocus_ = selected_;
    scene_->clear();
    nodes_.clear();
    edges_.clear();
    edgesOf_.clear();
    edgeCount_ = 0;
    if (!explorer_->objectsError().isEmpty()) {
        info_->setText(explorer_->objectsError());
        return;
    }
    layout(explorer_->objects());
    nextNode_ = nextEdge_ = 0;
    info_->setText(tr("Drawing %1 objects…").arg(QLocale().toString(plan_.size())));
    batch_->start();
}

void DagView::layout(const QList<ObjectInfo> &objects)
{
    plan_.clear();
    planEdges_.clear();
    labels_.clear();
    QHash<QString, int> index;
    for (int i = 0; i < objects.size(); ++i) index.insert(objects[i].id, i);
    // Level = longest dependency path. Ids hash their dependencies, so there is no cycle; the guard
    // keeps a damaged answer from recursing forever anyway.
    QVector<int> level(objects.size(), -1);
    std::function<int(int, int)> depth = [&](int i, int guard) -> int {
        if (level[i] >= 0) return level[i];
        int l = 0;
        if (guard < 64)
            for (const QString &d : objects[i].dependsOn)
                if (const auto it = index.constFind(d); it != index.constEnd()) l = std::max(l, depth(*it, guard + 1) + 1);
        return level[i] = l;
    };
    // (level, chain, layer) -> members; members sorted by kind order, expert, name.
    using Key = std::tuple<int, QString, int>;
    std::map<Key, QList<int>> groups;
    for (int i = 0; i < objects.size(); ++i) groups[{depth(i, 0), objects[i].chain, objects[i].layer}].append(i);
    const auto kindOrder = [](const QString &k) {
        return k == QLatin1String("model_spec") ? 0 : k == QLatin1String("router") ? 2 : k == QLatin1String("expert") ? 3 : 1;
    };
    qreal y = 0;
    int lastLevel = 0;
    // As wide as the largest group (up to kPerRow): a small model must not float in an empty band.
    int columns = 1;
    for (const auto &[key, members] : groups) columns = std::max(columns, std::min<int>(kPerRow, int(members.size())));
    const qreal rowWidth = columns * (kNodeW + kGapX) - kGapX;
    for (auto &[key, members] : groups) {
        const auto &[lvl, chain, layer] = key;
        if (lvl != lastLevel) y += kLevelGap - kGroupGap;
        lastLevel = lvl;
        std::sort(members.begin(), members.end(), [&](int a, int b) {
            const ObjectInfo &x = objects[a], &z = objects[b];
            return std::make_tuple(kindOrder(x.kind), x.expert, x.name) < std::make_tuple(kindOrder(z.kind), z.expert, z.name);
        });
        QString label = layer >= 0 ? tr("layer %1").arg(layer)
                        : chain == QLatin1String("A") ? tr("chain A · meta")
                        : chain == QLatin1String("D") ? tr("chain D · datasets")
                                                      : tr("base weights");
        labels_.append({QPointF(0, y + kNodeH / 2 - 8), label});
        const int n = int(members.size());
        // A single short row is centred under the roots; longer groups fill rows left to right.
        const qreal x0 = kLabelW + (n < columns ? (rowWidth - (n * (kNodeW + kGapX) - kGapX)) / 2 : 0);
        for (int k = 0; k < n; ++k) {
            const ObjectInfo &o = objects[members[k]];
            plan_.append({o.id, o.name, o.kind, o.chain,
                          QPointF(x0 + (k % columns) * (kNodeW + kGapX), y + (k / columns) * (kNodeH + kGapY))});
        }
        y += ((n + columns - 1) / columns) * (kNodeH + kGapY) + kGroupGap;
    }
    for (const ObjectInfo &o : objects)
        for (const QString &d : o.dependsOn)
            if (index.contains(d)) planEdges_.append({o.id, d});
}

void DagView::buildBatch()
{
    int budget = kBatch;
    if (nextNode_ == 0 && nextEdge_ == 0) {
        for (const auto &[pos, text] : std::as_const(labels_)) {
            auto *t = scene_->addSimpleText(text);
            t->setPos(pos);
            t->setBrush(dark_ ? QColor(0x8F, 0x97, 0xA5) : QColor(0x68, 0x70, 0x80));
            t->setData(0, QStringLiteral("label"));
        }
    }
    while (budget > 0 && nextNode_ < plan_.size()) {
        const Planned &p = plan_[nextNode_++];
        auto *n = new DagNodeItem(p.id, p.name, p.kind, p.chain);
        n->setPos(p.pos);
        n->setState(false, dark_);
        scene_->addItem(n);
        nodes_.insert(p.id, n);
        --budget;
    }
    while (budget > 0 && nextNode_ >= plan_.size() && nextEdge_ < planEdges_.size()) {
        const auto &[from, to] = planEdges_[nextEdge_++];
        const DagNodeItem *a = nodes_.value(from), *b = nodes_.value(to);
        if (!a || !b) continue;
        // From the dependant's top edge up to the dependency's bottom edge.
        const QPointF p1 = a->pos() + QPointF(kNodeW / 2, 0), p2 = b->pos() + QPointF(kNodeW / 2, kNodeH);
        const qreal dy = std::max<qreal>(40, (p1.y() - p2.y()) / 2);
        QPainterPath path(p1);
        path.cubicTo(p1 - QPointF(0, dy), p2 + QPointF(0, dy), p2);
        auto *item = scene_->addPath(path);
        edges_.append({from, to, item});
        edgesOf_[from].append(int(edges_.size() - 1));
        edgesOf_[to].append(int(edges_.size() - 1));
        ++edgeCount_;
        --budget;
    }
    if (nextNode_ < plan_.size() || nextEdge_ < planEdges_.size()) return;  // more next turn
    batch_->stop();
    built_ = true;
    plan_.clear();
    planEdges_.clear();
    scene_->setSceneRect(scene_->itemsBoundingRect().adjusted(-20, -20, 20, 20));
    restyle();
    info_->setText(tr("%1 objects, %2 dependency edges. Roots on top; Ctrl + wheel zooms, drag pans, double-click "
                      "opens an object.")
                       .arg(QLocale().toString(nodeCount()), QLocale().toString(edgeCount_)));
    if (!fitted_) {
        // Fit, but neither blow a small graph up nor shrink a big one past legibility.
        fitted_ = true;
        const QRectF r = scene_->sceneRect();
        const double s = std::clamp(std::min(view_->viewport()->width() / r.width(), view_->viewport()->height() / r.height()),
                                    0.3, 1.0);
        view_->setTransform(QTransform::fromScale(s, s));
        view_->centerOn(r.center().x(), r.top() + view_->viewport()->height() / (2 * s));
    }
    if (!pendingFocus_.isEmpty()) {
        select(pendingFocus_, true);
        pendingFocus_.clear();
    }
}

void DagView::select(const QString &id, bool centre)
{
    if (!nodes_.contains(id)) return;
    // Only the edges and nodes that change are touched: a spec can have thousands of edges.
    const QString old = selected_;
    selected_ = id;
    if (DagNodeItem *n = nodes_.value(old)) n->setState(false, dark_);
    nodes_.value(id)->setState(true, dark_);
    for (int i : edgesOf_.value(old)) styleEdge(i, false);
    for (int i : edgesOf_.value(id)) styleEdge(i, true);
    if (centre) view_->centerOn(nodes_.value(id));
}

void DagView::styleEdge(int i, bool strong)
{
    QGraphicsPathItem *e = edges_[i].item;
    if (!e) return;
    QPen pen(strong ? accent(dark_) : (dark_ ? QColor(148, 163, 184, 60) : QColor(100, 116, 139, 70)), strong ? 2.2 : 1);
    pen.setCosmetic(true);
    e->setPen(pen);
    e->setZValue(strong ? 1 : 0);
}

void DagView::restyle()
{
    QSet<int> mine;
    for (int i : edgesOf_.value(selected_)) mine.insert(i);
    for (int i = 0; i < edges_.size(); ++i) styleEdge(i, mine.contains(i));
    for (auto it = nodes_.cbegin(); it != nodes_.cend(); ++it) it.value()->setState(it.key() == selected_, dark_);
    for (QGraphicsItem *i : scene_->items())
        if (auto *t = dynamic_cast<QGraphicsSimpleTextItem *>(i))
            t->setBrush(dark_ ? QColor(0x8F, 0x97, 0xA5) : QColor(0x68, 0x70, 0x80));
    view_->setBackgroundBrush(dark_ ? QColor(0x1B, 0x1D, 0x22) : QColor(0xFA, 0xFB, 0xFC));
}

}  // namespace blyan::ui
