#pragma once
// PassphraseForm: a new passphrase typed twice, with live strength feedback. Used when a wallet is
// created or restored and when its passphrase changes. The wallet asks for at least 8 characters;
// the form also says how guessable the choice is, because Argon2id slows a thief down but cannot
// save a passphrase from a dictionary.

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;

namespace blyan::ui {

struct PassphraseStrength {
    double bits = 0;  // rough guessing entropy
    int level = 0;    // 0 very weak .. 4 very strong
    QString text;     // "Weak: add more words or characters"
};
// A deliberately simple estimate: length times the alphabet the characters come from, less for
// repeats and runs ("aaaa", "1234"). Honest enough to steer people towards long passphrases.
PassphraseStrength estimatePassphraseStrength(const QString &passphrase);

class PassphraseForm : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMinLength = 8;  // createwallet's own minimum

    explicit PassphraseForm(QWidget *parent = nullptr);

    bool isAcceptable() const;  // long enough and confirmed
    QString passphrase() const;
    void clear();

Q_SIGNALS:
    void changed();

private:
    void update();

    QLineEdit *first_, *second_;
    QProgressBar *meter_;
    QLabel *strength_, *match_;
};

}  // namespace blyan::ui
