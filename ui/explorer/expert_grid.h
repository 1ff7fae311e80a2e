#pragma once
// The Experts tab: the model's expert heads as a layer x expert grid (getexpertgrid). Each cell is one
// expert's current object: shaded by how often it ran in this node's chats since the node started, or
// by how many versions its name has had (an upgraded expert is a newer object under the same name).
// Hover for the details, double-click to open the object. Re-read on a new block and after chats.

#include <QAbstractTableModel>
#include <QStyledItemDelegate>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace blyan::ui {

class ExplorerModel;

struct ExpertCell {
    bool present = false;
    QString name, id;
    quint64 versions = 0, headHeight = 0, usage = 0;
};

class ExpertGridModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, UsageRole, VersionsRole, ShadeRole };
    enum class Shade { Usage, Versions };

    explicit ExpertGridModel(QObject *parent = nullptr);
    void setGrid(const QJsonObject &grid);
    void setShade(Shade s);
    const ExpertCell &cell(int layer, int expert) const { return cells_[layer * experts_ + expert]; }
    int layers() const { return layers_; }
    int experts() const { return experts_; }
    quint64 usageTotal() const { return usageTotal_; }
    qint64 usageSinceMs() const { return usageSince_; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    int layers_ = 0, experts_ = 0;
    QVector<ExpertCell> cells_;
    quint64 maxUsage_ = 0, maxVersions_ = 0, usageTotal_ = 0;
    qint64 usageSince_ = 0;
    Shade shade_ = Shade::Usage;
};

// Paints a cell as a heat square with its figure.
class ExpertCellDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void setDark(bool dark) { dark_ = dark; }
    void paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    bool dark_ = false;
};

class ExpertGridView : public QWidget {
    Q_OBJECT
public:
    explicit ExpertGridView(ExplorerModel *explorer, QWidget *parent = nullptr);

    ExpertGridModel *model() const { return model_; }
    QTableView *table() const { return table_; }
    bool isLoaded() const { return loaded_; }
    void refresh();
    void setDarkTheme(bool dark);

Q_SIGNALS:
    void linkActivated(const QString &href);

protected:
    void showEvent(QShowEvent *e) override;

private:
    ExplorerModel *explorer_;
    ExpertGridModel *model_;
    ExpertCellDelegate *delegate_;
    QTableView *table_;
    QComboBox *shade_;
    QLabel *info_;
    bool loaded_ = false, inFlight_ = false, again_ = false;
};

}  // namespace blyan::ui
