#pragma once
// ObjectListView: the Objects tab: the object records of chains A, B and D (ExplorerModel::objects) in a
// sortable table, filtered by chain, kind and a name filter. Double click or Enter opens the object.

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace blyan::ui {

class ExplorerModel;

class ObjectTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, ChainColumn, HeightColumn, SizeColumn, PayloadColumn, IdColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, ChainRole, KindRole, SortRole };

    explicit ObjectTableModel(ExplorerModel *explorer, QObject *parent = nullptr);
    void reload();  // from ExplorerModel::objects()

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    ExplorerModel *explorer_;
    int rows_ = 0;
};

class ObjectFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setFilters(const QString &chain, const QString &kind, const QString &text);

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    QString chain_, kind_, text_;
};

class ObjectListView : public QWidget {
    Q_OBJECT
public:
    explicit ObjectListView(ExplorerModel *explorer, QWidget *parent = nullptr);

    QTableView *table() const { return table_; }
    ObjectFilter *filter() const { return filter_; }
    QComboBox *chainBox() const { return chain_; }
    QLineEdit *nameFilter() const { return text_; }

Q_SIGNALS:
    void linkActivated(const QString &href);

protected:
    void showEvent(QShowEvent *e) override;

private:
    void applyFilters();
    void updateCount();

    ExplorerModel *explorer_;
    ObjectTableModel *model_;
    ObjectFilter *filter_;
    QTableView *table_;
    QComboBox *chain_, *kind_;
    QLineEdit *text_;
    QLabel *count_;
};

}  // namespace blyan::ui
