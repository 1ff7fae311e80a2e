#include "ui/main_window.h"

#include "ui/chat/chat_page.h"
#include "ui/client_model.h"
#include "ui/explorer/explorer_page.h"
#include "ui/format.h"
#include "ui/governance/governance_page.h"
#include "ui/icons.h"
#include "ui/import_model_dialog.h"
#include "ui/network_page.h"
#include "ui/overview_page.h"
#include "ui/settings_page.h"
#include "ui/shutdown_dialog.h"
#include "ui/theme.h"
#include "ui/unavailable_page.h"
#include "ui/wallet/wallet_model.h"
#include "ui/wallet/wallet_page.h"
#include "ui/wallet/wallet_status.h"
#include "util/log.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
const auto kGeometryKey = QStringLiteral("mainwindow/geometry");
const auto kStateKey = QStringLiteral("mainwindow/state");
const auto kPanelKey = QStringLiteral("mainwindow/panel");
}  // namespace

QString MainWindow::panelKey(Panel p)
{
    static const char *const keys[] = {"overview", "chat", "explorer", "wallet", "governance", "contribute",
                                       "network", "settings"};
    return QString::fromLatin1(keys[p]);
}

QString MainWindow::panelTitle(Panel p)
{
    switch (p) {
    case Overview: return tr("Overview");
    case Chat: return tr("Chat");
    case Explorer: return tr("Explorer");
    case Wallet: return tr("Wallet");
    case Governance: return tr("Governance");
    case Contribute: return tr("Contribute");
    case Network: return tr("Network");
    case Settings: return tr("Settings");
    case PanelCount: break;
    }
    return {};
}

MainWindow::MainWindow(ClientModel *model, ThemeManager *theme, QWidget *parent)
    : QMainWindow(parent), model_(model), theme_(theme)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("Blyan — %1").arg(model_->networkName()));
    setWindowIcon(appIcon());
    setMinimumSize(900, 600);

    stack_ = new QStackedWidget;
    overview_ = new OverviewPage(model_);
    stack_->addWidget(overview_);
    chatPage_ = new chat::ChatPage(model_->node());
    stack_->addWidget(chatPage_);
    explorer_ = new ExplorerPage(model_);
    stack_->addWidget(explorer_);
    connect(overview_, &OverviewPage::linkActivated, this, [this](const QString &href) {
        if (href == QLatin1String("panel:wallet")) return showPanel(Wallet);
        showPanel(Explorer);
        explorer_->openLink(href);
    });
    wallet_ = new WalletModel(model_->node(), this);
    walletPage_ = new WalletPage(wallet_);
    stack_->addWidget(walletPage_);
    stack_->addWidget(new GovernancePage(model_, wallet_));
    stack_->addWidget(new UnavailablePage(
        panelKey(Contribute), tr("Contribute"), tr("Earn BLY by serving experts, training, validating and sharing data."),
        {tr("Choose how much GPU memory and time this computer gives the network."),
         tr("Serve experts to peers and redeem their signed usage receipts."),
         tr("Train candidate experts and follow their Proof-of-Learning evaluation."),
         tr("Validate candidates, contribute datasets, and chart your rewards per day.")}));
    stack_->addWidget(new NetworkPage(model_));
    stack_->addWidget(new SettingsPage(model_, theme_, QSystemTrayIcon::isSystemTrayAvailable()));
    for (int i = 0; i < PanelCount; ++i) stack_->widget(i)->setProperty("panel", panelKey(Panel(i)));

    auto *central = new QWidget;
    auto *row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    row->addWidget(buildSidebar());
    row->addWidget(stack_, 1);
    setCentralWidget(central);
    buildStatusBar();
    setupTray();

    // File > Import model: a checkpoint into the chain (runs on the node's model thread; the dialog follows it).
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *importAction = file->addAction(tr("&Import model…"));
    importAction->setObjectName(QStringLiteral("importModelAction"));
    connect(importAction, &QAction::triggered, this, [this] {
        if (!importDialog_) importDialog_ = new ImportModelDialog(model_->node(), this);
        importDialog_->show();
        importDialog_->raise();
    });
    // The Chat panel offers the same import when the chain has no model, and links experts into the Explorer.
    connect(chatPage_, &chat::ChatPage::importModelRequested, importAction, &QAction::trigger);
    connect(chatPage_, &chat::ChatPage::openExplorerObject, this, &MainWindow::showExplorerObject);
    file->addSeparator();
    connect(file->addAction(tr("&Quit")), &QAction::triggered, this, &MainWindow::requestQuit);

    for (int i = 0; i < PanelCount; ++i) {
        auto *sc = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this);
        connect(sc, &QShortcut::activated, this, [this, i] { showPanel(Panel(i)); });
    }
    auto *quit = new QShortcut(QKeySequence::Quit, this);
    connect(quit, &QShortcut::activated, this, &MainWindow::requestQuit);

    connect(theme_, &ThemeManager::themeApplied, this, &MainWindow::applyThemeToIcons);
    applyThemeToIcons(theme_->isDark());
    connect(model_, &ClientModel::statusUpdated, this, &MainWindow::updateStatus);
    connect(model_, &ClientModel::shutdownProgress, this, [this](int step, int steps, const QString &what) {
        if (shutdownDialog_) shutdownDialog_->setProgress(step, steps, what);
    });
    // stopped() also arrives when something else stopped the node (RPC `stop`): quit then too.
    connect(model_, &ClientModel::nodeStopped, this, &MainWindow::finishShutdown);
    updateStatus(model_->status());
    restoreWindowState();
}

QWidget *MainWindow::buildSidebar()
{
    auto *panel = new QWidget;
    panel->setObjectName(QStringLiteral("SidebarPanel"));
    panel->setAttribute(Qt::WA_StyledBackground);
    panel->setFixedWidth(216);
    auto *col = new QVBoxLayout(panel);
    col->setContentsMargins(0, 18, 1, 14);  // 1 px: keep the QSS right border visible
    col->setSpacing(12);

    auto *brand = new QHBoxLayout;
    brand->setContentsMargins(20, 0, 16, 6);
    brand->setSpacing(10);
    brandIcon_ = new QLabel;
    brandIcon_->setPixmap(appIcon().pixmap(QSize(32, 32), devicePixelRatioF()));
    auto *names = new QVBoxLayout;
    names->setSpacing(0);
    auto *name = new QLabel(tr("Blyan"));
    name->setObjectName(QStringLiteral("BrandName"));
    QFont f = name->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    name->setFont(f);
    auto *tagline = new QLabel(tr("Network node"));
    tagline->setObjectName(QStringLiteral("BrandTagline"));
    names->addWidget(name);
    names->addWidget(tagline);
    brand->addWidget(brandIcon_);
    brand->addLayout(names, 1);
    col->addLayout(brand);

    sidebar_ = new QListWidget;
    sidebar_->setObjectName(QStringLiteral("Sidebar"));
    sidebar_->setIconSize(QSize(20, 20));
    sidebar_->setFrameShape(QFrame::NoFrame);
    sidebar_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sidebar_->setUniformItemSizes(true);
    sidebar_->setSpacing(1);
    sidebar_->setAccessibleName(tr("Panels"));
    for (int i = 0; i < PanelCount; ++i) {
        auto *item = new QListWidgetItem(panelTitle(Panel(i)), sidebar_);
        item->setData(Qt::UserRole, panelKey(Panel(i)));
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(panelTitle(Panel(i))).arg(i + 1));
        item->setSizeHint(QSize(0, 38));
    }
    connect(sidebar_, &QListWidget::currentRowChanged, stack_, &QStackedWidget::setCurrentIndex);
    connect(sidebar_, &QListWidget::currentRowChanged, this, [](int row) {
        if (row >= 0) QSettings().setValue(kPanelKey, panelKey(Panel(row)));
    });
    sidebar_->setCurrentRow(0);
    col->addWidget(sidebar_, 1);

    auto *foot = new QHBoxLayout;
    foot->setContentsMargins(20, 0, 16, 0);
    auto *badge = new QLabel(model_->networkName());
    badge->setObjectName(QStringLiteral("NetworkBadge"));
    badge->setToolTip(tr("The network this node belongs to"));
    foot->addWidget(badge);
    foot->addStretch(1);
    col->addLayout(foot);
    return panel;
}

void MainWindow::buildStatusBar()
{
    auto *bar = statusBar();
    bar->setSizeGripEnabled(false);
    auto *left = new QWidget;
    auto *l = new QHBoxLayout(left);
    l->setContentsMargins(12, 2, 0, 2);
    l->setSpacing(0);
    statusDot_ = new QLabel;
    statusDot_->setFixedSize(10, 10);
    statusState_ = new QLabel;
    statusState_->setObjectName(QStringLiteral("StatusState"));
    l->addWidget(statusDot_);
    l->addWidget(statusState_);
    bar->addWidget(left);
    statusNetwork_ = new QLabel;
    statusNetwork_->setObjectName(QStringLiteral("StatusNetwork"));
    statusUptime_ = new QLabel;
    statusUptime_->setObjectName(QStringLiteral("StatusUptime"));
    walletStatus_ = new WalletStatusButton(wallet_);
    connect(walletStatus_, &WalletStatusButton::showWalletRequested, this, [this] { showPanel(Wallet); });
    bar->addPermanentWidget(walletStatus_);
    bar->addPermanentWidget(statusNetwork_);
    bar->addPermanentWidget(statusUptime_);
}

void MainWindow::setupTray()
{
    // Offscreen and some desktops (GNOME without the extension) have no tray: the window then
    // simply closes, and Settings explains why the option is disabled.
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        qCInfo(lcUi) << "no system tray available; the tray icon is disabled";
        return;
    }
    tray_ = new QSystemTrayIcon(appIcon(), this);
    auto *menu = new QMenu(this);
    showHideAction_ = menu->addAction(tr("Hide Blyan"));
    connect(showHideAction_, &QAction::triggered, this, [this] {
        if (isVisible() && !isMinimized()) {
            saveWindowState();
            hide();
        } else {
            showAndRaise();
        }
    });
    menu->addSeparator();
    connect(menu->addAction(tr("Quit Blyan")), &QAction::triggered, this, &MainWindow::requestQuit);
    connect(menu, &QMenu::aboutToShow, this, [this] {
        showHideAction_->setText(isVisible() && !isMinimized() ? tr("Hide Blyan") : tr("Show Blyan"));
    });
    tray_->setContextMenu(menu);
    connect(tray_, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger) showHideAction_->trigger();
    });
    tray_->show();
}

QWidget *MainWindow::page(Panel p) const { return stack_->widget(p); }

MainWindow::Panel MainWindow::currentPanel() const { return Panel(stack_->currentIndex()); }

void MainWindow::showPanel(Panel p) { sidebar_->setCurrentRow(p); }

void MainWindow::showAndRaise()
{
    if (isMinimized()) showNormal(); else show();
    raise();
    activateWindow();
}

void MainWindow::requestQuit()
{
    quitRequested_ = true;
    beginShutdown();
}

void MainWindow::openPaymentUri(const QString &uri)
{
    showAndRaise();
    showPanel(Wallet);
    walletPage_->openPaymentUri(uri);
}

void MainWindow::showExplorerObject(const QString &objectName)
{
    showPanel(Explorer);
    explorer_->showObject(objectName);
}

void MainWindow::applyThemeToIcons(bool dark)
{
    dark_ = dark;
    const QPalette pal = QApplication::palette();
    // Muted icons in the list, accent-tinted when selected; matches the sidebar QSS colours.
    const QColor normal = dark ? QColor(0xA9, 0xB0, 0xBC) : QColor(0x5B, 0x62, 0x70);
    const QColor selected = dark ? QColor(0xC7, 0xC9, 0xFF) : QColor(0x43, 0x38, 0xCA);
    for (int i = 0; i < sidebar_->count(); ++i)
        sidebar_->item(i)->setIcon(themedIcon(panelKey(Panel(i)), normal, selected));
    for (int i = 0; i < stack_->count(); ++i)
        if (auto *u = qobject_cast<UnavailablePage *>(stack_->widget(i)))
            u->setIconColor(pal.color(QPalette::Highlight));
    overview_->setDarkTheme(dark);
    explorer_->setDarkTheme(dark);
    walletPage_->setDarkTheme(dark);
    walletStatus_->setDarkTheme(dark);
    updateStatus(model_->status());
}

void MainWindow::updateStatus(const node::NodeStatus &s)
{
    statusDot_->setStyleSheet(
        QStringLiteral("background:%1; border-radius:5px;").arg(stateColor(s.state, dark_).name()));
    statusState_->setText(stateText(s.state));
    statusNetwork_->setText(model_->networkName());
    statusUptime_->setText(s.state == node::NodeState::Running ? tr("Up %1").arg(formatDuration(s.uptimeSeconds))
                                                               : QString());
    statusUptime_->setVisible(s.state == node::NodeState::Running);
    if (tray_) tray_->setToolTip(tr("Blyan — %1 (%2)").arg(stateText(s.state), model_->networkName()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (shutdownDone_) {
        event->accept();
        return;
    }
    event->ignore();
    if (!quitRequested_ && tray_ && tray_->isVisible() &&
        QSettings().value(SettingsPage::minimizeToTrayKey(), false).toBool()) {
        saveWindowState();
        hide();
        if (!trayHintShown_) {
            tray_->showMessage(tr("Blyan is still running"),
                               tr("The node keeps running in the tray. Choose Quit from its menu to stop it."),
                               QSystemTrayIcon::Information, 4000);
            trayHintShown_ = true;
        }
        return;
    }
    beginShutdown();
}

void MainWindow::beginShutdown()
{
    if (shuttingDown_) return;
    shuttingDown_ = true;
    saveWindowState();
    qCInfo(lcUi) << "stopping the node before quitting";
    shutdownDialog_ = new ShutdownDialog(isVisible() ? this : nullptr);
    shutdownDialog_->setWindowIcon(windowIcon());
    shutdownDialog_->open();  // modal but non-blocking: the event loop keeps delivering progress
    model_->requestShutdown();
}

void MainWindow::finishShutdown()
{
    if (shutdownDone_) return;
    shutdownDone_ = true;
    shuttingDown_ = true;
    if (shutdownDialog_) {
        shutdownDialog_->hide();
        shutdownDialog_->deleteLater();
        shutdownDialog_ = nullptr;
    } else {
        saveWindowState();  // the node stopped on its own (RPC stop): still remember the window
    }
    if (tray_) tray_->hide();
    close();
    qCInfo(lcUi) << "node stopped; closing the main window";
    Q_EMIT shutdownFinished();
}

void MainWindow::saveWindowState()
{
    if (!isVisible()) return;  // a hidden window's geometry is stale
    QSettings s;
    s.setValue(kGeometryKey, saveGeometry());
    s.setValue(kStateKey, saveState());
}

void MainWindow::restoreWindowState()
{
    QSettings s;
    if (!restoreGeometry(s.value(kGeometryKey).toByteArray())) {
        resize(1180, 760);
        if (const QScreen *screen = QGuiApplication::primaryScreen())
            move(screen->availableGeometry().center() - rect().center());
    }
    restoreState(s.value(kStateKey).toByteArray());
    const QString panel = s.value(kPanelKey).toString();
    for (int i = 0; i < PanelCount; ++i)
        if (panelKey(Panel(i)) == panel) showPanel(Panel(i));
}

}  // namespace blyan::ui
