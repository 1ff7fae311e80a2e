#pragma once
// BlockListView: the Blocks tab: every block, newest first, in a table over BlockListModel (pages read as
// the view scrolls). Double click or Enter opens the block.

#include <QWidget>

class QLabel;
class QTableView;

namespace blyan::ui {

class BlockListModel;
class ExplorerModel;

class BlockListView : public QWidget {
    Q_OBJECT
public:
    explicit BlockListView(ExplorerModel *explorer, QWidget *parent = nullptr);

    QTableView *table() const { return table_; }
    BlockListModel *model() const { return model_; }

Q_SIGNALS:
    void linkActivated(const QString &href);

private:
    QTableView *table_;
    BlockListModel *model_;
    QLabel *error_;
};

}  // namespace blyan::ui
