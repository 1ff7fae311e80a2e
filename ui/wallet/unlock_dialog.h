#pragma once
// UnlockDialog: the passphrase, for how long, and whether the OS keychain may keep the unlock key.
// The node answers walletpassphrase on its worker (Argon2id takes about half a second), so the
// dialog shows it is busy instead of freezing, and shows a refusal inline as the node wrote it.

#include <QDialog>
#include <QJsonArray>

#include <functional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace blyan::ui {

class WalletModel;

class UnlockDialog : public QDialog {
    Q_OBJECT
public:
    explicit UnlockDialog(WalletModel *wallet, QWidget *parent = nullptr);

    void done(int result) override;  // clears the passphrase field whichever way the dialog ends

private:
    void unlock();
    void unlockFromKeychain();
    void finish(const QString &method, const QJsonArray &params);
    void setBusy(bool busy);
    int seconds() const;

    WalletModel *wallet_;
    QLineEdit *passphrase_;
    QComboBox *duration_;
    QCheckBox *remember_;
    QPushButton *keychainButton_;
    QLabel *error_;
    QDialogButtonBox *buttons_;
};

// Runs `then` once the wallet is unlocked: at once when it is, after the unlock dialog when it is
// locked, never when the user cancels.
void withUnlockedWallet(WalletModel *wallet, QWidget *parent, std::function<void()> then);

}  // namespace blyan::ui
