#pragma once
// DagView: the chain's objects and their real depends_on edges, drawn with QGraphicsView. A model puts
// hundreds or thousands of components under one spec, so the layout groups instead of sprawling: each
// object's level is its longest dependency path (roots on top), and within a level objects are grouped
// by chain and layer (base weights, then layer 0: attention, router, experts...), wrapped into rows.
// Every edge is drawn faintly; the selected object's edges, up and down, are drawn strong. Zoom with
// Ctrl + wheel, the buttons, or Fit. Items are created a batch per event-loop turn, so a large model
// never freezes the window. Double click opens the object.

#include <QGraphicsView>
#include <QHash>
#include <QWidget>

class QGraphicsPathItem;
class QGraphicsScene;
class QLabel;
class QTimer;

namespace blyan::ui {

class DagNodeItem;
class ExplorerModel;
struct ObjectInfo;

class DagGraphicsView : public QGraphicsView {
    Q_OBJECT
public:
    using QGraphicsView::QGraphicsView;
    void zoomBy(double factor);
    double zoom() const { return transform().m11(); }

Q_SIGNALS:
    void nodeClicked(const QString &id);
    void nodeDoubleClicked(const QString &id);

protected:
    void wheelEvent(QWheelEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseDoubleClickEvent(QMouseEvent *e) override;
};

class DagView : public QWidget {
    Q_OBJECT
public:
    explicit DagView(ExplorerModel *explorer, QWidget *parent = nullptr);

    // Selects `id` and centres it (once the graph is built, if it is still being built).
    void focusObject(const QString &id);
    QString selectedId() const { return selected_; }
    // Scrolls `id` into the middle of the view without selecting it.
    void centreOn(const QString &id);
    bool isBuilt() const { return built_; }
    int nodeCount() const { return int(nodes_.size()); }
    int edgeCount() const { return edgeCount_; }
    // `from` depends on `to`, and the edge is drawn.
    bool hasEdge(const QString &from, const QString &to) const;
    // Edges drawn strong now (those of the selected object), as "from>to".
    QStringList highlightedEdges() const;
    // Where a node is in the view's viewport (for clicks in tests); null point when not drawn.
    QPoint nodeViewportPos(const QString &id) const;
    DagGraphicsView *view() const { return view_; }
    void setDarkTheme(bool dark);

Q_SIGNALS:
    void linkActivated(const QString &href);

protected:
    void showEvent(QShowEvent *e) override;

private:
    struct Edge {
        QString from, to;
        QGraphicsPathItem *item = nullptr;
    };
    void rebuild();
    void layout(const QList<ObjectInfo> &objects);
    void buildBatch();
    void select(const QString &id, bool centre);
    void styleEdge(int index, bool strong);
    void restyle();

    ExplorerModel *explorer_;
    QGraphicsScene *scene_;
    DagGraphicsView *view_;
    QLabel *info_;
    QTimer *batch_;
    bool dirty_ = true, built_ = false, dark_ = false, fitted_ = false;
    QString selected_, pendingFocus_;
    QHash<QString, DagNodeItem *> nodes_;
    QList<Edge> edges_;
    QHash<QString, QList<int>> edgesOf_;  // node id -> indexes into edges_
    int edgeCount_ = 0;
    // Planned positions, turned into items batch by batch.
    struct Planned {
        QString id, name, kind, chain;
        QPointF pos;
    };
    QList<Planned> plan_;
    QList<QPair<QString, QString>> planEdges_;
    QList<QPair<QPointF, QString>> labels_;
    int nextNode_ = 0, nextEdge_ = 0;
};

}  // namespace blyan::ui
