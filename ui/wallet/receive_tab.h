#pragma once
// ReceiveTab: an address of this wallet to give out, its label, a new one on request
// (getnewaddress), copy buttons, and a QR code of the blyan: payment URI (address, optional amount
// and label) for phones to scan. The URI is written by the wallet (makepaymenturi), the same code
// that reads them, so what this tab shows is exactly what a payer's Blyan accepts.

#include <QImage>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace blyan::ui {

class WalletModel;

class ReceiveTab : public QWidget {
    Q_OBJECT
public:
    explicit ReceiveTab(WalletModel *wallet, QWidget *parent = nullptr);

    QString currentAddress() const;
    QString paymentUri() const;  // empty until the wallet has written it
    QImage qrImage() const { return qr_; }

private:
    void reloadAddresses();
    void onAddressChosen();
    void requestUri();
    void showUri(const QString &uri);
    void newAddress();
    void saveLabel();
    void copy(const QString &text, const QString &what);

    WalletModel *wallet_;
    QComboBox *addresses_;
    QLabel *qrLabel_, *status_;
    QLineEdit *address_, *uri_, *label_, *amount_;
    QPushButton *newAddress_, *saveLabel_;
    QImage qr_;
    QTimer uriDebounce_;
    quint64 uriGen_ = 0;
    QString selectNext_;  // the address getnewaddress just made: select it once it is listed
};

}  // namespace blyan::ui
