#pragma once
// StakeTab: move BLY between available and staked (stake / unstake from the wallet's first
// address), with the fee from estimatefee and the same unlock-confirm-send steps as sending.

#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace blyan::ui {

class WalletModel;

class StakeTab : public QWidget {
    Q_OBJECT
public:
    explicit StakeTab(WalletModel *wallet, QWidget *parent = nullptr);

private:
    void fetchFee();
    void revalidate();
    void start(bool stake);
    void submit(bool stake);

    WalletModel *wallet_;
    QLineEdit *amount_, *fee_;
    QFormLayout *form_;
    QLabel *staked_, *unbonding_, *amountStatus_, *result_;
    QPushButton *stake_, *unstake_;
    std::optional<quint64> estimate_;
    bool feeEdited_ = false;
    bool busy_ = false;
};

}  // namespace blyan::ui
