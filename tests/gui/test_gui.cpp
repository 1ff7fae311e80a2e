// The desktop app end to end, offscreen: a real devnet Node in a temporary data dir, the main
// window showing its live status, every panel reached through the sidebar, both themes, PNG
// screenshots of each panel in ${build}/screenshots/, and a clean shutdown through the window.

#include "support/test_support.h"
#include "node/node.h"
#include "ui/client_model.h"
#include "ui/icons.h"
#include "ui/main_window.h"
#include "ui/overview_page.h"
#include "ui/theme.h"
#include "util/paths.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace blyan;
using blyan::testing::freePort;
using blyan::testing::screenshotDir;
using Panel = ui::MainWindow::Panel;

class TestGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void overviewShowsRunningNode();
    void sidebarReachesEveryPanel();
    void shortcutsSwitchPanels();
    void themesAndScreenshots();
    void closingStopsNodeCleanly();

private:
    void selectThroughSidebar(Panel p);

    QTemporaryDir dir_;
    quint16 rpcPort_ = 0;
    std::unique_ptr<ui::ThemeManager> theme_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> model_;
    std::unique_ptr<ui::MainWindow> window_;
};

void TestGui::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);  // QSettings go to a test location, not the user's
    blyan::testing::setTestApplicationIdentity();
    QSettings().clear();
    QVERIFY(dir_.isValid());
    rpcPort_ = freePort();
    QVERIFY(rpcPort_ != 0);
    QVERIFY(QDir().mkpath(screenshotDir()));

    ui::initResources();
    theme_ = std::make_unique<ui::ThemeManager>();
    theme_->setTheme(ui::Theme::Light);

    node::NodeOptions o;
    o.network = Network::Devnet;
    o.dataDir = dir_.path();
    o.rpcPort = rpcPort_;
    node_ = std::make_unique<node::Node>(o);
    model_ = std::make_unique<ui::ClientModel>(node_.get());
    window_ = std::make_unique<ui::MainWindow>(model_.get(), theme_.get());
    window_->resize(1200, 780);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    node_->start();
}

void TestGui::overviewShowsRunningNode()
{
    ui::OverviewPage *ov = window_->overviewPage();
    QLabel *state = ov->field(QStringLiteral("state"));
    QVERIFY(state);
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("Running"), 60000);
    QCOMPARE(window_->currentPanel(), ui::MainWindow::Overview);
    QVERIFY(ov->field(QStringLiteral("network"))->text() == QStringLiteral("devnet"));
    QTRY_VERIFY(ov->field(QStringLiteral("rpcEndpoint"))->text().endsWith(QString::number(rpcPort_)));
    QCOMPARE(QDir(ov->field(QStringLiteral("dataDir"))->text()).canonicalPath(), QDir(dir_.path()).canonicalPath());
    QVERIFY(!ov->field(QStringLiteral("version"))->text().isEmpty());
    QVERIFY(ov->field(QStringLiteral("diskFree"))->text() != QStringLiteral("—"));
    QVERIFY(!ov->field(QStringLiteral("computeBackend"))->text().isEmpty());
    // Uptime is live: it changes while we watch.
    const QString up = ov->field(QStringLiteral("uptime"))->text();
    QTRY_VERIFY_WITH_TIMEOUT(ov->field(QStringLiteral("uptime"))->text() != up, 5000);
    // Status bar: state, network, uptime.
    QCOMPARE(window_->findChild<QLabel *>(QStringLiteral("StatusState"))->text(), QStringLiteral("Running"));
    QCOMPARE(window_->findChild<QLabel *>(QStringLiteral("StatusNetwork"))->text(), QStringLiteral("devnet"));
    QVERIFY(window_->findChild<QLabel *>(QStringLiteral("StatusUptime"))->text().startsWith(QStringLiteral("Up ")));
}

void TestGui::selectThroughSidebar(Panel p)
{
    // As a user does it: a click on the item in the sidebar.
    QListWidget *list = window_->sidebar();
    const QRect r = list->visualItemRect(list->item(p));
    QVERIFY(r.isValid());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, r.center());
    QTRY_COMPARE(window_->currentPanel(), p);
}

void TestGui::sidebarReachesEveryPanel()
{
    QCOMPARE(window_->sidebar()->count(), int(ui::MainWindow::PanelCount));
    for (int i = ui::MainWindow::PanelCount - 1; i >= 0; --i) {
        const auto p = Panel(i);
        selectThroughSidebar(p);
        QCOMPARE(window_->stack()->currentWidget(), window_->page(p));
        QCOMPARE(window_->stack()->currentWidget()->property("panel").toString(), ui::MainWindow::panelKey(p));
        QVERIFY(window_->page(p)->isVisible());
        // Panels without their subsystem say so plainly instead of showing numbers.
        bool saysUnavailable = false;
        for (QLabel *l : window_->page(p)->findChildren<QLabel *>())
            saysUnavailable |= l->text().contains(QStringLiteral("Not available in this build yet"));
        const bool placeholderPanel = p == ui::MainWindow::Contribute;
        QCOMPARE(window_->page(p)->findChild<QFrame *>(QStringLiteral("Notice")) != nullptr, placeholderPanel);
        if (placeholderPanel) QVERIFY(saysUnavailable);
        // Network: the devnet node runs its peer layer (issue 8), so the panel shows it, not a placeholder.
        // Governance (issue 9) is a real panel too.
        if (p == ui::MainWindow::Settings || p == ui::MainWindow::Wallet || p == ui::MainWindow::Network ||
            p == ui::MainWindow::Governance)
            QVERIFY(!saysUnavailable);
    }
}

void TestGui::shortcutsSwitchPanels()
{
    QApplication::setActiveWindow(window_.get());
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    for (int i = 0; i < ui::MainWindow::PanelCount; ++i) {
        QTest::keyClick(window_.get(), Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
        QTRY_COMPARE(window_->currentPanel(), Panel(i));
    }
}

void TestGui::themesAndScreenshots()
{
    QSignalSpy applied(theme_.get(), &ui::ThemeManager::themeApplied);
    for (ui::Theme t : {ui::Theme::Light, ui::Theme::Dark}) {
        theme_->setTheme(t);
        const bool dark = t == ui::Theme::Dark;
        QCOMPARE(theme_->isDark(), dark);
        QCOMPARE(QApplication::palette().color(QPalette::Window).lightness() < 128, dark);
        QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), ui::themeKey(t));
        for (int i = 0; i < ui::MainWindow::PanelCount; ++i) {
            selectThroughSidebar(Panel(i));
            QTest::qWait(30);  // let layouts settle before grabbing
            const QImage img = window_->grab().toImage();
            QVERIFY(!img.isNull());
            // Sanity: the page background really follows the theme.
            const QColor bg = img.pixelColor(img.width() - 8, 8);
            QCOMPARE(bg.lightness() < 128, dark);
            const QString file = QStringLiteral("%1/%2-%3.png")
                                     .arg(screenshotDir(), ui::MainWindow::panelKey(Panel(i)), ui::themeKey(t));
            QVERIFY2(img.save(file), qPrintable(file));
        }
    }
    // Applying a theme must not feed back into itself (palette-change events re-applying).
    const int count = applied.count();
    QTest::qWait(400);
    QCOMPARE(applied.count(), count);
    // The Settings radios reflect the theme and switch it back when clicked.
    selectThroughSidebar(ui::MainWindow::Settings);
    auto *light = window_->findChild<QAbstractButton *>(QStringLiteral("theme_light"));
    QVERIFY(light);
    QVERIFY(window_->findChild<QAbstractButton *>(QStringLiteral("theme_dark"))->isChecked());
    QTest::mouseClick(light, Qt::LeftButton);
    QCOMPARE(theme_->theme(), ui::Theme::Light);
    QVERIFY(!theme_->isDark());
    selectThroughSidebar(ui::MainWindow::Overview);
}

void TestGui::closingStopsNodeCleanly()
{
    QSignalSpy finished(window_.get(), &ui::MainWindow::shutdownFinished);
    QSignalSpy stopped(node_.get(), &node::Node::stopped);
    QSignalSpy progress(model_.get(), &ui::ClientModel::shutdownProgress);
    window_->close();
    // Closing does not quit at once: the node is asked to stop and a progress dialog shows.
    QVERIFY(window_->isShuttingDown());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    QCOMPARE(stopped.count(), 1);
    QVERIFY(!node_->isRunning());
    QVERIFY(!window_->isVisible());
    QVERIFY(!window_->findChild<QWidget *>(QStringLiteral("ShutdownDialog")) ||
            !window_->findChild<QWidget *>(QStringLiteral("ShutdownDialog"))->isVisible());
    QVERIFY(progress.count() >= 1);
    QCOMPARE(model_->status().state, node::NodeState::Stopped);
    // Geometry was remembered on the way out.
    QVERIFY(!QSettings().value(QStringLiteral("mainwindow/geometry")).toByteArray().isEmpty());
    QCOMPARE(QSettings().value(QStringLiteral("mainwindow/panel")).toString(), QStringLiteral("overview"));
}

QTEST_MAIN(TestGui)
#include "test_gui.moc"
