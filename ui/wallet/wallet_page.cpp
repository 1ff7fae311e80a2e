#include "ui/wallet/wallet_page.h"

#include "ui/card.h"
#include "ui/wallet/address_book_tab.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/change_passphrase_dialog.h"
#include "ui/wallet/create_wallet_dialog.h"
#include "ui/wallet/first_run_view.h"
#include "ui/wallet/form_status.h"
#include "ui/wallet/history_tab.h"
#include "ui/wallet/receive_tab.h"
#include "ui/wallet/recovery_phrase_dialog.h"
#include "ui/wallet/send_tab.h"
#include "ui/wallet/stake_tab.h"
#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_icons.h"
#include "ui/wallet/wallet_model.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <optional>
#include <utility>

namespace blyan::ui {

namespace {
QLabel *balance(QGridLayout *grid, int column, const QString &caption, const QString &field)
{
    auto *c = new QLabel(caption);
    c->setObjectName(QStringLiteral("FieldLabel"));
    auto *v = new QLabel(QStringLiteral("—"));
    v->setObjectName(QStringLiteral("BalanceValue"));
    v->setProperty("field", field);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = v->font();
    f.setPointSizeF(f.pointSizeF() * (column == 0 ? 1.9 : 1.4));
    f.setWeight(QFont::DemiBold);
    v->setFont(f);
    grid->addWidget(c, 0, column);
    grid->addWidget(v, 1, column, Qt::AlignLeft | Qt::AlignBottom);
    return v;
}
}  // namespace

WalletPage::WalletPage(WalletModel *wallet, QWidget *parent) : QWidget(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("WalletPage"));
    auto *content = new QWidget;
    auto *col = new QVBoxLayout(content);
    col->setSpacing(18);
    auto *head = new QHBoxLayout;
    head->addWidget(makePageHeader(tr("Wallet"), tr("Hold, send and receive BLY on %1.").arg(wallet_->network())), 1);
    lock_ = new QPushButton;
    lock_->setObjectName(QStringLiteral("LockButton"));
    more_ = new QPushButton(tr("Security"));
    more_->setObjectName(QStringLiteral("WalletMenuButton"));
    auto *menu = new QMenu(more_);
    QAction *change = menu->addAction(tr("Change passphrase…"));
    change->setObjectName(QStringLiteral("ChangePassphraseAction"));
    QAction *recovery = menu->addAction(tr("Show recovery phrase…"));
    recovery->setObjectName(QStringLiteral("ShowRecoveryAction"));
    menu->addSeparator();
    QAction *backup = menu->addAction(tr("Back up wallet…"));
    backup->setObjectName(QStringLiteral("BackupWalletAction"));
    QAction *import = menu->addAction(tr("Import a backup…"));
    import->setObjectName(QStringLiteral("ImportBackupAction"));
    more_->setMenu(menu);
    head->addWidget(lock_, 0, Qt::AlignTop);
    head->addWidget(more_, 0, Qt::AlignTop);
    col->addLayout(head);

    stack_ = new QStackedWidget;
    auto *waitCard = new Card(tr("Wallet"));
    waiting_ = waitCard->addNote(QString());
    waiting_->setObjectName(QStringLiteral("WalletWaiting"));
    auto *waitPage = new QWidget;
    auto *waitCol = new QVBoxLayout(waitPage);
    waitCol->setContentsMargins(0, 0, 0, 0);
    waitCol->addWidget(waitCard);
    waitCol->addStretch(1);
    stack_->addWidget(waitPage);
    auto *firstRun = new FirstRunView(wallet_->network());
    stack_->addWidget(firstRun);
    stack_->addWidget(buildWallet());
    col->addWidget(stack_, 1);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(makeScrollPage(content));

    connect(firstRun, &FirstRunView::createRequested, this, [this] { startFirstRun(false); });
    connect(firstRun, &FirstRunView::restoreRequested, this, [this] { startFirstRun(true); });
    connect(lock_, &QPushButton::clicked, this, [this] {
        if (wallet_->info().locked()) return withUnlockedWallet(wallet_, this, [] {});
        wallet_->call(QStringLiteral("walletlock"), {}, this, [this](const Expected<QJsonValue> &a) {
            if (!a.ok()) setStatus(lockState_, QString::fromStdString(a.error().message), Tone::Error);
            wallet_->refresh();
        });
    });
    connect(change, &QAction::triggered, this, [this] {
        auto *dlg = new ChangePassphraseDialog(wallet_, this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        dlg->open();
    });
    connect(recovery, &QAction::triggered, this, [this] {
        auto *dlg = new RecoveryPhraseDialog(wallet_, this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        dlg->open();
    });
    // Backups (docs/rpc.md backupwallet / importbackup): the node writes and reads the zip on its worker
    // thread; the dialogs only pick the file.
    connect(backup, &QAction::triggered, this, [this] {
        const QString dest = QFileDialog::getSaveFileName(
            this, tr("Back up wallet"), QDir::home().filePath(QStringLiteral("blyan-wallet-%1.zip").arg(wallet_->network())),
            tr("Zip archives (*.zip)"));
        if (dest.isEmpty()) return;
        wallet_->call(QStringLiteral("backupwallet"), {dest}, this, [this](const Expected<QJsonValue> &r) {
            if (r.ok())
                QMessageBox::information(this, tr("Backup written"),
                                         tr("The wallet backup was written to %1. It holds the encrypted wallet, its "
                                            "history and address book, and this node's identity key; keep it somewhere "
                                            "other than this disk.").arg(r->toString()));
            else
                QMessageBox::warning(this, tr("Backup failed"), QString::fromStdString(r.error().message));
        });
    });
    connect(import, &QAction::triggered, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Import a wallet backup"), QDir::homePath(),
                                                          tr("Zip archives (*.zip)"));
        if (file.isEmpty()) return;
        bool ok = false;
        const QString pass = QInputDialog::getText(this, tr("Import a wallet backup"),
                                                   tr("The passphrase of the wallet in this backup:"),
                                                   QLineEdit::Password, QString(), &ok);
        if (!ok) return;
        wallet_->call(QStringLiteral("importbackup"), {file, pass}, this, [this](const Expected<QJsonValue> &r) {
            if (r.ok())
                QMessageBox::information(this, tr("Wallet imported"),
                                         tr("The wallet was restored from the backup; its history is read again from "
                                            "the chain."));
            else
                QMessageBox::warning(this, tr("Import failed"), QString::fromStdString(r.error().message));
            wallet_->refresh();
        });
    });
    connect(wallet_, &WalletModel::infoChanged, this, &WalletPage::update);
    update();
}

QWidget *WalletPage::buildWallet()
{
    auto *w = new QWidget;
    auto *col = new QVBoxLayout(w);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(18);
    auto *card = new Card(tr("Balances"));
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(36);
    grid->setVerticalSpacing(4);
    available_ = balance(grid, 0, tr("Available"), QStringLiteral("available"));
    staked_ = balance(grid, 1, tr("Staked"), QStringLiteral("staked"));
    pending_ = balance(grid, 2, tr("Pending"), QStringLiteral("pending"));
    grid->setColumnStretch(3, 1);
    card->body()->addLayout(grid);
    lockState_ = makeStatusLabel(QStringLiteral("WalletLockState"));
    card->body()->addWidget(lockState_);
    col->addWidget(card);

    tabs_ = new QTabWidget;
    tabs_->setObjectName(QStringLiteral("WalletTabs"));
    tabs_->setDocumentMode(true);
    tabs_->tabBar()->setDrawBase(false);  // the underline of the selected tab is enough (QSS)
    tabs_->setMinimumHeight(460);  // room for the history table inside the scrolling page
    send_ = new SendTab(wallet_);
    receive_ = new ReceiveTab(wallet_);
    history_ = new HistoryTab(wallet_);
    book_ = new AddressBookTab(wallet_);
    stake_ = new StakeTab(wallet_);
    tabs_->addTab(send_, tr("Send"));
    tabs_->addTab(receive_, tr("Receive"));
    tabs_->addTab(history_, tr("History"));
    tabs_->addTab(book_, tr("Address book"));
    tabs_->addTab(stake_, tr("Stake"));
    col->addWidget(tabs_, 1);
    connect(book_, &AddressBookTab::sendTo, this, [this](const QString &address, const QString &label) {
        send_->prefill(address, QString(), label, QString());
        showTab(SendIndex);
    });
    connect(send_, &SendTab::sent, this, [this] { wallet_->refresh(); });
    return w;
}

void WalletPage::showTab(Tab t) { tabs_->setCurrentIndex(t); }

void WalletPage::setDarkTheme(bool dark)
{
    dark_ = dark;
    update();
}

void WalletPage::update()
{
    const WalletInfo &info = wallet_->info();
    lock_->setVisible(info.exists());
    more_->setVisible(info.exists());
    if (!info.loaded) {
        waiting_->setText(wallet_->infoError().isEmpty() ? tr("Waiting for the node to start…")
                                                         : tr("The wallet cannot be reached: %1").arg(wallet_->infoError()));
        stack_->setCurrentIndex(0);
        return;
    }
    if (!info.exists()) {
        stack_->setCurrentIndex(1);
        return;
    }
    stack_->setCurrentIndex(2);
    available_->setText(displayBly(info.available));
    staked_->setText(info.unbonding ? tr("%1 (+%2 unbonding)").arg(displayBly(info.staked, false), displayBly(info.unbonding))
                                    : displayBly(info.staked));
    staked_->setToolTip(info.unbonding ? tr("Unstaked BLY waits a few epochs, still at stake, before it returns to "
                                            "Available (Stake tab: when)")
                                       : QString());
    pending_->setText(info.pendingIn || info.pendingOut
                          ? QStringLiteral("+%1 / \u2212%2").arg(displayBly(info.pendingIn, false),
                                                                 displayBly(info.pendingOut))
                          : displayBly(0));
    pending_->setToolTip(tr("Incoming and outgoing amounts waiting for a block"));
    const QColor muted = dark_ ? QColor(0xC4, 0xC9, 0xD2) : QColor(0x3B, 0x41, 0x4A);
    lock_->setIcon(lockIcon(info.locked(), muted));
    if (info.locked()) {
        lock_->setText(tr("Unlock…"));
        setStatus(lockState_, tr("Locked: sending asks for your passphrase."), Tone::Muted);
    } else {
        lock_->setText(tr("Lock"));
        const QDateTime until = QDateTime::fromMSecsSinceEpoch(info.unlockedUntilMs);
        setStatus(lockState_, tr("Unlocked until %1.").arg(QLocale().toString(until.time(), QLocale::ShortFormat)),
                  Tone::Muted);
    }
    handlePendingUri();
}

void WalletPage::startFirstRun(bool restore)
{
    auto *dlg = new CreateWalletDialog(wallet_, restore ? CreateWalletDialog::Mode::Restore
                                                        : CreateWalletDialog::Mode::Create, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->open();
}

void WalletPage::openPaymentUri(const QString &uri)
{
    pendingUris_.append(uri);
    showTab(SendIndex);
    handlePendingUri();
}

void WalletPage::handlePendingUri()
{
    if (!wallet_->info().exists()) return;
    const QStringList uris = std::exchange(pendingUris_, {});
    for (const QString &uri : uris) {
        wallet_->call(QStringLiteral("parsepaymenturi"), {uri}, this, [this](const Expected<QJsonValue> &a) {
            showTab(SendIndex);
            if (!a.ok()) {
                send_->showError(tr("This payment link cannot be used: %1").arg(QString::fromStdString(a.error().message)));
                return;
            }
            const QJsonObject o = a.value().toObject();
            const QJsonValue amount = o.value(QLatin1String("amount"));
            // The amount comes as text ("12.5 BLY") or an amount object; the form wants plain "12.5".
            const auto units = amount.isObject() ? std::optional<quint64>(amountUnits(amount)) : parseBly(amount.toString());
            const QString amountText = units && !amount.isNull() ? plainBly(*units) : QString();
            send_->prefill(o.value(QLatin1String("address")).toString(), amountText,
                           o.value(QLatin1String("label")).toString(), o.value(QLatin1String("message")).toString());
        });
    }
}

}  // namespace blyan::ui
