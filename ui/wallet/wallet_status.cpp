#include "ui/wallet/wallet_status.h"

#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_icons.h"
#include "ui/wallet/wallet_model.h"

#include <QDateTime>
#include <QLocale>
#include <QToolTip>

namespace blyan::ui {

WalletStatusButton::WalletStatusButton(WalletModel *wallet, QWidget *parent) : QToolButton(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("WalletLockStatus"));
    setAutoRaise(true);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setIconSize(QSize(14, 14));
    setCursor(Qt::PointingHandCursor);
    connect(this, &QToolButton::clicked, this, &WalletStatusButton::onClicked);
    connect(wallet_, &WalletModel::infoChanged, this, &WalletStatusButton::update);
    update();
}

void WalletStatusButton::setDarkTheme(bool dark)
{
    dark_ = dark;
    update();
}

void WalletStatusButton::update()
{
    const WalletInfo &info = wallet_->info();
    setVisible(info.loaded);
    const QColor amber = dark_ ? QColor(0xFB, 0xBF, 0x24) : QColor(0xB4, 0x53, 0x09);
    const QColor muted = dark_ ? QColor(0xA3, 0xAA, 0xB7) : QColor(0x4B, 0x52, 0x60);
    if (!info.exists()) {
        setIcon(lockIcon(false, muted));
        setText(tr("No wallet"));
        setToolTip(tr("Create or restore a wallet in the Wallet panel"));
    } else if (info.locked()) {
        setIcon(lockIcon(true, muted));
        setText(tr("Locked"));
        setToolTip(tr("The wallet is locked. Click to unlock it for sending."));
    } else {
        setIcon(lockIcon(false, amber));
        const QDateTime until = QDateTime::fromMSecsSinceEpoch(info.unlockedUntilMs);
        setText(tr("Unlocked until %1").arg(QLocale().toString(until.time(), QLocale::ShortFormat)));
        setToolTip(tr("The wallet can sign until %1. Click to lock it now.")
                       .arg(QLocale().toString(until, QLocale::ShortFormat)));
    }
}

void WalletStatusButton::onClicked()
{
    const WalletInfo &info = wallet_->info();
    if (!info.exists()) {
        Q_EMIT showWalletRequested();
    } else if (info.locked()) {
        auto *dlg = new UnlockDialog(wallet_, window());
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        dlg->open();
    } else {
        wallet_->call(QStringLiteral("walletlock"), {}, this, [this](const Expected<QJsonValue> &a) {
            wallet_->refresh();
            // The status bar has no room for a message line: a refusal pops up where the click was.
            if (!a.ok()) QToolTip::showText(mapToGlobal(rect().topLeft()), QString::fromStdString(a.error().message), this);
        });
    }
}

}  // namespace blyan::ui
