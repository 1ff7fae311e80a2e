// The Network panel, offscreen, with two real nodes on one testnet genesis file written here: the
// window's own Node (in this process, on 127.0.0.31) and a blyand process (on 127.0.0.32) that
// connects to it. The peer appears in the table with its address and height, the traffic graph gets
// data, a ban shows in the banned list and cuts the peer off, Unban lifts it and the peer comes back.
// Screenshots in light and dark go to ${build}/screenshots/network-*.png. First, a testnet node
// without its genesis file: the panel says why there is no P2P instead of showing empty tables.

#include "support/gui_test.h"
#include "support/test_support.h"
#include "chain/address.h"
#include "node/node.h"
#include "ui/client_model.h"
#include "ui/icons.h"
#include "ui/main_window.h"
#include "ui/network/peer_table_model.h"
#include "ui/network/traffic_chart.h"
#include "ui/network_page.h"
#include "ui/theme.h"
#include "util/paths.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace blyan;
using blyan::testing::freePort;
using blyan::testing::screenshotDir;

namespace {

constexpr int kWait = 60000;
const QString kGuiIp = QStringLiteral("127.0.0.31");
const QString kPeerIp = QStringLiteral("127.0.0.32");

QString bin(const QString &name) { return QStringLiteral(BLYAN_BIN_DIR "/") + name; }

QLabel *field(QWidget *root, const QString &name)
{
    for (QLabel *l : root->findChildren<QLabel *>())
        if (l->property("field").toString() == name) return l;
    return nullptr;
}

}  // namespace

class TestNetworkGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void withoutGenesisSaysWhy();
    void peerAppears();
    void graphHasData();
    void screenshots();
    void banAndUnban();
    void cleanupTestCase();

private:
    void shoot(const QString &name);
    QString peerAddressInTable() const;

    QTemporaryDir dir_;
    QString genesis_;
    std::unique_ptr<ui::ThemeManager> theme_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> model_;
    std::unique_ptr<ui::MainWindow> window_;
    ui::NetworkPage *page_ = nullptr;
    quint16 guiP2pPort_ = 0, peerRpcPort_ = 0, peerP2pPort_ = 0;
    QProcess peer_;
};

void TestNetworkGui::initTestCase()
{
    QVERIFY(dir_.isValid());
    theme_ = blyan::testing::initGuiTestEnvironment();
    QVERIFY2(theme_, "cannot create the screenshot folder");

    // One genesis for both nodes (one allocation, one validator that is neither: nobody produces blocks).
    const auto address = [](const crypto::KeyPair &k) {
        return QString::fromStdString(chain::formatAddress(Network::Testnet, k.publicKey()));
    };
    const auto holder = crypto::KeyPair::generate(), validator = crypto::KeyPair::generate();
    const QJsonObject g{
        {QStringLiteral("network"), QStringLiteral("testnet")},
        {QStringLiteral("time_ms"), static_cast<double>(QDateTime::currentMSecsSinceEpoch() - 60'000)},
        {QStringLiteral("allocations"), QJsonArray{QJsonObject{{QStringLiteral("address"), address(holder)},
                                                               {QStringLiteral("amount"), QStringLiteral("99000000 BLY")}}}},
        {QStringLiteral("validators"), QJsonArray{QJsonObject{{QStringLiteral("address"), address(validator)},
                                                              {QStringLiteral("stake"), QStringLiteral("1000000 BLY")}}}},
    };
    genesis_ = dir_.filePath(QStringLiteral("genesis.json"));
    QFile f(genesis_);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(g).toJson());
}

void TestNetworkGui::withoutGenesisSaysWhy()
{
    node::NodeOptions o;
    o.network = Network::Testnet;
    o.dataDir = dir_.filePath(QStringLiteral("nogenesis"));
    o.rpcPort = freePort();
    o.p2p.discover = false;
    node::Node node(o);
    ui::ClientModel model(&node);
    ui::NetworkPage page(&model);
    page.resize(1000, 700);
    page.show();
    QVERIFY(node.startBlocking().ok());
    QTRY_VERIFY_WITH_TIMEOUT(model.status().state == node::NodeState::Running, kWait);
    QLabel *state = field(&page, QStringLiteral("netP2p"));
    QVERIFY(state);
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("Not available"), kWait);
    auto *note = page.findChild<QLabel *>(QStringLiteral("netP2pNote"));
    QVERIFY(note && note->text().contains(QStringLiteral("--genesis")));
    QVERIFY(!page.bannedTable()->isVisible());
    QSignalSpy stopped(&node, &node::Node::stopped);
    node.requestStop();
    QTRY_VERIFY_WITH_TIMEOUT(stopped.count() == 1, kWait);
}

void TestNetworkGui::peerAppears()
{
    guiP2pPort_ = freePort();
    node::NodeOptions o;
    o.network = Network::Testnet;
    o.dataDir = dir_.filePath(QStringLiteral("gui"));
    o.rpcPort = freePort();
    o.genesisFile = genesis_;
    o.p2p.bind = kGuiIp;
    o.p2p.port = guiP2pPort_;
    o.p2p.discover = false;
    node_ = std::make_unique<node::Node>(o);
    model_ = std::make_unique<ui::ClientModel>(node_.get());
    window_ = std::make_unique<ui::MainWindow>(model_.get(), theme_.get());
    window_->resize(1280, 1000);  // tall enough that the screenshots show every card
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QVERIFY(node_->startBlocking().ok());
    window_->showPanel(ui::MainWindow::Network);
    page_ = qobject_cast<ui::NetworkPage *>(window_->page(ui::MainWindow::Network));
    QVERIFY(page_);
    QTRY_COMPARE_WITH_TIMEOUT(field(page_, QStringLiteral("netP2p"))->text(), QStringLiteral("Running"), kWait);
    QCOMPARE(field(page_, QStringLiteral("netP2pEndpoint"))->text(), QStringLiteral("%1:%2").arg(kGuiIp).arg(guiP2pPort_));

    // The second node: a real blyand that dials the window's node.
    const QString peerDir = dir_.filePath(QStringLiteral("peer"));
    QVERIFY(QDir().mkpath(peerDir));
    QFile conf(peerDir + QStringLiteral("/blyan.conf"));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("discover=0\n");
    conf.close();
    peerRpcPort_ = freePort();
    peerP2pPort_ = freePort();
    peer_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    peer_.start(bin(QStringLiteral("blyand")),
                {QStringLiteral("--network"), QStringLiteral("testnet"), QStringLiteral("--datadir"), peerDir,
                 QStringLiteral("--rpcport"), QString::number(peerRpcPort_), QStringLiteral("--genesis"), genesis_,
                 QStringLiteral("--bind"), kPeerIp, QStringLiteral("--port"), QString::number(peerP2pPort_),
                 QStringLiteral("--connect"), QStringLiteral("%1:%2").arg(kGuiIp).arg(guiP2pPort_)});
    QVERIFY(peer_.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(page_->peerModel()->rowCount() == 1, kWait);
    QVERIFY(peerAddressInTable().startsWith(kPeerIp + QLatin1Char(':')));
    const QModelIndex dir = page_->peerModel()->index(0, ui::PeerTableModel::Direction);
    QCOMPARE(dir.data().toString(), QStringLiteral("Inbound"));
    // Its Status arrived: height 0 (genesis), final 0.
    QTRY_COMPARE_WITH_TIMEOUT(page_->peerModel()->index(0, ui::PeerTableModel::Height).data().toString(),
                              QStringLiteral("0 (final 0)"), kWait);
    QVERIFY(page_->peerModel()->index(0, ui::PeerTableModel::Agent).data().toString().startsWith(QStringLiteral("blyan/")));
    QTRY_COMPARE_WITH_TIMEOUT(field(page_, QStringLiteral("netConnections"))->text(), QStringLiteral("1 in, 0 out"), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(field(page_, QStringLiteral("netIdentity"))->text().size() == 64, kWait);
}

void TestNetworkGui::graphHasData()
{
    QTRY_VERIFY_WITH_TIMEOUT(page_->trafficChart()->pointCount() > 0 && page_->trafficChart()->peakBytesPerSecond() > 0, kWait);
}

void TestNetworkGui::screenshots()
{
    for (ui::Theme t : {ui::Theme::Light, ui::Theme::Dark}) {
        theme_->setTheme(t);
        page_->refresh();
        QTest::qWait(300);
        shoot(QStringLiteral("network-peers-%1").arg(ui::themeKey(t)));
    }
    theme_->setTheme(ui::Theme::Light);
}

void TestNetworkGui::banAndUnban()
{
    // Ban the peer's address (as `blyan-cli setban` would): it is cut off and listed with an Unban button.
    bool done = false;
    node_->call(QStringLiteral("setban"), QJsonArray{kPeerIp, QStringLiteral("add"), 3600}, this,
                [&](const Expected<QJsonValue> &r) {
                    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
                    done = true;
                });
    QTRY_VERIFY_WITH_TIMEOUT(done, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(page_->bannedTable()->rowCount() == 1, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(page_->peerModel()->rowCount() == 0, kWait);
    QCOMPARE(page_->bannedTable()->item(0, 0)->text(), kPeerIp);
    for (ui::Theme t : {ui::Theme::Light, ui::Theme::Dark}) {
        theme_->setTheme(t);
        QTest::qWait(300);
        shoot(QStringLiteral("network-banned-%1").arg(ui::themeKey(t)));
    }
    theme_->setTheme(ui::Theme::Light);

    auto *unban = page_->findChild<QPushButton *>(QStringLiteral("unban_") + kPeerIp);
    QVERIFY(unban);
    QTest::mouseClick(unban, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page_->bannedTable()->rowCount() == 0, kWait);
    // The peer keeps dialling (--connect, with backoff); dial it back now rather than wait for that.
    node_->call(QStringLiteral("addnode"), QJsonArray{QStringLiteral("%1:%2").arg(kPeerIp).arg(peerP2pPort_), QStringLiteral("onetry")},
                this, [](const Expected<QJsonValue> &r) { QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str()); });
    QTRY_VERIFY_WITH_TIMEOUT(page_->peerModel()->rowCount() == 1, 2 * kWait);
    QVERIFY(peerAddressInTable().startsWith(kPeerIp + QLatin1Char(':')));
}

void TestNetworkGui::cleanupTestCase()
{
    if (peer_.state() != QProcess::NotRunning) {
        QProcess cli;
        cli.start(bin(QStringLiteral("blyan-cli")), {QStringLiteral("--datadir"), dir_.filePath(QStringLiteral("peer")),
                                                    QStringLiteral("--rpcport"), QString::number(peerRpcPort_),
                                                    QStringLiteral("stop")});
        cli.waitForFinished(kWait);
        if (!peer_.waitForFinished(kWait)) peer_.kill();
    }
    if (node_ && node_->isRunning()) {
        QSignalSpy stopped(node_.get(), &node::Node::stopped);
        node_->requestStop();
        QTRY_VERIFY_WITH_TIMEOUT(stopped.count() == 1, kWait);
    }
    window_.reset();
    model_.reset();
}

void TestNetworkGui::shoot(const QString &name)
{
    const QImage img = window_->grab().toImage();
    QVERIFY(!img.isNull());
    const QString file = QStringLiteral("%1/%2.png").arg(screenshotDir(), name);
    QVERIFY2(img.save(file), qPrintable(file));
}

QString TestNetworkGui::peerAddressInTable() const
{
    return page_->peerModel()->index(0, ui::PeerTableModel::Address).data().toString();
}

QTEST_MAIN(TestNetworkGui)
#include "test_network_gui.moc"
