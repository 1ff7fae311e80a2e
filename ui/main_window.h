#pragma once
// MainWindow: sidebar of panels + QStackedWidget, status bar, tray icon, remembered geometry and
// a clean shutdown (Node::requestStop → progress dialog → quit only on stopped()).

#include "node/node_status.h"

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;
class QSystemTrayIcon;
class QAction;

namespace blyan::ui {

namespace chat {
class ChatPage;
}
class ClientModel;
class ExplorerPage;
class ImportModelDialog;
class OverviewPage;
class ShutdownDialog;
class ThemeManager;
class WalletModel;
class WalletPage;
class WalletStatusButton;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Panel { Overview, Chat, Explorer, Wallet, Governance, Contribute, Network, Settings, PanelCount };
    static QString panelKey(Panel p);   // "overview": icon name, settings value, screenshot name
    static QString panelTitle(Panel p);  // "Overview"

    MainWindow(ClientModel *model, ThemeManager *theme, QWidget *parent = nullptr);

    QListWidget *sidebar() const { return sidebar_; }
    QStackedWidget *stack() const { return stack_; }
    QWidget *page(Panel p) const;
    OverviewPage *overviewPage() const { return overview_; }
    chat::ChatPage *chatPage() const { return chatPage_; }
    ExplorerPage *explorerPage() const { return explorer_; }
    WalletModel *walletModel() const { return wallet_; }
    WalletPage *walletPage() const { return walletPage_; }
    Panel currentPanel() const;
    void showPanel(Panel p);
    // Brings the window to the front (tray "Show", a second instance asking us to).
    void showAndRaise();
    // Quit from the tray or Ctrl+Q: stops the node first, like closing without the tray option.
    void requestQuit();
    // A blyan: payment link (command line, second launch): the Wallet panel's Send tab, prefilled.
    void openPaymentUri(const QString &uri);
    // Shows the Explorer on an object, by name ("layer0.expert1": its head) or id (links from other panels).
    void showExplorerObject(const QString &objectName);
    bool isShuttingDown() const { return shuttingDown_; }

Q_SIGNALS:
    // The node has stopped and the window has closed: the application may quit now.
    void shutdownFinished();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildSidebar();
    void buildStatusBar();
    void setupTray();
    void applyThemeToIcons(bool dark);
    void updateStatus(const node::NodeStatus &s);
    void beginShutdown();
    void finishShutdown();
    void saveWindowState();
    void restoreWindowState();

    ClientModel *model_;
    ThemeManager *theme_;
    QListWidget *sidebar_ = nullptr;
    QStackedWidget *stack_ = nullptr;
    OverviewPage *overview_ = nullptr;
    chat::ChatPage *chatPage_ = nullptr;
    ExplorerPage *explorer_ = nullptr;
    WalletModel *wallet_ = nullptr;
    WalletPage *walletPage_ = nullptr;
    WalletStatusButton *walletStatus_ = nullptr;
    QLabel *brandIcon_ = nullptr;
    QLabel *statusDot_ = nullptr, *statusState_ = nullptr, *statusNetwork_ = nullptr, *statusUptime_ = nullptr;
    QSystemTrayIcon *tray_ = nullptr;
    QAction *showHideAction_ = nullptr;
    ShutdownDialog *shutdownDialog_ = nullptr;
    ImportModelDialog *importDialog_ = nullptr;
    bool dark_ = false;
    bool shuttingDown_ = false;
    bool shutdownDone_ = false;
    bool quitRequested_ = false;
    bool trayHintShown_ = false;
};

}  // namespace blyan::ui
