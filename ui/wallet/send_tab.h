#pragma once
// SendTab: the send form with live validation. The address is checked by the wallet
// (validateaddress: checksum and network) a moment after typing stops; amount, fee and total are
// checked here against the available balance; Send is enabled only when all of it holds. Sending
// unlocks first when needed, then shows a confirmation, then calls sendtoaddress.

#include <QTimer>
#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace blyan::ui {

class WalletModel;

class SendTab : public QWidget {
    Q_OBJECT
public:
    explicit SendTab(WalletModel *wallet, QWidget *parent = nullptr);

    // Fills the form (payment URI, address book); empty arguments leave a field as it is.
    void prefill(const QString &address, const QString &amount, const QString &label, const QString &message);
    // An error about the form as a whole, shown under it (a payment link that cannot be read).
    void showError(const QString &message);

Q_SIGNALS:
    void sent(const QString &txid);

private:
    void onAddressEdited();
    void validateAddress();
    void fetchFee();
    void revalidate();
    void confirmAndSend();
    void submit();

    WalletModel *wallet_;
    QLineEdit *address_, *label_, *amount_, *fee_;
    QLabel *addressStatus_, *amountStatus_, *feeNote_, *total_, *message_, *result_;
    QPushButton *send_, *max_;
    QTimer debounce_;
    quint64 addressGen_ = 0;
    bool addressValid_ = false;
    std::optional<quint64> estimate_;
    bool feeEdited_ = false;
    bool busy_ = false;
};

}  // namespace blyan::ui
