#pragma once
// CreateWalletDialog: the first-run flows. Create: the wallet generates a 24-word phrase
// (generatemnemonic), the user writes it down, proves it by typing three words picked at random,
// chooses a passphrase, and createwallet stores it. Restore: the user types a phrase (checked word
// by word by the wallet), chooses a passphrase, and createwallet restores it. The phrase is kept
// only in this dialog and dropped when it closes.

#include <QDialog>
#include <QList>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace blyan::ui {

class MnemonicEntry;
class MnemonicGrid;
class PassphraseForm;
class WalletModel;

class CreateWalletDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode { Create, Restore };

    CreateWalletDialog(WalletModel *wallet, Mode mode, QWidget *parent = nullptr);

    Mode mode() const { return mode_; }
    // The 1-based word numbers the confirmation step asks for (for tests and screen readers).
    QList<int> confirmIndices() const { return confirmIndices_; }
    void done(int result) override;

private:
    QWidget *buildWriteDown();
    QWidget *buildConfirm();
    QWidget *buildRestore();
    QWidget *buildPassphrase();
    void generate();
    void showStep(int step);
    void next();
    void back();
    void create();
    void updateButtons();
    bool confirmOk() const;
    QString phrase() const;

    WalletModel *wallet_;
    Mode mode_;
    QStringList words_;  // Create: the generated phrase
    QList<int> confirmIndices_;
    QStackedWidget *steps_;
    QLabel *title_, *subtitle_, *error_;
    MnemonicGrid *grid_ = nullptr;
    QCheckBox *wroteDown_ = nullptr;
    QList<QLineEdit *> confirmFields_;
    MnemonicEntry *entry_ = nullptr;
    PassphraseForm *passphrase_ = nullptr;
    QPushButton *back_, *next_, *cancel_;
    bool busy_ = false;
};

}  // namespace blyan::ui
