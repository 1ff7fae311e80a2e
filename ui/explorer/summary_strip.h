#pragma once
// SummaryStrip: the chain at a glance above the Explorer: height and best block, the last final block,
// the supply (getsupply), the transaction rate over the last blocks, and the mempool. Live from
// ExplorerModel's summary; the hashes are links.

#include <QFrame>
#include <QHash>

class QLabel;

namespace blyan::ui {

class ExplorerModel;

class SummaryStrip : public QFrame {
    Q_OBJECT
public:
    explicit SummaryStrip(ExplorerModel *explorer, QWidget *parent = nullptr);
    // The value label of a tile: "height", "final", "supply", "rate", "mempool"; the line under it is
    // "<name>Detail".
    QLabel *tile(const QString &name) const { return labels_.value(name); }

Q_SIGNALS:
    void linkActivated(const QString &href);

private:
    void addTile(const QString &name, const QString &caption);
    void update();

    ExplorerModel *explorer_;
    QHash<QString, QLabel *> labels_;
};

}  // namespace blyan::ui
