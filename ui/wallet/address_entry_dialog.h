#pragma once
// AddressEntryDialog: add a contact (address checked by validateaddress first) or rename any
// address-book entry; both end in setlabel.

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace blyan::ui {

class WalletModel;

class AddressEntryDialog : public QDialog {
    Q_OBJECT
public:
    // An empty `address` adds a new entry; otherwise the entry's label is edited.
    AddressEntryDialog(WalletModel *wallet, const QString &address, const QString &label, QWidget *parent = nullptr);

private:
    void save();
    void fail(const QString &message);

    WalletModel *wallet_;
    QLineEdit *address_, *label_;
    QLabel *error_;
    QPushButton *ok_;
};

}  // namespace blyan::ui
