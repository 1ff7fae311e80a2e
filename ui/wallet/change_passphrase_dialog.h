#pragma once
// ChangePassphraseDialog: the current passphrase and a new one (typed twice, with strength
// feedback); walletpassphrasechange re-encrypts the keystore on the node's worker.

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace blyan::ui {

class PassphraseForm;
class WalletModel;

class ChangePassphraseDialog : public QDialog {
    Q_OBJECT
public:
    explicit ChangePassphraseDialog(WalletModel *wallet, QWidget *parent = nullptr);
    void done(int result) override;

private:
    void change();
    void updateButton();

    WalletModel *wallet_;
    QLineEdit *old_;
    PassphraseForm *form_;
    QLabel *error_;
    QPushButton *ok_;
    bool busy_ = false;
};

}  // namespace blyan::ui
