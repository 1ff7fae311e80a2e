// The Governance panel end to end, offscreen, on a real devnet Node in a temporary data dir, driven
// through its widgets: the validator (the node key) and the wallet stake; a signal proposal from the
// validator is listed and voted on; the new-proposal form refuses a value outside the hard bounds and
// then opens a parameter change from the wallet; the wallet is locked, a click on "Yes" asks for the
// passphrase and votes, and the tally bar moves; the validator's "no" moves it again; the wallet changes
// its vote to abstain; My votes lists it; the signal proposal closes at its end height. Screenshots of
// every step in both themes go to ${build}/screenshots/governance-*.png.

#include "support/gui_test.h"
#include "support/test_support.h"
#include "chain/address.h"
#include "chain/tx_kinds/governance_proposal.h"
#include "chain/tx_kinds/governance_vote.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "node/node.h"
#include "node/node_chain.h"
#include "ui/client_model.h"
#include "ui/governance/create_proposal_dialog.h"
#include "ui/governance/governance_model.h"
#include "ui/governance/governance_page.h"
#include "ui/governance/governance_tabs.h"
#include "ui/governance/proposal_detail.h"
#include "ui/governance/proposal_list_model.h"
#include "ui/governance/tally_bar.h"
#include "ui/icons.h"
#include "ui/main_window.h"
#include "ui/theme.h"
#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_model.h"
#include "util/paths.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace blyan;
using blyan::testing::freePort;
using blyan::testing::screenshotDir;
using blyan::testing::settle;
using chain::kCoin;

namespace {
quint64 units(const QJsonValue &a) { return a.toObject().value(QStringLiteral("units")).toString().toULongLong(); }
}  // namespace

class TestGovernanceGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void panelListsProposals();
    void createFormValidatesAndCreates();
    void voteThroughUnlockMovesTheTally();
    void othersVotesAndAChangedVoteMoveItAgain();
    void myVotesAndRules();
    void proposalClosesAtItsEndHeight();
    void cleanupTestCase();

private:
    Expected<QJsonValue> call(const QString &method, const QJsonArray &params);
    QJsonValue ok(const QString &method, const QJsonArray &params);
    qint64 height() { return qint64(ok(QStringLiteral("getblockcount"), {}).toDouble()); }
    // Signs `body` with the validator (node key) and waits until a block has taken it.
    template <typename Body>
    QString sendFromValidator(const Body &body);
    void shoot(QWidget *w, const QString &name);
    void shootBothThemes(QWidget *w, const QString &name);
    ui::GovernancePage *page() const { return qobject_cast<ui::GovernancePage *>(window_->page(ui::MainWindow::Governance)); }
    ui::ProposalDetail *detail() const { return page()->detail(); }

    QTemporaryDir dir_;
    std::unique_ptr<ui::ThemeManager> theme_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> model_;
    std::unique_ptr<ui::MainWindow> window_;
    crypto::KeyPair validator_ = crypto::KeyPair::generate();
    const QString passphrase_ = QStringLiteral("governance gui passphrase");
    QString signal_, change_;
};

Expected<QJsonValue> TestGovernanceGui::call(const QString &method, const QJsonArray &params)
{
    bool done = false;
    Expected<QJsonValue> answer = QJsonValue();
    node_->call(method, params, this, [&](const Expected<QJsonValue> &a) {
        answer = a;
        done = true;
    });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 120000); }();
    return answer;
}

QJsonValue TestGovernanceGui::ok(const QString &method, const QJsonArray &params)
{
    auto a = call(method, params);
    if (!a.ok()) qWarning("%s: %s", qPrintable(method), a.error().message.c_str());
    return a.ok() ? a.value() : QJsonValue(QJsonValue::Undefined);
}

template <typename Body>
QString TestGovernanceGui::sendFromValidator(const Body &body)
{
    const QString addr = QString::fromStdString(chain::formatAddress(Network::Devnet, validator_.publicKey()));
    const auto nonce = ok(QStringLiteral("getbalance"), {addr}).toObject().value(QStringLiteral("nonce")).toString().toULongLong();
    chain::Transaction tx = chain::makeTransaction(networkParams(Network::Devnet).networkId, nonce, 100'000, body);
    chain::signTransaction(tx, validator_);
    const qint64 before = height();
    const QString txid = ok(QStringLiteral("sendrawtransaction"), {QString::fromStdString(toHex(chain::encodeTransaction(tx)))}).toString();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(height() > before && ok(QStringLiteral("getrawmempool"), {}).toArray().isEmpty(), 30000); }();
    return txid;
}

void TestGovernanceGui::shoot(QWidget *w, const QString &name)
{
    settle();
    const QImage img = w->grab().toImage();
    QVERIFY(!img.isNull());
    const QString file = QStringLiteral("%1/governance-%2-%3.png").arg(screenshotDir(), name, ui::themeKey(theme_->theme()));
    QVERIFY2(img.save(file), qPrintable(file));
}

void TestGovernanceGui::shootBothThemes(QWidget *w, const QString &name)
{
    for (ui::Theme t : {ui::Theme::Light, ui::Theme::Dark}) {
        theme_->setTheme(t);
        shoot(w, name);
    }
    theme_->setTheme(ui::Theme::Light);
}

void TestGovernanceGui::initTestCase()
{
    QVERIFY(dir_.isValid());
    theme_ = blyan::testing::initGuiTestEnvironment();
    QVERIFY2(theme_, "cannot create the screenshot folder");
    node::NodeOptions o;
    o.network = Network::Devnet;
    o.dataDir = dir_.path();
    o.rpcPort = freePort();
    o.p2p.listen = false;
    node_ = std::make_unique<node::Node>(o);
    model_ = std::make_unique<ui::ClientModel>(node_.get());
    window_ = std::make_unique<ui::MainWindow>(model_.get(), theme_.get());
    window_->resize(1280, 960);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    node_->start();
    QTRY_COMPARE_WITH_TIMEOUT(model_->status().state, node::NodeState::Running, 60000);
    auto kp = node::loadOrCreateNodeKey(dir_.filePath(QStringLiteral("node.key")));
    QVERIFY(kp.ok());
    validator_ = std::move(*kp);

    // A wallet (the devnet funds it) that stakes 4,000 BLY; the validator stakes 6,000 BLY.
    const QString words = ok(QStringLiteral("generatemnemonic"), {}).toString();
    QVERIFY(ok(QStringLiteral("createwallet"), {passphrase_, words}).isObject());
    QTRY_VERIFY_WITH_TIMEOUT(window_->walletModel()->info().available > 0, 60000);
    QVERIFY(ok(QStringLiteral("stake"), {QStringLiteral("4000")}).isString());
    sendFromValidator(chain::StakeBody{6'000 * kCoin});
    QTRY_VERIFY_WITH_TIMEOUT(window_->walletModel()->info().staked == 4'000 * kCoin, 30000);

    // A signal proposal from the validator, with its yes vote.
    chain::GovernanceProposalBody signal;
    signal.title = "Publish a monthly network report";
    signal.text = "Stakers ask the core team to publish uptime, rewards paid and the model's measured loss every month.";
    signal.deposit = 10 * kCoin;
    signal_ = sendFromValidator(signal);
    chain::GovernanceVoteBody yes;
    yes.proposal = *crypto::hashFromHex(signal_.toStdString());
    sendFromValidator(yes);
}

void TestGovernanceGui::panelListsProposals()
{
    QListWidget *list = window_->sidebar();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(ui::MainWindow::Governance)).center());
    QTRY_COMPARE(window_->currentPanel(), ui::MainWindow::Governance);
    QVERIFY(page());
    QTRY_VERIFY_WITH_TIMEOUT(page()->listModel()->rowCount() == 1, 30000);
    QCOMPARE(page()->listModel()->idAt(0), signal_);
    // The first proposal is selected and shown in full.
    QTRY_COMPARE_WITH_TIMEOUT(detail()->proposalId(), signal_, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!detail()->detail().isEmpty(), 30000);
    QCOMPARE(detail()->turnoutBar()->figures().yes, 6'000 * kCoin);
    QCOMPARE(detail()->turnoutBar()->figures().total, 10'000 * kCoin);
    QCOMPARE(detail()->turnoutBar()->figures().quorumPercent, 20);
    QVERIFY(window_->findChild<QLabel *>(QStringLiteral("GovernanceSummary"))->text().contains(QStringLiteral("1 open of 1")));
}

void TestGovernanceGui::createFormValidatesAndCreates()
{
    QTRY_VERIFY(page()->model()->info().loaded);
    QTest::mouseClick(window_->findChild<QPushButton *>(QStringLiteral("NewProposalButton")), Qt::LeftButton);
    QPointer<ui::CreateProposalDialog> dlg;
    QTRY_VERIFY((dlg = window_->findChild<ui::CreateProposalDialog *>()) && dlg->isVisible());
    auto *kind = dlg->findChild<QComboBox *>(QStringLiteral("ProposalKind"));
    kind->setCurrentIndex(kind->findData(QStringLiteral("parameter_change")));
    auto *param = dlg->findChild<QComboBox *>(QStringLiteral("ProposalParam"));
    param->setCurrentIndex(param->findData(QStringLiteral("fee_burn_percent")));
    QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("ProposalTitle")), QStringLiteral("Burn 70 % of every fee"));
    dlg->findChild<QPlainTextEdit *>(QStringLiteral("ProposalText"))
        ->setPlainText(QStringLiteral("Fees are the only sink of BLY today. Burning 70 % instead of 50 % offsets more of the "
                                      "emission while still paying the reward pool.\n\nThe hard bounds keep it within 10-90 %."));
    auto *value = dlg->findChild<QLineEdit *>(QStringLiteral("ProposalValue"));
    auto *submit = dlg->findChild<QPushButton *>(QStringLiteral("SubmitProposal"));
    auto *detailStatus = dlg->findChild<QLabel *>(QStringLiteral("ProposalDetailStatus"));
    // Outside the hard bounds: explained, and nothing can be submitted.
    QTest::keyClicks(value, QStringLiteral("95"));
    QVERIFY(detailStatus->text().contains(QStringLiteral("hard bounds")));
    QVERIFY(!submit->isEnabled());
    shootBothThemes(dlg, QStringLiteral("create-invalid"));
    value->clear();
    QTest::keyClicks(value, QStringLiteral("70"));
    QVERIFY(detailStatus->text().isEmpty());
    QTRY_VERIFY(submit->isEnabled());
    shootBothThemes(dlg, QStringLiteral("create"));
    QTest::mouseClick(submit, Qt::LeftButton);  // the wallet is still unlocked from createwallet
    QTRY_VERIFY_WITH_TIMEOUT(dlg.isNull() || !dlg->isVisible(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(page()->listModel()->rowCount() == 2, 30000);
    change_ = page()->listModel()->idAt(0);  // newest first
    QTRY_COMPARE_WITH_TIMEOUT(detail()->proposalId(), change_, 10000);  // the form selected it
    QTRY_VERIFY_WITH_TIMEOUT(!detail()->detail().isEmpty() && detail()->detail().value(QStringLiteral("id")).toString() == change_, 30000);
    QCOMPARE(detail()->detail().value(QStringLiteral("action")).toObject().value(QStringLiteral("value")).toInt(), 70);
    QCOMPARE(detail()->turnoutBar()->figures().yes, quint64(0));
}

void TestGovernanceGui::voteThroughUnlockMovesTheTally()
{
    QVERIFY(ok(QStringLiteral("walletlock"), {}).isBool());
    QTRY_COMPARE_WITH_TIMEOUT(window_->walletModel()->info().state, QStringLiteral("locked"), 10000);
    QPushButton *yes = detail()->voteButton(QStringLiteral("yes"));
    QTRY_VERIFY(yes->isEnabled());
    shootBothThemes(window_.get(), QStringLiteral("before-vote"));
    QTest::mouseClick(yes, Qt::LeftButton);
    // Locked: the passphrase first.
    QPointer<ui::UnlockDialog> unlock;
    QTRY_VERIFY((unlock = window_->findChild<ui::UnlockDialog *>()) && unlock->isVisible());
    QTest::keyClicks(unlock->findChild<QLineEdit *>(QStringLiteral("UnlockPassphrase")), passphrase_);
    QTest::mouseClick(unlock->findChild<QPushButton *>(QStringLiteral("UnlockButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(unlock.isNull() || !unlock->isVisible(), 30000);
    // The vote goes out and the next block moves the tally: the bar, the list row and the legend.
    QTRY_COMPARE_WITH_TIMEOUT(detail()->turnoutBar()->figures().yes, 4'000 * kCoin, 30000);
    QVERIFY(window_->findChild<QLabel *>(QStringLiteral("VoteStatus"))->text().contains(QStringLiteral("Voted Yes")));
    const int row = page()->listModel()->rowOf(change_);
    const auto figures = page()->listModel()->index(row, ui::ProposalListModel::TallyColumn).data(ui::TallyDelegate::TallyRole).value<ui::TallyFigures>();
    QCOMPARE(figures.yes, 4'000 * kCoin);
    QTRY_VERIFY_WITH_TIMEOUT(window_->findChild<QLabel *>(QStringLiteral("MyVote"))->text().contains(QStringLiteral("You vote Yes")), 10000);
    QVERIFY(!yes->isEnabled());  // the current vote
    QCOMPARE(units(detail()->detail().value(QStringLiteral("tally")).toObject().value(QStringLiteral("yes"))), quint64(4'000) * kCoin);
}

void TestGovernanceGui::othersVotesAndAChangedVoteMoveItAgain()
{
    chain::GovernanceVoteBody no;
    no.proposal = *crypto::hashFromHex(change_.toStdString());
    no.choice = chain::VoteChoice::No;
    sendFromValidator(no);
    QTRY_COMPARE_WITH_TIMEOUT(detail()->turnoutBar()->figures().no, 6'000 * kCoin, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window_->findChild<QLabel *>(QStringLiteral("TallyOutlook"))->text().contains(QStringLiteral("rejected")), 10000);
    // The wallet changes its vote: the weight moves from yes to abstain, it is not added again.
    QTest::mouseClick(detail()->voteButton(QStringLiteral("abstain")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(detail()->turnoutBar()->figures().abstain, 4'000 * kCoin, 30000);
    QCOMPARE(detail()->turnoutBar()->figures().yes, quint64(0));
    QTRY_VERIFY_WITH_TIMEOUT(window_->findChild<QTableWidget *>(QStringLiteral("ProposalHistory"))->rowCount() == 4, 10000);
    // The clicked button scrolled the detail to itself; people look at it from its title.
    window_->findChild<QScrollArea *>(QStringLiteral("ProposalDetailScroll"))->verticalScrollBar()->setValue(0);
    shootBothThemes(window_.get(), QStringLiteral("proposals"));
    // For the docs: the panel in the light theme.
    theme_->setTheme(ui::Theme::Light);
    settle();
    const QString docs = QStringLiteral(BLYAN_BUILD_DIR "/screenshots/governance.png");
    QVERIFY(window_->grab().toImage().save(docs));
}

void TestGovernanceGui::myVotesAndRules()
{
    QTabBar *bar = page()->tabs()->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(ui::GovernancePage::MyVotesIndex).center());
    QTRY_COMPARE(page()->tabs()->currentIndex(), int(ui::GovernancePage::MyVotesIndex));
    QTableWidget *mine = page()->myVotes()->table();
    QTRY_COMPARE_WITH_TIMEOUT(mine->rowCount(), 1, 10000);
    QCOMPARE(mine->item(0, 2)->text(), QStringLiteral("Abstain"));
    shootBothThemes(window_.get(), QStringLiteral("my-votes"));
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(ui::GovernancePage::RulesIndex).center());
    QTRY_COMPARE(page()->tabs()->currentIndex(), int(ui::GovernancePage::RulesIndex));
    QCOMPARE(page()->rules()->params()->rowCount(), 4);
    QCOMPARE(page()->rules()->params()->item(0, 0)->text(), QStringLiteral("fee_burn_percent"));
    shootBothThemes(window_.get(), QStringLiteral("rules"));
    // Back to the list through My votes: a double-click opens the proposal.
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(ui::GovernancePage::MyVotesIndex).center());
    QTRY_COMPARE(page()->tabs()->currentIndex(), int(ui::GovernancePage::MyVotesIndex));
    page()->openProposal(signal_);
    QCOMPARE(page()->tabs()->currentIndex(), int(ui::GovernancePage::ProposalsIndex));
    QTRY_COMPARE(detail()->proposalId(), signal_);
}

void TestGovernanceGui::proposalClosesAtItsEndHeight()
{
    const qint64 end = qint64(ok(QStringLiteral("getproposal"), {signal_}).toObject().value(QStringLiteral("end_height")).toDouble());
    while (height() < end) sendFromValidator(chain::TransferBody{crypto::KeyPair::generate().publicKey(), kCoin});
    QTRY_COMPARE_WITH_TIMEOUT(detail()->detail().value(QStringLiteral("status")).toString(), QStringLiteral("passed"), 30000);
    QVERIFY(!detail()->voteButton(QStringLiteral("no"))->isEnabled());
    auto *filter = window_->findChild<QComboBox *>(QStringLiteral("ProposalFilter"));
    filter->setCurrentIndex(2);  // closed
    QTRY_COMPARE(page()->listModel()->rowCount(), 1);
    QCOMPARE(page()->listModel()->idAt(0), signal_);
    QCOMPARE(detail()->proposalId(), signal_);  // the selection stays on it
    shootBothThemes(window_.get(), QStringLiteral("closed"));
    filter->setCurrentIndex(0);
}

void TestGovernanceGui::cleanupTestCase()
{
    window_.reset();
    model_.reset();
    node_.reset();
}

QTEST_MAIN(TestGovernanceGui)
#include "test_governance_gui.moc"
