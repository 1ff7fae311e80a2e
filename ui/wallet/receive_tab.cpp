#include "ui/wallet/receive_tab.h"

#include "ui/card.h"
#include "ui/wallet/form_status.h"
#include "ui/wallet/qr_code.h"
#include "ui/wallet/wallet_model.h"

#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
constexpr int kQrSize = 220;  // logical pixels
}  // namespace

ReceiveTab::ReceiveTab(WalletModel *wallet, QWidget *parent) : QWidget(parent), wallet_(wallet)
{
    setObjectName(QStringLiteral("ReceiveTab"));
    auto *card = new Card(tr("Receive BLY"));
    auto *row = new QHBoxLayout;
    row->setSpacing(24);
    auto *form = new QFormLayout;
    form->setVerticalSpacing(12);

    addresses_ = new QComboBox;
    addresses_->setObjectName(QStringLiteral("ReceiveAddressCombo"));
    addresses_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    newAddress_ = new QPushButton(tr("New address"));
    newAddress_->setObjectName(QStringLiteral("NewAddressButton"));
    newAddress_->setToolTip(tr("A fresh address for each payer keeps your payments apart"));
    auto *pick = new QHBoxLayout;
    pick->addWidget(addresses_, 1);
    pick->addWidget(newAddress_);
    form->addRow(tr("Address"), pick);

    // Read-only line edits, not labels: an address or a link has no place to wrap, and a label
    // would make the whole page as wide as the text; a line edit scrolls and still copies.
    address_ = new QLineEdit;
    address_->setObjectName(QStringLiteral("ReceiveAddress"));
    address_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    address_->setReadOnly(true);
    auto *copyAddress = new QPushButton(tr("Copy"));
    copyAddress->setObjectName(QStringLiteral("CopyAddressButton"));
    auto *addrRow = new QHBoxLayout;
    addrRow->addWidget(address_, 1);
    addrRow->addWidget(copyAddress);
    form->addRow(QString(), addrRow);

    label_ = new QLineEdit;
    label_->setObjectName(QStringLiteral("ReceiveLabel"));
    label_->setPlaceholderText(tr("Who pays you here, e.g. \"Alice\""));
    saveLabel_ = new QPushButton(tr("Save label"));
    saveLabel_->setObjectName(QStringLiteral("SaveLabelButton"));
    auto *labelRow = new QHBoxLayout;
    labelRow->addWidget(label_, 1);
    labelRow->addWidget(saveLabel_);
    form->addRow(tr("Label"), labelRow);

    amount_ = new QLineEdit;
    amount_->setObjectName(QStringLiteral("RequestAmount"));
    amount_->setPlaceholderText(tr("Optional, in BLY"));
    form->addRow(tr("Request amount"), amount_);

    uri_ = new QLineEdit;
    uri_->setObjectName(QStringLiteral("PaymentUri"));
    uri_->setReadOnly(true);
    auto *copyUri = new QPushButton(tr("Copy link"));
    auto *uriRow = new QHBoxLayout;
    uriRow->addWidget(uri_, 1);
    uriRow->addWidget(copyUri);
    form->addRow(tr("Payment link"), uriRow);
    status_ = makeStatusLabel(QStringLiteral("ReceiveStatus"));
    form->addRow(QString(), status_);
    row->addLayout(form, 1);

    qrLabel_ = new QLabel;
    qrLabel_->setObjectName(QStringLiteral("QrCode"));
    qrLabel_->setFixedSize(kQrSize, kQrSize);
    qrLabel_->setAlignment(Qt::AlignCenter);
    row->addWidget(qrLabel_, 0, Qt::AlignTop);
    card->body()->addLayout(row);

    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 12, 0, 0);
    col->addWidget(card);
    col->addStretch(1);

    connect(addresses_, &QComboBox::currentIndexChanged, this, &ReceiveTab::onAddressChosen);
    connect(newAddress_, &QPushButton::clicked, this, &ReceiveTab::newAddress);
    connect(saveLabel_, &QPushButton::clicked, this, &ReceiveTab::saveLabel);
    connect(label_, &QLineEdit::returnPressed, this, &ReceiveTab::saveLabel);
    uriDebounce_.setSingleShot(true);
    uriDebounce_.setInterval(200);  // one URI per pause in typing, not per keystroke
    connect(&uriDebounce_, &QTimer::timeout, this, &ReceiveTab::requestUri);
    connect(label_, &QLineEdit::textChanged, &uriDebounce_, qOverload<>(&QTimer::start));
    connect(amount_, &QLineEdit::textChanged, &uriDebounce_, qOverload<>(&QTimer::start));
    connect(copyAddress, &QPushButton::clicked, this, [this] { copy(currentAddress(), tr("Address")); });
    connect(copyUri, &QPushButton::clicked, this, [this] { copy(paymentUri(), tr("Payment link")); });
    connect(wallet_, &WalletModel::infoChanged, this, &ReceiveTab::reloadAddresses);
    setStatus(status_, QString(), Tone::Muted);
    reloadAddresses();
}

QString ReceiveTab::currentAddress() const { return addresses_->currentData().toString(); }

QString ReceiveTab::paymentUri() const { return uri_->text(); }

void ReceiveTab::reloadAddresses()
{
    const WalletInfo &info = wallet_->info();
    QString keep = selectNext_.isEmpty() ? currentAddress() : selectNext_;
    QSignalBlocker block(addresses_);
    addresses_->clear();
    // Newest first: the address to hand out next is the last one made.
    for (auto it = info.addresses.crbegin(); it != info.addresses.crend(); ++it) {
        const QString shown = it->label.isEmpty() ? it->address : QStringLiteral("%1 — %2").arg(it->label, it->address);
        addresses_->addItem(shown, it->address);
    }
    const int at = addresses_->findData(keep);
    if (at >= 0 && keep == selectNext_) selectNext_.clear();
    addresses_->setCurrentIndex(at >= 0 ? at : 0);
    block.unblock();
    onAddressChosen();
}

void ReceiveTab::onAddressChosen()
{
    const QString addr = currentAddress();
    // Refreshes of the same address (every block) must not overwrite a label being typed.
    if (addr != address_->text()) {
        address_->setText(addr);
        address_->setCursorPosition(0);
        QString label;
        for (const WalletAddress &a : wallet_->info().addresses)
            if (a.address == addr) label = a.label;
        label_->setText(label);
    }
    requestUri();
}

void ReceiveTab::requestUri()
{
    const QString addr = currentAddress();
    const quint64 gen = ++uriGen_;  // only the answer for the newest form counts
    if (addr.isEmpty()) return showUri(QString());
    const QString amount = amount_->text().trimmed();
    const QJsonArray params{addr, amount.isEmpty() ? QJsonValue() : QJsonValue(amount), label_->text().trimmed()};
    wallet_->call(QStringLiteral("makepaymenturi"), params, this, [this, gen](const Expected<QJsonValue> &a) {
        if (gen != uriGen_) return;
        if (!a.ok()) {
            showUri(QString());
            setStatus(status_, QString::fromStdString(a.error().message), Tone::Error);
            return;
        }
        if (status_->property("tone").toString() == QLatin1String("error")) setStatus(status_, QString(), Tone::Muted);
        showUri(a.value().toString());
    });
}

void ReceiveTab::showUri(const QString &uri)
{
    uri_->setText(uri);
    uri_->setCursorPosition(0);
    if (uri.isEmpty()) {
        qr_ = QImage();
        qrLabel_->clear();
        return;
    }
    // Whole device pixels per module: the code is drawn at the screen's resolution, never scaled.
    const qreal dpr = devicePixelRatioF();
    QString error;
    qr_ = makeQrImage(uri, qrModuleSizeFor(uri, qRound(kQrSize * dpr)), &error);
    if (qr_.isNull()) {
        qrLabel_->setText(error);
        return;
    }
    QPixmap pm = QPixmap::fromImage(qr_);
    pm.setDevicePixelRatio(dpr);
    qrLabel_->setPixmap(pm);
    qrLabel_->setToolTip(uri);
}

void ReceiveTab::newAddress()
{
    newAddress_->setEnabled(false);
    wallet_->call(QStringLiteral("getnewaddress"), {}, this, [this](const Expected<QJsonValue> &a) {
        newAddress_->setEnabled(true);
        if (!a.ok()) {
            setStatus(status_, QString::fromStdString(a.error().message), Tone::Error);
            return;
        }
        const QJsonValue v = a.value();
        selectNext_ = v.isString() ? v.toString() : v.toObject().value(QLatin1String("address")).toString();
        setStatus(status_, tr("New address %1 made.").arg(selectNext_), Tone::Ok);
        wallet_->refresh();
    });
}

void ReceiveTab::saveLabel()
{
    const QString addr = currentAddress();
    if (addr.isEmpty()) return;
    saveLabel_->setEnabled(false);
    wallet_->call(QStringLiteral("setlabel"), {addr, label_->text().trimmed()}, this,
                  [this](const Expected<QJsonValue> &a) {
        saveLabel_->setEnabled(true);
        if (!a.ok()) {
            setStatus(status_, QString::fromStdString(a.error().message), Tone::Error);
            return;
        }
        setStatus(status_, tr("Label saved."), Tone::Ok);
        wallet_->refresh();
    });
}

void ReceiveTab::copy(const QString &text, const QString &what)
{
    if (text.isEmpty()) return;
    QGuiApplication::clipboard()->setText(text);
    setStatus(status_, tr("%1 copied to the clipboard.").arg(what), Tone::Ok);
}

}  // namespace blyan::ui
