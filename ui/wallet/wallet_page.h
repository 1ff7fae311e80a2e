#pragma once
// WalletPage: the Wallet panel. Without a wallet it offers create / restore; with one it shows the
// balances (available, staked, pending), lock controls and the tabs Send, Receive, History,
// Address book and Stake. Everything it shows comes from WalletModel.

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace blyan::ui {

class AddressBookTab;
class HistoryTab;
class ReceiveTab;
class SendTab;
class StakeTab;
class WalletModel;

class WalletPage : public QWidget {
    Q_OBJECT
public:
    enum Tab { SendIndex, ReceiveIndex, HistoryIndex, AddressBookIndex, StakeIndex };

    explicit WalletPage(WalletModel *wallet, QWidget *parent = nullptr);

    // A blyan: link (command line, second launch, desktop handler): parsed by the wallet
    // (parsepaymenturi) and shown in the Send tab; kept until a wallet exists.
    void openPaymentUri(const QString &uri);
    void showTab(Tab t);
    void setDarkTheme(bool dark);

    QTabWidget *tabs() const { return tabs_; }
    SendTab *sendTab() const { return send_; }
    ReceiveTab *receiveTab() const { return receive_; }
    HistoryTab *historyTab() const { return history_; }
    AddressBookTab *addressBookTab() const { return book_; }

private:
    QWidget *buildWallet();
    void update();
    void handlePendingUri();
    void startFirstRun(bool restore);

    WalletModel *wallet_;
    QStackedWidget *stack_;
    QLabel *waiting_;
    QTabWidget *tabs_ = nullptr;
    SendTab *send_ = nullptr;
    ReceiveTab *receive_ = nullptr;
    HistoryTab *history_ = nullptr;
    AddressBookTab *book_ = nullptr;
    StakeTab *stake_ = nullptr;
    QLabel *available_ = nullptr, *staked_ = nullptr, *pending_ = nullptr, *lockState_ = nullptr;
    QPushButton *lock_ = nullptr, *more_ = nullptr;
    QStringList pendingUris_;
    bool dark_ = false;
};

}  // namespace blyan::ui
