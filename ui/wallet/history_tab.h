#pragma once
// HistoryTab: the wallet's transactions with filters (direction, type, status) and a search box
// (txid, address or label), all applied by the node; rows load a page at a time as you scroll.

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace blyan::ui {

class WalletModel;

class HistoryTab : public QWidget {
    Q_OBJECT
public:
    explicit HistoryTab(WalletModel *wallet, QWidget *parent = nullptr);
    QTableView *view() const { return view_; }

private:
    void applyFilter();
    void showMenu(const QPoint &pos);

    WalletModel *wallet_;
    QComboBox *direction_, *kind_, *status_;
    QLineEdit *search_;
    QTableView *view_;
    QLabel *empty_, *error_;
    QTimer debounce_;
};

}  // namespace blyan::ui
