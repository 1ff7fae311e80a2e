// The Wallet panel end to end, offscreen, on a real devnet Node in a temporary data dir, driven
// through its widgets as a user would: the first-run "create" flow (write down, confirm three
// words, passphrase), the devnet funding arriving, a second address from the Receive tab, 12.5 BLY
// sent to it through the Send form and its history row becoming final, lock and unlock through the
// dialogs with a wrong passphrase refused. Screenshots of each step in both themes go to
// ${build}/screenshots/wallet-*.png. Last, the node's log file and everything written to stderr are
// searched for the recovery phrase and the passphrases: none may appear (issue 4).

#include "support/gui_test.h"
#include "support/test_support.h"
#include "node/node.h"
#include "ui/client_model.h"
#include "ui/icons.h"
#include "ui/main_window.h"
#include "ui/theme.h"
#include "ui/wallet/confirm_dialog.h"
#include "ui/wallet/create_wallet_dialog.h"
#include "ui/wallet/history_model.h"
#include "ui/wallet/history_tab.h"
#include "ui/wallet/receive_tab.h"
#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_model.h"
#include "ui/wallet/wallet_page.h"
#include "util/log.h"
#include "util/paths.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <algorithm>
#include <cstdio>
#include <memory>

#include <unistd.h>

using namespace blyan;
using blyan::testing::freePort;
using blyan::testing::screenshotDir;
using blyan::testing::settle;

namespace {
constexpr quint64 kUnits = 100'000'000;

QString randomHex(int bytes)
{
    QByteArray b(bytes, 0);
    for (char &c : b) c = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(b.toHex());
}

// Layout and style changes arrive as posted events: deliver them before a grab or a click.
}  // namespace

class TestWalletGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void firstRunOffersCreateAndRestore();
    void createWalletThroughDialog();
    void devnetFundingArrives();
    void receiveTabMakesSecondAddress();
    void paymentUriFillsSendForm();
    void restoreChecksTheWords();
    void sendFormValidatesAndSends();
    void historyRowBecomesFinal();
    void lockAndUnlockThroughDialogs();
    void screenshotsOfEveryTab();
    void noSecretInAnyLog();

private:
    template <typename T>
    T *child(const QString &name) const { return window_->findChild<T *>(name); }
    void clickTab(ui::WalletPage::Tab t);
    void shoot(QWidget *w, const QString &name);
    void shootBothThemes(QWidget *w, const QString &name);
    QString statusBarText() const { return child<QToolButton>(QStringLiteral("WalletLockStatus"))->text(); }

    QTemporaryDir dir_;
    QTemporaryDir stderrDir_;
    int savedStderr_ = -1;
    std::unique_ptr<ui::ThemeManager> theme_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> model_;
    std::unique_ptr<ui::MainWindow> window_;
    QStringList words_;
    const QString passphrase_ = QStringLiteral("gui test ") + randomHex(8);
    const QString wrongPassphrase_ = QStringLiteral("not it ") + randomHex(8);
    QString secondAddress_;
};

void TestWalletGui::initTestCase()
{
    // Everything written to stderr from here on (the log writer's copy of every message, Qt's own
    // warnings) lands in a file that the last test searches for secrets.
    QVERIFY(stderrDir_.isValid());
    std::fflush(stderr);
    savedStderr_ = ::dup(STDERR_FILENO);
    FILE *capture = std::fopen(qPrintable(stderrDir_.filePath(QStringLiteral("stderr.txt"))), "w");
    QVERIFY(capture);
    QVERIFY(::dup2(::fileno(capture), STDERR_FILENO) >= 0);
    std::fclose(capture);
    QLoggingCategory::setFilterRules(QStringLiteral("blyan.*.debug=true"));  // search the most text there is
    initLogging({});

    QVERIFY(dir_.isValid());
    theme_ = blyan::testing::initGuiTestEnvironment();
    QVERIFY2(theme_, "cannot create the screenshot folder");

    node::NodeOptions o;
    o.network = Network::Devnet;
    o.dataDir = dir_.path();
    o.rpcPort = freePort();
    QVERIFY(o.rpcPort != 0);
    node_ = std::make_unique<node::Node>(o);
    model_ = std::make_unique<ui::ClientModel>(node_.get());
    window_ = std::make_unique<ui::MainWindow>(model_.get(), theme_.get());
    window_->resize(1200, 860);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    node_->start();
    QTRY_COMPARE_WITH_TIMEOUT(model_->status().state, node::NodeState::Running, 60000);
}

void TestWalletGui::clickTab(ui::WalletPage::Tab t)
{
    QTabBar *bar = window_->walletPage()->tabs()->tabBar();
    QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(t).center());
    QTRY_COMPARE(window_->walletPage()->tabs()->currentIndex(), int(t));
}

void TestWalletGui::shoot(QWidget *w, const QString &name)
{
    settle();
    const QImage img = w->grab().toImage();
    QVERIFY(!img.isNull());
    const QString file = QStringLiteral("%1/wallet-%2-%3.png").arg(screenshotDir(), name, ui::themeKey(theme_->theme()));
    QVERIFY2(img.save(file), qPrintable(file));
}

void TestWalletGui::shootBothThemes(QWidget *w, const QString &name)
{
    for (ui::Theme t : {ui::Theme::Light, ui::Theme::Dark}) {
        theme_->setTheme(t);
        shoot(w, name);
    }
    theme_->setTheme(ui::Theme::Light);
}

void TestWalletGui::firstRunOffersCreateAndRestore()
{
    // Through the sidebar, as a user gets there.
    QListWidget *list = window_->sidebar();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(ui::MainWindow::Wallet)).center());
    QTRY_COMPARE(window_->currentPanel(), ui::MainWindow::Wallet);
    QTRY_VERIFY_WITH_TIMEOUT(window_->walletModel()->info().loaded, 30000);
    QCOMPARE(window_->walletModel()->info().state, QStringLiteral("none"));
    auto *create = child<QPushButton>(QStringLiteral("CreateWalletButton"));
    QVERIFY(create && child<QPushButton>(QStringLiteral("RestoreWalletButton")));
    QTRY_VERIFY(create->isVisible());
    QVERIFY(child<QPushButton>(QStringLiteral("RestoreWalletButton"))->isVisible());
    QCOMPARE(statusBarText(), QStringLiteral("No wallet"));
    shootBothThemes(window_.get(), QStringLiteral("first-run"));
}

void TestWalletGui::createWalletThroughDialog()
{
    QTest::mouseClick(child<QPushButton>(QStringLiteral("CreateWalletButton")), Qt::LeftButton);
    QPointer<ui::CreateWalletDialog> dlg;
    QTRY_VERIFY((dlg = child<ui::CreateWalletDialog>(QString())) && dlg->isVisible());
    auto *next = dlg->findChild<QPushButton *>(QStringLiteral("WizardNext"));

    // Step 1: the 24 words the wallet generated, read off the screen.
    QTRY_COMPARE_WITH_TIMEOUT(dlg->findChildren<QLabel *>(QStringLiteral("MnemonicWord")).size(), 24, 10000);
    words_ = QStringList(24, QString());
    for (QLabel *w : dlg->findChildren<QLabel *>(QStringLiteral("MnemonicWord")))
        words_[w->property("index").toInt() - 1] = w->text();
    for (const QString &w : std::as_const(words_)) QVERIFY2(QRegularExpression(QStringLiteral("^[a-z]{3,8}$")).match(w).hasMatch(), qPrintable(w));
    QVERIFY(!next->isEnabled());  // not before the user says the words are written down
    auto *wrote = dlg->findChild<QCheckBox *>(QStringLiteral("WroteDown"));
    QTest::mouseClick(wrote, Qt::LeftButton, {}, QPoint(8, wrote->height() / 2));  // on the box itself
    QVERIFY(next->isEnabled());
    QTest::mouseClick(next, Qt::LeftButton);

    // Step 2: three words asked at random positions; a wrong one keeps Next disabled.
    const QList<QLineEdit *> confirm = dlg->findChildren<QLineEdit *>(QStringLiteral("ConfirmWord"));
    QCOMPARE(confirm.size(), 3);
    QCOMPARE(dlg->confirmIndices().size(), 3);
    QVERIFY(!next->isEnabled());
    QTest::keyClicks(confirm[0], QStringLiteral("zzz"));
    QVERIFY(confirm[0]->property("invalid").toBool());
    QVERIFY(!next->isEnabled());
    for (QLineEdit *f : confirm) {
        f->clear();
        QTest::keyClicks(f, words_.at(f->property("index").toInt() - 1));
    }
    QVERIFY(next->isEnabled());
    QTest::mouseClick(next, Qt::LeftButton);

    // Step 3: the passphrase, with strength feedback; too short or mismatched keeps Create disabled.
    auto *first = dlg->findChild<QLineEdit *>(QStringLiteral("NewPassphrase"));
    auto *second = dlg->findChild<QLineEdit *>(QStringLiteral("ConfirmPassphrase"));
    QTest::keyClicks(first, QStringLiteral("short"));
    QVERIFY(dlg->findChild<QLabel *>(QStringLiteral("PassphraseStrength"))->text().startsWith(QStringLiteral("Too short")));
    first->clear();
    QTest::keyClicks(first, passphrase_);
    QTest::keyClicks(second, passphrase_ + QStringLiteral("x"));
    QVERIFY(!next->isEnabled());
    QTest::keyClick(second, Qt::Key_Backspace);
    QVERIFY(next->isEnabled());
    QVERIFY(!dlg->findChild<QLabel *>(QStringLiteral("PassphraseStrength"))->text().isEmpty());
    shoot(dlg, QStringLiteral("create-passphrase"));
    QTest::mouseClick(next, Qt::LeftButton);
    // Argon2id is calibrated to about half a second on the node's worker; the dialog closes on success.
    QTRY_VERIFY_WITH_TIMEOUT(dlg.isNull() || !dlg->isVisible(), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(window_->walletModel()->info().state, QStringLiteral("unlocked"), 10000);
    QTRY_VERIFY(child<QPushButton>(QStringLiteral("LockButton"))->isVisible());
    QTRY_VERIFY(statusBarText().startsWith(QStringLiteral("Unlocked until")));
}

void TestWalletGui::devnetFundingArrives()
{
    // The devnet node pays 10,000 BLY to the first address of a new wallet, in its next block.
    ui::WalletModel *w = window_->walletModel();
    QTRY_VERIFY_WITH_TIMEOUT(w->info().available >= 10'000 * kUnits, 60000);
    QVERIFY(w->info().devnetFunded);
    QLabel *available = nullptr;
    for (QLabel *l : window_->walletPage()->findChildren<QLabel *>(QStringLiteral("BalanceValue")))
        if (l->property("field") == QStringLiteral("available")) available = l;
    QVERIFY(available);
    QTRY_VERIFY(available->text().contains(QStringLiteral("10,000")));
}

void TestWalletGui::receiveTabMakesSecondAddress()
{
    clickTab(ui::WalletPage::ReceiveIndex);
    ui::ReceiveTab *rx = window_->walletPage()->receiveTab();
    auto *combo = child<QComboBox>(QStringLiteral("ReceiveAddressCombo"));
    QTRY_COMPARE(combo->count(), 1);
    const QString firstAddress = rx->currentAddress();
    QVERIFY(firstAddress.startsWith(QStringLiteral("dbly1")));
    QTest::mouseClick(child<QPushButton>(QStringLiteral("NewAddressButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(combo->count(), 2, 10000);
    QTRY_VERIFY(rx->currentAddress() != firstAddress);  // the new one is selected
    secondAddress_ = rx->currentAddress();
    QVERIFY(secondAddress_.startsWith(QStringLiteral("dbly1")));
    QCOMPARE(child<QLineEdit>(QStringLiteral("ReceiveAddress"))->text(), secondAddress_);
    // The payment link and its QR code follow the request amount.
    QTest::keyClicks(child<QLineEdit>(QStringLiteral("RequestAmount")), QStringLiteral("12.5"));
    // The wallet writes the link (makepaymenturi) a moment after typing stops.
    QTRY_VERIFY_WITH_TIMEOUT(rx->paymentUri().startsWith(QStringLiteral("blyan:%1?amount=12.5").arg(secondAddress_)), 10000);
    QVERIFY(!rx->qrImage().isNull());
    QCOMPARE(rx->qrImage().width(), rx->qrImage().height());
}

void TestWalletGui::paymentUriFillsSendForm()
{
    // What a blyan: link on the command line or from a second launch does (app/blyan forwards it).
    window_->openPaymentUri(QStringLiteral("blyan:%1?amount=1.5&label=Bob%20Smith&message=Invoice%2042").arg(secondAddress_));
    QTRY_COMPARE(window_->walletPage()->tabs()->currentIndex(), int(ui::WalletPage::SendIndex));
    QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(QStringLiteral("PayTo"))->text(), secondAddress_, 10000);
    QCOMPARE(child<QLineEdit>(QStringLiteral("SendAmount"))->text(), QStringLiteral("1.5"));
    QCOMPARE(child<QLineEdit>(QStringLiteral("SendLabel"))->text(), QStringLiteral("Bob Smith"));
    QVERIFY(child<QLabel>(QStringLiteral("SendMessage"))->text().contains(QStringLiteral("Invoice 42")));
    // A link the wallet cannot read is refused where the user looks, with the wallet's reason.
    window_->openPaymentUri(QStringLiteral("blyan:%1?amount=1.5&amount=2").arg(secondAddress_));
    auto *result = child<QLabel>(QStringLiteral("SendResult"));
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("This payment link cannot be used")), 10000);
    QCOMPARE(result->property("tone").toString(), QStringLiteral("error"));
    QTest::mouseClick(child<QPushButton>(QStringLiteral("ClearButton")), Qt::LeftButton);
    QVERIFY(child<QLineEdit>(QStringLiteral("PayTo"))->text().isEmpty());
}

void TestWalletGui::restoreChecksTheWords()
{
    // The restore form asks the wallet (validatemnemonic) about the words while they are typed. A
    // phrase pasted into the first field spreads over the 24 fields.
    auto *dlg = new ui::CreateWalletDialog(window_->walletModel(), ui::CreateWalletDialog::Mode::Restore, window_.get());
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<ui::CreateWalletDialog> guard(dlg);
    dlg->open();
    auto *next = dlg->findChild<QPushButton *>(QStringLiteral("WizardNext"));
    QList<QLineEdit *> fields = dlg->findChildren<QLineEdit *>(QStringLiteral("RestoreWord"));
    QCOMPARE(fields.size(), 24);
    std::sort(fields.begin(), fields.end(),
              [](QLineEdit *a, QLineEdit *b) { return a->property("index").toInt() < b->property("index").toInt(); });
    QStringList wrong = words_;
    wrong[4] = QStringLiteral("zzzz");
    QGuiApplication::clipboard()->setText(wrong.join(QLatin1Char(' ')));
    QTest::keySequence(fields[0], QKeySequence::Paste);
    QCOMPARE(fields[23]->text(), words_.last());
    auto *status = dlg->findChild<QLabel *>(QStringLiteral("MnemonicStatus"));
    QTRY_COMPARE_WITH_TIMEOUT(status->property("tone").toString(), QStringLiteral("error"), 10000);
    QVERIFY(!next->isEnabled());
    fields[4]->clear();
    QTest::keyClicks(fields[4], words_[4]);
    QTRY_COMPARE_WITH_TIMEOUT(status->property("tone").toString(), QStringLiteral("ok"), 10000);
    QVERIFY(next->isEnabled());
    shootBothThemes(dlg, QStringLiteral("restore"));
    dlg->reject();  // this data dir has its wallet already; the phrase leaves the fields with the dialog
    QTRY_VERIFY(guard.isNull());
}

void TestWalletGui::sendFormValidatesAndSends()
{
    QVERIFY2(!secondAddress_.isEmpty(), "needs the address the Receive tab made");
    clickTab(ui::WalletPage::SendIndex);
    auto *payTo = child<QLineEdit>(QStringLiteral("PayTo"));
    auto *amount = child<QLineEdit>(QStringLiteral("SendAmount"));
    auto *send = child<QPushButton>(QStringLiteral("SendButton"));
    auto *addressStatus = child<QLabel>(QStringLiteral("AddressStatus"));
    auto *amountStatus = child<QLabel>(QStringLiteral("AmountStatus"));

    // A mistyped address is refused by the wallet's checksum check.
    QString typo = secondAddress_;
    typo[typo.size() - 1] = typo.endsWith(QLatin1Char('q')) ? QLatin1Char('p') : QLatin1Char('q');
    QTest::keyClicks(payTo, typo);
    QTRY_COMPARE_WITH_TIMEOUT(addressStatus->property("tone").toString(), QStringLiteral("error"), 10000);
    QVERIFY(!send->isEnabled());
    payTo->clear();
    QTest::keyClicks(payTo, secondAddress_);
    QTRY_COMPARE_WITH_TIMEOUT(addressStatus->property("tone").toString(), QStringLiteral("ok"), 10000);

    // Amounts: at most 8 decimals, not more than available.
    QTest::keyClicks(amount, QStringLiteral("1.123456789"));
    QCOMPARE(amountStatus->property("tone").toString(), QStringLiteral("error"));
    QVERIFY(!send->isEnabled());
    amount->clear();
    QTest::keyClicks(amount, QStringLiteral("20000"));
    QTRY_COMPARE(amountStatus->property("tone").toString(), QStringLiteral("error"));
    QVERIFY(!send->isEnabled());
    amount->clear();
    QTest::keyClicks(amount, QStringLiteral("12.5"));
    QTRY_VERIFY_WITH_TIMEOUT(send->isEnabled(), 10000);  // also waits for the fee estimate
    const QString fee = child<QLineEdit>(QStringLiteral("SendFee"))->text();
    QVERIFY(!fee.isEmpty());

    QTest::mouseClick(send, Qt::LeftButton);
    QPointer<ui::ConfirmDialog> confirm;
    QTRY_VERIFY((confirm = child<ui::ConfirmDialog>(QString())) && confirm->isVisible());
    QHash<QString, QString> shown;
    for (QLabel *l : confirm->findChildren<QLabel *>(QStringLiteral("FieldValue")))
        shown.insert(l->property("field").toString(), l->text());
    QVERIFY(shown.value(QStringLiteral("recipient")).contains(secondAddress_));
    QCOMPARE(shown.value(QStringLiteral("amount")), QStringLiteral("12.5 BLY"));
    QCOMPARE(shown.value(QStringLiteral("fee")), fee + QStringLiteral(" BLY"));
    QVERIFY(!shown.value(QStringLiteral("total")).isEmpty());
    shootBothThemes(confirm, QStringLiteral("send-confirmation"));
    QTest::mouseClick(confirm->findChild<QPushButton *>(QStringLiteral("ConfirmButton")), Qt::LeftButton);
    auto *result = child<QLabel>(QStringLiteral("SendResult"));
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("Sent 12.5 BLY")), 30000);
    QCOMPARE(result->property("tone").toString(), QStringLiteral("ok"));
    QVERIFY(payTo->text().isEmpty());  // the form is ready for the next payment
}

void TestWalletGui::historyRowBecomesFinal()
{
    clickTab(ui::WalletPage::HistoryIndex);
    ui::HistoryModel *history = window_->walletModel()->history();
    const auto findSend = [history]() -> int {
        for (int r = 0; r < history->rowCount(); ++r)
            if (history->row(r).amount == 1'250'000'000ull && history->row(r).kind == QStringLiteral("transfer")) return r;
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(findSend() >= 0, 30000);
    // On a devnet a block is final once applied: pending, then final.
    QTRY_COMPARE_WITH_TIMEOUT(history->index(findSend(), ui::HistoryModel::StatusColumn).data().toString(),
                              QStringLiteral("Final"), 60000);
    QCOMPARE(history->index(findSend(), 0).data(ui::HistoryModel::StatusRole).toString(), QStringLiteral("final"));
    // The funding shows as received, with a + sign.
    bool funding = false;
    for (int r = 0; r < history->rowCount(); ++r)
        funding |= history->row(r).direction == QStringLiteral("received") && history->row(r).amount == 10'000 * kUnits &&
                   history->index(r, ui::HistoryModel::AmountColumn).data().toString().startsWith(QLatin1Char('+'));
    QVERIFY(funding);
    // The status filter is applied by the node.
    auto *status = child<QComboBox>(QStringLiteral("HistoryStatus"));
    status->setCurrentIndex(status->findData(QStringLiteral("pending")));
    QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), 0, 10000);
    status->setCurrentIndex(0);
    QTRY_VERIFY_WITH_TIMEOUT(findSend() >= 0, 10000);
}

void TestWalletGui::lockAndUnlockThroughDialogs()
{
    QTest::mouseClick(child<QPushButton>(QStringLiteral("LockButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(statusBarText(), QStringLiteral("Locked"), 10000);
    QCOMPARE(window_->walletModel()->info().state, QStringLiteral("locked"));

    // A click on the lock state in the status bar opens the unlock dialog.
    QTest::mouseClick(child<QToolButton>(QStringLiteral("WalletLockStatus")), Qt::LeftButton);
    QPointer<ui::UnlockDialog> dlg;
    QTRY_VERIFY((dlg = child<ui::UnlockDialog>(QString())) && dlg->isVisible());
    auto *pass = dlg->findChild<QLineEdit *>(QStringLiteral("UnlockPassphrase"));
    auto *ok = dlg->findChild<QPushButton *>(QStringLiteral("UnlockButton"));
    auto *error = dlg->findChild<QLabel *>(QStringLiteral("ErrorText"));
    // The keychain option is shown; it is enabled only where the wallet reports an OS keychain.
    auto *remember = dlg->findChild<QCheckBox *>(QStringLiteral("UnlockRemember"));
    QVERIFY(remember && remember->isVisible());
    QCOMPARE(remember->isEnabled(), window_->walletModel()->info().keychainAvailable);
    shootBothThemes(dlg, QStringLiteral("unlock"));

    QTest::keyClicks(pass, wrongPassphrase_);
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible() && !error->text().isEmpty(), 30000);
    QVERIFY(dlg->isVisible());
    QCOMPARE(window_->walletModel()->info().state, QStringLiteral("locked"));
    shoot(dlg, QStringLiteral("unlock-wrong-passphrase"));

    pass->clear();
    QTest::keyClicks(pass, passphrase_);
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dlg.isNull() || !dlg->isVisible(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(statusBarText().startsWith(QStringLiteral("Unlocked until")), 10000);
}

void TestWalletGui::screenshotsOfEveryTab()
{
    const std::pair<ui::WalletPage::Tab, const char *> tabs[] = {{ui::WalletPage::SendIndex, "send"},
                                                                 {ui::WalletPage::ReceiveIndex, "receive"},
                                                                 {ui::WalletPage::HistoryIndex, "history"},
                                                                 {ui::WalletPage::AddressBookIndex, "address-book"},
                                                                 {ui::WalletPage::StakeIndex, "stake"}};
    for (const auto &[tab, name] : tabs) {
        clickTab(tab);
        if (tab == ui::WalletPage::AddressBookIndex) {
            auto *table = child<QTableWidget>(QStringLiteral("AddressBookTable"));
            QTRY_VERIFY_WITH_TIMEOUT(table && table->rowCount() >= 2, 10000);  // both own addresses
        }
        shootBothThemes(window_.get(), QString::fromLatin1(name));
    }
}

void TestWalletGui::noSecretInAnyLog()
{
    // Stop the node through the window, then flush the log writer, so every line is on disk.
    QSignalSpy finished(window_.get(), &ui::MainWindow::shutdownFinished);
    window_->close();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    const QString logFile = QDir(dir_.path()).filePath(QStringLiteral("logs/blyan.log"));
    shutdownLogging();
    std::fflush(stderr);
    ::dup2(savedStderr_, STDERR_FILENO);
    ::close(savedStderr_);

    QByteArray text;
    for (const QString &f : {logFile, logFile + QStringLiteral(".1"), stderrDir_.filePath(QStringLiteral("stderr.txt"))}) {
        QFile file(f);
        if (file.open(QIODevice::ReadOnly)) text += file.readAll() + '\n';
    }
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);  // keep the run's output for ctest
    QVERIFY2(QFile::exists(logFile), "the node wrote no log file");
    QVERIFY(text.size() > 1000);
    const QString all = QString::fromUtf8(text);
    QCOMPARE(words_.size(), 24);
    QVERIFY2(!all.contains(words_.join(QLatin1Char(' '))), "the recovery phrase is in a log");
    // Single BIP-39 words ("address", "balance", "state") are ordinary English that logs use; two
    // consecutive words of the phrase, with any separator (space, comma, JSON quotes), are not.
    for (int i = 0; i + 1 < words_.size(); ++i) {
        const QRegularExpression pair(QStringLiteral("\\b%1\\W{1,6}%2\\b").arg(words_[i], words_[i + 1]));
        QVERIFY2(!pair.match(all).hasMatch(), qPrintable(QStringLiteral("words %1 and %2 of the phrase are in a log").arg(i + 1).arg(i + 2)));
    }
    QVERIFY2(!all.contains(passphrase_), "the wallet passphrase is in a log");
    QVERIFY2(!all.contains(wrongPassphrase_), "a mistyped passphrase is in a log");
}

QTEST_MAIN(TestWalletGui)
#include "test_wallet_gui.moc"
