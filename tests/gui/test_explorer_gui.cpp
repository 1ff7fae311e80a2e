// The Explorer and Overview panels end to end, offscreen, on a real devnet Node with an imported
// make-test-model checkpoint (2 layers x 8 experts), a wallet funded by the devnet and one chat (so that
// experts have run). Driven through the widgets as a user would: the blocks list to the block that
// anchored layer0.expert1, its publish_object transaction, the object by the link in the transaction,
// the object's DAG with its edge to the spec; Back; search by name, height, txid, address, a name prefix
// and text that is none of these; the expert grid; the objects tab's filters; the live Overview and its
// links. Screenshots of every view in both themes go to ${build}/screenshots/explorer-*.png and
// overview-live-*.png.

#include "support/gui_test.h"
#include "support/test_support.h"
#include "engine/checkpoint/make_test_model.h"
#include "model/model_service.h"
#include "node/node.h"
#include "ui/client_model.h"
#include "ui/explorer/address_view.h"
#include "ui/explorer/block_list_model.h"
#include "ui/explorer/block_list_view.h"
#include "ui/explorer/block_view.h"
#include "ui/explorer/dag_view.h"
#include "ui/explorer/expert_grid.h"
#include "ui/explorer/explorer_model.h"
#include "ui/explorer/explorer_page.h"
#include "ui/explorer/field_list.h"
#include "ui/explorer/object_list_view.h"
#include "ui/explorer/object_view.h"
#include "ui/explorer/summary_strip.h"
#include "ui/explorer/tx_table_model.h"
#include "ui/explorer/tx_view.h"
#include "ui/icons.h"
#include "ui/main_window.h"
#include "ui/overview_page.h"
#include "ui/theme.h"
#include "util/paths.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QToolButton>
#include <QtTest>

#include <memory>

using namespace blyan;
using blyan::testing::freePort;
using blyan::testing::screenshotDir;
using blyan::testing::settle;

namespace {
// Where the first link of a rich-text label is drawn, found through the same document layout QLabel
// uses, so the click lands on the link's text.
QPoint linkPoint(QLabel *label)
{
    QTextDocument doc;
    doc.setHtml(label->text());
    doc.setDefaultFont(label->font());
    doc.setDocumentMargin(0);
    doc.setTextWidth(label->contentsRect().width());
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it)
            if (it.fragment().charFormat().isAnchor()) {
                QTextCursor c(&doc);
                c.setPosition(it.fragment().position() + 1);
                const QRectF r = doc.documentLayout()->blockBoundingRect(b);
                const QTextLine line = b.layout()->lineForTextPosition(it.fragment().position() - b.position());
                const qreal x = line.cursorToX(it.fragment().position() - b.position() + 1);
                return label->contentsRect().topLeft() + QPoint(int(x) + 2, int(r.top() + line.y() + line.height() / 2));
            }
    return {};
}
}  // namespace

class TestExplorerGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void summaryIsLive();
    void blocksToPublishTransaction();
    void transactionLinksToExpertObject();
    void objectShowsItsDagEdgeToTheSpec();
    void backWalksTheHistory();
    void searchFindsEachKind();
    void searchExplainsWhatIsWrong();
    void addressViewListsTransfers();
    void expertGridShowsVersionsAndUsage();
    void objectsTabFilters();
    void overviewIsLive();
    void screenshots();
    void cleanupTestCase();

private:
    QJsonValue call(const QString &method, const QJsonArray &params);
    ui::ExplorerPage *explorer() const { return window_->explorerPage(); }
    void selectPanel(ui::MainWindow::Panel p);
    void clickTab(int tab);
    void doubleClickRow(QTableView *table, int row);
    void clickLink(QLabel *label);
    void searchFor(const QString &text);
    void shoot(const QString &name, QWidget *w = nullptr);

    QTemporaryDir dir_;
    std::unique_ptr<ui::ThemeManager> theme_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> model_;
    std::unique_ptr<ui::MainWindow> window_;
    QString expertId_, specId_, publishTxid_, walletAddress_, fundingTxid_;
    qint64 publishHeight_ = 0;
};

QJsonValue TestExplorerGui::call(const QString &method, const QJsonArray &params)
{
    bool done = false;
    Expected<QJsonValue> answer = QJsonValue();
    node_->call(method, params, this, [&](const Expected<QJsonValue> &a) {
        answer = a;
        done = true;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 120000); }();
    if (!answer.ok()) qWarning("%s failed: %s", qPrintable(method), answer.error().message.c_str());
    return answer.ok() ? answer.value() : QJsonValue();
}

void TestExplorerGui::initTestCase()
{
    QVERIFY(dir_.isValid());
    theme_ = blyan::testing::initGuiTestEnvironment();
    QVERIFY2(theme_, "cannot create the screenshot folder");

    node::NodeOptions o;
    o.network = Network::Devnet;
    o.dataDir = dir_.filePath(QStringLiteral("node"));
    o.rpcPort = freePort();
    o.p2p.listen = false;  // no P2P port taken: nothing here talks to peers
    QVERIFY(o.rpcPort != 0);
    node_ = std::make_unique<node::Node>(o);
    model_ = std::make_unique<ui::ClientModel>(node_.get());
    window_ = std::make_unique<ui::MainWindow>(model_.get(), theme_.get());
    window_->resize(1280, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    node_->start();
    QTRY_COMPARE_WITH_TIMEOUT(model_->status().state, node::NodeState::Running, 60000);

    // The model: a spec on chain A and 23 components on chain B that depend on it.
    engine::TestModelSpec spec;
    spec.seed = 7;
    const QString ck = dir_.filePath(QStringLiteral("model"));
    engine::makeTestModel(spec, ck.toStdString());
    QVERIFY(node_->importModel(ck).ok());
    QTRY_VERIFY_WITH_TIMEOUT(node_->model().importProgress().phase == model::ImportProgress::Phase::Done, 180000);

    // A wallet: the devnet funds it with a transfer from the validator.
    const QString words = call(QStringLiteral("generatemnemonic"), {}).toString();
    QVERIFY(!words.isEmpty());
    QVERIFY(call(QStringLiteral("createwallet"), {QStringLiteral("explorer test passphrase"), words}).isObject());
    QTRY_VERIFY_WITH_TIMEOUT(model_->status().walletAvailableUnits > 0, 60000);
    const QJsonObject info = call(QStringLiteral("getwalletinfo"), {}).toObject();
    walletAddress_ = info.value(QStringLiteral("addresses")).toArray().first().toObject().value(QStringLiteral("address")).toString();
    fundingTxid_ = call(QStringLiteral("listtransactions"), {1}).toArray().first().toObject().value(QStringLiteral("txid")).toString();
    QVERIFY(!fundingTxid_.isEmpty());

    // One short chat, so that the grid has usage (prompt ids: the test model has no tokenizer).
    const QJsonObject chat = call(QStringLiteral("chat"),
                                  {QJsonValue(), QJsonObject{{QStringLiteral("prompt_ids"), QJsonArray{1, 2, 3, 4, 5}},
                                                             {QStringLiteral("greedy"), true},
                                                             {QStringLiteral("max_tokens"), 6},
                                                             {QStringLiteral("ignore_eos"), true}}})
                                 .toObject();
    QVERIFY(!chat.value(QStringLiteral("result")).toObject().value(QStringLiteral("experts")).toArray().isEmpty());

    const QJsonObject links = call(QStringLiteral("getobjectlinks"), {QStringLiteral("layer0.expert1")}).toObject();
    expertId_ = links.value(QStringLiteral("id")).toString();
    publishTxid_ = links.value(QStringLiteral("anchor")).toObject().value(QStringLiteral("txid")).toString();
    publishHeight_ = qint64(links.value(QStringLiteral("anchor")).toObject().value(QStringLiteral("blockheight")).toDouble());
    specId_ = call(QStringLiteral("getobject"), {QStringLiteral("model.spec")}).toObject().value(QStringLiteral("id")).toString();
    QVERIFY(!expertId_.isEmpty() && !publishTxid_.isEmpty() && !specId_.isEmpty() && publishHeight_ > 0);
}

void TestExplorerGui::selectPanel(ui::MainWindow::Panel p)
{
    QListWidget *list = window_->sidebar();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(p)).center());
    QTRY_COMPARE(window_->currentPanel(), p);
}

void TestExplorerGui::clickTab(int tab)
{
    bool home = false;
    for (int i = 0; i < explorer()->tabs()->count(); ++i) home |= explorer()->currentView() == explorer()->tabs()->widget(i);
    if (!home) QTest::mouseClick(window_->findChild<QToolButton *>(QStringLiteral("ExplorerHome")), Qt::LeftButton);
    QTabBar *bar = explorer()->tabs()->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(tab).center());
    QTRY_COMPARE(explorer()->tabs()->currentIndex(), tab);
    QTRY_COMPARE(explorer()->currentView(), explorer()->tabs()->widget(tab));
}

void TestExplorerGui::doubleClickRow(QTableView *table, int row)
{
    const QModelIndex i = table->model()->index(row, 1);
    table->scrollTo(i);
    settle();
    const QPoint at = table->visualRect(i).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
}

void TestExplorerGui::clickLink(QLabel *label)
{
    QVERIFY(label);
    settle();
    const QPoint at = linkPoint(label);
    QVERIFY2(!at.isNull(), qPrintable(label->text()));
    QTest::mouseClick(label, Qt::LeftButton, {}, at);
}

void TestExplorerGui::searchFor(const QString &text)
{
    QLineEdit *box = explorer()->searchBox();
    box->clear();
    QTest::keyClicks(box, text);
    QTest::keyClick(box, Qt::Key_Return);
}

void TestExplorerGui::shoot(const QString &name, QWidget *w)
{
    for (ui::Theme t : {ui::Theme::Light, ui::Theme::Dark}) {
        theme_->setTheme(t);
        QTest::qWait(60);  // layouts and the DAG's repaint
        settle();
        const QImage img = (w ? w : window_.get())->grab().toImage();
        QVERIFY(!img.isNull());
        const QString file = QStringLiteral("%1/%2-%3.png").arg(screenshotDir(), name, ui::themeKey(t));
        QVERIFY2(img.save(file), qPrintable(file));
    }
    theme_->setTheme(ui::Theme::Light);
}

void TestExplorerGui::summaryIsLive()
{
    selectPanel(ui::MainWindow::Explorer);
    const qint64 height = qint64(call(QStringLiteral("getblockcount"), {}).toDouble());
    QVERIFY(height >= publishHeight_);
    auto *strip = window_->findChild<ui::SummaryStrip *>();
    QVERIFY(strip);
    QTRY_VERIFY_WITH_TIMEOUT(strip->tile(QStringLiteral("height"))->text().remove(QLatin1Char(',')).toLongLong() >= height, 10000);
    QTRY_VERIFY(strip->tile(QStringLiteral("supply"))->text().endsWith(QStringLiteral("BLY")));
    QTRY_VERIFY(strip->tile(QStringLiteral("rate"))->text() != QStringLiteral("—"));
    QVERIFY(strip->tile(QStringLiteral("rateDetail"))->text().contains(QStringLiteral("last")));
    QCOMPARE(strip->tile(QStringLiteral("finalDetail"))->text(), QStringLiteral("every block is final"));
}

void TestExplorerGui::blocksToPublishTransaction()
{
    clickTab(ui::ExplorerPage::BlocksTab);
    ui::BlockListModel *blocks = explorer()->blockList()->model();
    QTRY_VERIFY(blocks->hasTip());
    const int row = blocks->rowForHeight(quint64(publishHeight_));
    QVERIFY(row >= 0);
    QTableView *table = explorer()->blockList()->table();
    table->scrollTo(blocks->index(row, 0));
    QTRY_VERIFY_WITH_TIMEOUT(blocks->data(blocks->index(row, 0), ui::BlockListModel::LoadedRole).toBool(), 10000);
    QVERIFY(blocks->block(row)->txCount > 0);
    doubleClickRow(table, row);

    ui::BlockView *view = explorer()->blockView();
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(view));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading(), 10000);
    QCOMPARE(view->status(), QString());
    QCOMPARE(view->height(), quint64(publishHeight_));
    QVERIFY(view->title().contains(QLocale().toString(publishHeight_)));
    QCOMPARE(view->fields()->value(QStringLiteral("hash"))->text(), call(QStringLiteral("getblockhash"), {publishHeight_}).toString());
    QVERIFY(view->fields()->value(QStringLiteral("parent"))->text().contains(QStringLiteral("href=\"block:")));
    QVERIFY(view->fields()->value(QStringLiteral("signature"))->text().size() >= 128);
    const int txRow = view->transactions()->rowOfObject(QStringLiteral("layer0.expert1"));
    QVERIFY(txRow >= 0);
    QCOMPARE(view->transactions()->data(view->transactions()->index(txRow, 0), ui::TxTableModel::TxidRole).toString(), publishTxid_);
    doubleClickRow(view->transactionsView(), txRow);

    ui::TxView *tx = explorer()->txView();
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(tx));
    QTRY_VERIFY_WITH_TIMEOUT(!tx->isLoading(), 10000);
    QCOMPARE(tx->kind(), QStringLiteral("publish_object"));
    QCOMPARE(tx->fields()->value(QStringLiteral("txid"))->text(), publishTxid_);
    QVERIFY(tx->fields()->value(QStringLiteral("block"))->text().contains(QLocale().toString(publishHeight_)));
    QVERIFY(tx->body()->value(QStringLiteral("objectName"))->text().contains(QStringLiteral("layer0.expert1")));
    QVERIFY(tx->body()->value(QStringLiteral("objectId"))->text().contains(expertId_));
    QCOMPARE(tx->body()->value(QStringLiteral("objectKind"))->text(), QStringLiteral("expert"));
    // Its dependency is named once the chain answered.
    QTRY_VERIFY(tx->body()->value(QStringLiteral("dependsOn"))->text().contains(QStringLiteral("model.spec")));
    QVERIFY(!tx->body()->value(QStringLiteral("to"))->isVisible());
}

void TestExplorerGui::transactionLinksToExpertObject()
{
    clickLink(explorer()->txView()->body()->value(QStringLiteral("objectName")));
    ui::ObjectView *view = explorer()->objectView();
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(view));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading(), 10000);
    QCOMPARE(view->status(), QString());
    QCOMPARE(view->objectName(), QStringLiteral("layer0.expert1"));
    QCOMPARE(view->objectId(), expertId_);
    QCOMPARE(view->fields()->value(QStringLiteral("kind"))->text(), QStringLiteral("expert"));
    QVERIFY(view->fields()->value(QStringLiteral("head"))->text().startsWith(QStringLiteral("Yes")));
    QVERIFY(view->fields()->value(QStringLiteral("tx"))->text().contains(publishTxid_));
    QVERIFY(view->fields()->value(QStringLiteral("payload"))->text().startsWith(QStringLiteral("Yes")));
    QVERIFY(view->links()->value(QStringLiteral("dependsOn"))->text().contains(QStringLiteral("model.spec")));
    // How often it ran in this node's chats (the grid's figure for it).
    QTRY_VERIFY(view->fields()->value(QStringLiteral("usage"))->isVisible());
    QVERIFY(view->fields()->value(QStringLiteral("usage"))->text().contains(QStringLiteral("Layer 0, expert 1")));
}

void TestExplorerGui::objectShowsItsDagEdgeToTheSpec()
{
    QPushButton *dag = explorer()->objectView()->dagButton();
    QVERIFY(dag->isEnabled());
    QTest::mouseClick(dag, Qt::LeftButton);
    ui::DagView *view = explorer()->dagView();
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(view));
    QTRY_VERIFY_WITH_TIMEOUT(view->isBuilt(), 20000);
    QTRY_COMPARE(view->selectedId(), expertId_);
    const QJsonArray all = call(QStringLiteral("listobjects"), {QJsonValue(), 10000}).toArray();
    QCOMPARE(view->nodeCount(), int(all.size()));
    int edges = 0;
    for (const QJsonValue &v : all) edges += int(v.toObject().value(QStringLiteral("depends_on")).toArray().size());
    QCOMPARE(view->edgeCount(), edges);
    QVERIFY(view->hasEdge(expertId_, specId_));
    QVERIFY(!view->hasEdge(specId_, expertId_));
    QCOMPARE(view->highlightedEdges(), QStringList{expertId_ + QLatin1Char('>') + specId_});
    // A click on the spec selects it: every component's edge to it lights up.
    view->centreOn(specId_);
    QPoint at = view->nodeViewportPos(specId_);
    QVERIFY(view->view()->viewport()->rect().contains(at));
    QTest::mouseClick(view->view()->viewport(), Qt::LeftButton, {}, at);
    QTRY_COMPARE(view->selectedId(), specId_);
    QCOMPARE(int(view->highlightedEdges().size()), int(all.size()) - 2);  // all but the spec and the genesis pact
    // Zoom works both ways.
    const double z = view->view()->zoom();
    QTest::mouseClick(window_->findChild<QToolButton *>(QStringLiteral("DagZoomIn")), Qt::LeftButton);
    QVERIFY(view->view()->zoom() > z);
    QTest::mouseClick(window_->findChild<QToolButton *>(QStringLiteral("DagZoomOut")), Qt::LeftButton);
    QVERIFY(qAbs(view->view()->zoom() - z) < 1e-6);
    // Double-click opens the object.
    view->centreOn(expertId_);
    at = view->nodeViewportPos(expertId_);
    QTest::mouseDClick(view->view()->viewport(), Qt::LeftButton, {}, at);
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->objectView()));
    QTRY_COMPARE(explorer()->objectView()->objectId(), expertId_);
}

void TestExplorerGui::backWalksTheHistory()
{
    auto *back = window_->findChild<QToolButton *>(QStringLiteral("ExplorerBack"));
    QVERIFY(back->isEnabled());
    QTest::mouseClick(back, Qt::LeftButton);  // the DAG
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->dagView()));
    QTest::mouseClick(back, Qt::LeftButton);  // the object
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->objectView()));
    QTest::mouseClick(back, Qt::LeftButton);  // the transaction
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->txView()));
    QTRY_COMPARE(explorer()->txView()->fields()->value(QStringLiteral("txid"))->text(), publishTxid_);
    QTest::mouseClick(back, Qt::LeftButton);  // the block
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->blockView()));
    QTRY_COMPARE(explorer()->blockView()->height(), quint64(publishHeight_));
}

void TestExplorerGui::searchFindsEachKind()
{
    searchFor(QStringLiteral("Layer0.Expert1"));  // names are lower case; what people type may not be
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->objectView()));
    QTRY_COMPARE(explorer()->objectView()->objectId(), expertId_);
    QCOMPARE(explorer()->searchMessage(), QString());

    searchFor(QStringLiteral("1"));
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->blockView()));
    QTRY_COMPARE(explorer()->blockView()->height(), quint64(1));

    searchFor(publishTxid_.toUpper());
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->txView()));
    QTRY_COMPARE(explorer()->txView()->fields()->value(QStringLiteral("txid"))->text(), publishTxid_);

    searchFor(call(QStringLiteral("getblockhash"), {publishHeight_}).toString());
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->blockView()));
    QTRY_COMPARE(explorer()->blockView()->height(), quint64(publishHeight_));

    searchFor(specId_);
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->objectView()));
    QTRY_COMPARE(explorer()->objectView()->objectName(), QStringLiteral("model.spec"));
    QTRY_VERIFY(explorer()->objectView()->links()->value(QStringLiteral("dependants"))->text().contains(QStringLiteral("more")));

    searchFor(walletAddress_);
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->addressView()));

    // A prefix lists the names that start with it; a click opens one.
    searchFor(QStringLiteral("layer1."));
    QTRY_VERIFY(explorer()->searchMessage().contains(QStringLiteral("layer1.expert7")));
    QVERIFY(explorer()->searchMessage().contains(QStringLiteral("layer1.router")));
    clickLink(window_->findChild<QLabel *>(QStringLiteral("ExplorerSearchMessage")));
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->objectView()));
    QTRY_VERIFY(explorer()->objectView()->objectName().startsWith(QStringLiteral("layer1.")));
}

void TestExplorerGui::searchExplainsWhatIsWrong()
{
    const auto expect = [this](const QString &text, const QString &part) {
        searchFor(text);
        QTRY_VERIFY2_WITH_TIMEOUT(explorer()->searchMessage().contains(part), qPrintable(explorer()->searchMessage()), 10000);
        QCOMPARE(window_->findChild<QLabel *>(QStringLiteral("ExplorerSearchMessage"))->property("tone").toString(),
                 QStringLiteral("error"));
    };
    expect(QStringLiteral("hello world"), QStringLiteral("none of the things the explorer can find"));
    expect(QStringLiteral("99999999"), QStringLiteral("no block at height 99999999 yet"));
    expect(QStringLiteral("abcdef12"), QStringLiteral("looks like part of a hash"));
    expect(QString(64, QLatin1Char('a')), QStringLiteral("No block, transaction or object"));
    expect(QStringLiteral("dbly1qqqqqqqqqqq"), QStringLiteral("not a valid address"));
    expect(QStringLiteral("nosuchname"), QStringLiteral("No object is named"));
    expect(QString(), QStringLiteral("Type what to look for"));
}

void TestExplorerGui::addressViewListsTransfers()
{
    explorer()->showAddress(walletAddress_);
    ui::AddressView *view = explorer()->addressView();
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(view));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading(), 10000);
    QCOMPARE(view->status(), QString());
    QCOMPARE(view->fields()->value(QStringLiteral("balance"))->text(), QStringLiteral("10,000 BLY"));
    QCOMPARE(view->transactions()->rowCount(), 1);
    QCOMPARE(view->transactions()->tx(0).value(QStringLiteral("txid")).toString(), fundingTxid_);
    QCOMPARE(view->transactions()->tx(0).value(QStringLiteral("direction")).toString(), QStringLiteral("received"));
    QVERIFY(!view->olderButton()->isVisible());
    doubleClickRow(window_->findChild<QTableView *>(QStringLiteral("AddressTransactions")), 0);
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->txView()));
    QTRY_COMPARE(explorer()->txView()->kind(), QStringLiteral("transfer"));
    QVERIFY(explorer()->txView()->body()->value(QStringLiteral("to"))->text().contains(walletAddress_));
    QCOMPARE(explorer()->txView()->body()->value(QStringLiteral("amount"))->text(), QStringLiteral("10,000 BLY"));
    // The sender (the validator) by its link.
    clickLink(explorer()->txView()->fields()->value(QStringLiteral("from")));
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(view));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->transactions()->rowCount() > 20, 10000);  // the import's publishes
}

void TestExplorerGui::expertGridShowsVersionsAndUsage()
{
    clickTab(ui::ExplorerPage::ExpertsTab);
    ui::ExpertGridView *grid = explorer()->expertGrid();
    QTRY_VERIFY_WITH_TIMEOUT(grid->isLoaded() && grid->model()->layers() == 2, 10000);
    QCOMPARE(grid->model()->experts(), 8);
    const ui::ExpertCell &cell = grid->model()->cell(0, 1);
    QVERIFY(cell.present);
    QCOMPARE(cell.name, QStringLiteral("layer0.expert1"));
    QCOMPARE(cell.id, expertId_);
    QCOMPARE(cell.versions, quint64(1));
    QCOMPARE(qint64(cell.headHeight), publishHeight_);
    // Usage: the chat's record of experts, summed per object.
    const QJsonObject chat = call(QStringLiteral("getexpertgrid"), {}).toObject();
    QVERIFY(grid->model()->usageTotal() > 0);
    QCOMPARE(qint64(grid->model()->usageTotal()), qint64(chat.value(QStringLiteral("usage_total")).toDouble()));
    quint64 sum = 0;
    for (int l = 0; l < 2; ++l)
        for (int e = 0; e < 8; ++e) sum += grid->model()->cell(l, e).usage;
    QCOMPARE(sum, grid->model()->usageTotal());
    QVERIFY(grid->model()->index(0, 1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("1 version")));
    auto *shade = window_->findChild<QComboBox *>(QStringLiteral("ExpertShade"));
    shade->setCurrentIndex(1);
    QCOMPARE(grid->model()->index(0, 1).data().toString(), QStringLiteral("v1"));
    shade->setCurrentIndex(0);
    doubleClickRow(grid->table(), 0);  // row = layer 0; doubleClickRow uses column 1 = expert 1
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->objectView()));
    QTRY_COMPARE(explorer()->objectView()->objectId(), expertId_);
}

void TestExplorerGui::objectsTabFilters()
{
    clickTab(ui::ExplorerPage::ObjectsTab);
    ui::ObjectListView *list = explorer()->objectList();
    QTRY_VERIFY_WITH_TIMEOUT(list->table()->model()->rowCount() >= 25, 10000);
    const int all = list->table()->model()->rowCount();
    list->chainBox()->setCurrentIndex(list->chainBox()->findData(QStringLiteral("A")));
    QCOMPARE(list->table()->model()->rowCount(), 2);  // the genesis pact and the spec
    list->chainBox()->setCurrentIndex(list->chainBox()->findData(QStringLiteral("B")));
    QCOMPARE(list->table()->model()->rowCount(), all - 2);
    QTest::keyClicks(list->nameFilter(), QStringLiteral("expert1"));
    QCOMPARE(list->table()->model()->rowCount(), 2);  // layer0.expert1, layer1.expert1
    list->nameFilter()->clear();
    list->chainBox()->setCurrentIndex(0);
    QCOMPARE(list->table()->model()->rowCount(), all);
}

void TestExplorerGui::overviewIsLive()
{
    selectPanel(ui::MainWindow::Overview);
    ui::OverviewPage *ov = window_->overviewPage();
    QTRY_COMPARE(ov->field(QStringLiteral("balance"))->text(), QStringLiteral("10,000 BLY"));
    QTRY_VERIFY(ov->field(QStringLiteral("sync"))->text().contains(QStringLiteral("Up to date")));
    QTRY_VERIFY_WITH_TIMEOUT(ov->field(QStringLiteral("modelName"))->text().contains(QStringLiteral("2 layers")), 15000);
    QVERIFY(ov->field(QStringLiteral("modelChain"))->text().contains(specId_));
    QVERIFY(ov->field(QStringLiteral("modelComponents"))->text().contains(QStringLiteral("16 experts")));
    QTRY_VERIFY(ov->field(QStringLiteral("modelLoaded"))->text().startsWith(QStringLiteral("Yes")));  // the chat loaded it
    QTRY_VERIFY(ov->field(QStringLiteral("modelCache"))->text().contains(QStringLiteral("hits")));
    QTRY_VERIFY(ov->recentBlocks()->text().contains(QStringLiteral("Block ")));
    QTRY_VERIFY(ov->recentTransactions()->text().contains(fundingTxid_));
    // A new block shows up by itself: a send makes one.
    const qint64 before = qint64(model_->status().chainHeight);
    QVERIFY(call(QStringLiteral("walletpassphrase"), {QStringLiteral("explorer test passphrase"), 60}).isObject());
    const QString second = call(QStringLiteral("getnewaddress"), {}).toString();
    const QString sent = call(QStringLiteral("sendtoaddress"), {second, QStringLiteral("1")}).toString();
    QVERIFY(!sent.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(ov->recentTransactions()->text().contains(sent), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(qint64(model_->status().chainHeight) > before, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(ov->recentBlocks()->text().contains(QStringLiteral("Block %1").arg(QLocale().toString(before + 1))), 10000);
    // Its links lead into the Explorer.
    clickLink(ov->recentBlocks());
    QTRY_COMPARE(window_->currentPanel(), ui::MainWindow::Explorer);
    QTRY_COMPARE(explorer()->currentView(), static_cast<QWidget *>(explorer()->blockView()));
}

void TestExplorerGui::screenshots()
{
    selectPanel(ui::MainWindow::Explorer);
    clickTab(ui::ExplorerPage::BlocksTab);
    shoot(QStringLiteral("explorer-blocks"));
    explorer()->showBlock(QString::number(publishHeight_));
    QTRY_VERIFY(!explorer()->blockView()->isLoading());
    shoot(QStringLiteral("explorer-block"));
    explorer()->showTransaction(publishTxid_);
    QTRY_VERIFY(explorer()->txView()->body()->value(QStringLiteral("dependsOn"))->text().contains(QStringLiteral("model.spec")));
    shoot(QStringLiteral("explorer-transaction"));
    explorer()->showObject(QStringLiteral("layer0.expert1"));
    QTRY_VERIFY(!explorer()->objectView()->isLoading());
    shoot(QStringLiteral("explorer-object"));
    explorer()->openLink(QStringLiteral("dag:") + expertId_);
    QTRY_VERIFY(explorer()->dagView()->isBuilt());
    shoot(QStringLiteral("explorer-dag"));
    explorer()->dagView()->view()->fitInView(explorer()->dagView()->view()->sceneRect(), Qt::KeepAspectRatio);
    shoot(QStringLiteral("explorer-dag-fit"));
    clickTab(ui::ExplorerPage::ExpertsTab);
    shoot(QStringLiteral("explorer-experts"));
    clickTab(ui::ExplorerPage::ObjectsTab);
    shoot(QStringLiteral("explorer-objects"));
    explorer()->showAddress(walletAddress_);
    QTRY_VERIFY(!explorer()->addressView()->isLoading());
    shoot(QStringLiteral("explorer-address"));
    searchFor(QStringLiteral("hello world"));
    QTRY_VERIFY(!explorer()->searchMessage().isEmpty());
    shoot(QStringLiteral("explorer-search-error"));
    selectPanel(ui::MainWindow::Overview);
    shoot(QStringLiteral("overview-live"));
}

void TestExplorerGui::cleanupTestCase()
{
    QSignalSpy stopped(node_.get(), &node::Node::stopped);
    node_->requestStop();
    QVERIFY(stopped.wait(60000) || stopped.count() == 1);
    window_.reset();
}

QTEST_MAIN(TestExplorerGui)
#include "test_explorer_gui.moc"
