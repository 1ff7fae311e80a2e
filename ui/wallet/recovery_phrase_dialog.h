#pragma once
// RecoveryPhraseDialog: "Show recovery phrase". Asks for the passphrase even when the wallet is
// unlocked (showmnemonic requires it: an unlocked, unattended screen must not give the phrase
// away), shows the words numbered with a warning, and wipes them from the widgets on close.

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace blyan::ui {

class MnemonicGrid;
class WalletModel;

class RecoveryPhraseDialog : public QDialog {
    Q_OBJECT
public:
    explicit RecoveryPhraseDialog(WalletModel *wallet, QWidget *parent = nullptr);
    void done(int result) override;

private:
    void reveal();

    WalletModel *wallet_;
    QStackedWidget *steps_;
    QLineEdit *passphrase_;
    QLabel *error_;
    QPushButton *show_;
    MnemonicGrid *grid_;
};

}  // namespace blyan::ui
