#pragma once
// WalletStatusButton: the wallet's lock state in the status bar (padlock + "Locked" / "Unlocked
// until 14:05"). A click on a locked wallet opens the unlock dialog, on an unlocked one locks it,
// and without a wallet asks for the Wallet panel.

#include <QToolButton>

namespace blyan::ui {

class WalletModel;

class WalletStatusButton : public QToolButton {
    Q_OBJECT
public:
    explicit WalletStatusButton(WalletModel *wallet, QWidget *parent = nullptr);
    void setDarkTheme(bool dark);

Q_SIGNALS:
    void showWalletRequested();

private:
    void update();
    void onClicked();

    WalletModel *wallet_;
    bool dark_ = false;
};

}  // namespace blyan::ui
