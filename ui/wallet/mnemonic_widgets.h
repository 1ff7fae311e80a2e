#pragma once
// The recovery phrase on screen: MnemonicGrid shows it numbered, the way people copy it onto
// paper; MnemonicEntry takes one back, word by word, and has the wallet check each word against
// the BIP-39 list and the whole phrase's checksum (validatemnemonic) while the user types. Both
// drop the words from their widgets when cleared; the dialogs holding them clear them on close.

#include <QList>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;

namespace blyan::ui {

class WalletModel;

class MnemonicGrid : public QWidget {
    Q_OBJECT
public:
    explicit MnemonicGrid(QWidget *parent = nullptr);
    void setWords(const QStringList &words);
    void clear();

private:
    QGridLayout *grid_;
};

class MnemonicEntry : public QWidget {
    Q_OBJECT
public:
    explicit MnemonicEntry(WalletModel *wallet, QWidget *parent = nullptr);

    bool isValid() const { return valid_; }
    QString phrase() const;  // the words, lower case, one space apart
    void clear();

Q_SIGNALS:
    void validityChanged(bool valid);

private:
    void setWordCount(int n);
    void onEdited(int index);
    void validate();
    void setValid(bool valid);

    WalletModel *wallet_;
    QComboBox *count_;
    QGridLayout *grid_;
    QList<QLineEdit *> fields_;
    QLabel *status_;
    QTimer debounce_;
    quint64 generation_ = 0;
    bool valid_ = false;
    bool spreading_ = false;
};

}  // namespace blyan::ui
