#pragma once
// AddressBookTab: your own addresses and your contacts with their labels (listaddressbook); add,
// relabel and remove contacts (setlabel, removeaddressbookentry); "Send to" fills the send form.

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace blyan::ui {

class WalletModel;

class AddressBookTab : public QWidget {
    Q_OBJECT
public:
    explicit AddressBookTab(WalletModel *wallet, QWidget *parent = nullptr);
    QTableWidget *table() const { return table_; }
    void reload();

Q_SIGNALS:
    void sendTo(const QString &address, const QString &label);

private:
    void updateButtons();
    void editSelected();
    void removeSelected();
    int selectedRow() const;

    WalletModel *wallet_;
    QTableWidget *table_;
    QPushButton *edit_, *remove_, *sendTo_, *copy_;
    QLabel *status_;
};

}  // namespace blyan::ui
