#include "ui/wallet/create_wallet_dialog.h"

#include "ui/wallet/mnemonic_widgets.h"
#include "ui/wallet/passphrase_form.h"
#include "ui/wallet/wallet_model.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

namespace blyan::ui {

namespace {
constexpr int kConfirmCount = 3;

// generatemnemonic and showmnemonic answer with the phrase as a string (or {mnemonic: "..."}).
QStringList wordsOf(const QJsonValue &v)
{
    const QString s = v.isString() ? v.toString() : v.toObject().value(QLatin1String("mnemonic")).toString();
    return s.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QLabel *muted(const QString &text)
{
    auto *l = new QLabel(text);
    l->setObjectName(QStringLiteral("Muted"));
    l->setWordWrap(true);
    return l;
}
}  // namespace

CreateWalletDialog::CreateWalletDialog(WalletModel *wallet, Mode mode, QWidget *parent)
    : QDialog(parent), wallet_(wallet), mode_(mode)
{
    setObjectName(QStringLiteral("CreateWalletDialog"));
    setWindowTitle(mode == Mode::Create ? tr("Create a new wallet") : tr("Restore a wallet"));
    setMinimumWidth(640);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(24, 20, 24, 16);
    col->setSpacing(12);
    title_ = new QLabel;
    title_->setObjectName(QStringLiteral("WizardTitle"));
    QFont f = title_->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setWeight(QFont::Bold);
    title_->setFont(f);
    subtitle_ = muted(QString());
    col->addWidget(title_);
    col->addWidget(subtitle_);
    steps_ = new QStackedWidget;
    if (mode == Mode::Create) {
        steps_->addWidget(buildWriteDown());
        steps_->addWidget(buildConfirm());
    } else {
        steps_->addWidget(buildRestore());
    }
    steps_->addWidget(buildPassphrase());
    col->addWidget(steps_, 1);
    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("ErrorText"));
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->hide();
    col->addWidget(error_);

    auto *buttons = new QHBoxLayout;
    cancel_ = new QPushButton(tr("Cancel"));
    back_ = new QPushButton(tr("Back"));
    next_ = new QPushButton;
    next_->setObjectName(QStringLiteral("WizardNext"));
    next_->setDefault(true);
    buttons->addWidget(cancel_);
    buttons->addStretch(1);
    buttons->addWidget(back_);
    buttons->addWidget(next_);
    col->addLayout(buttons);
    connect(cancel_, &QPushButton::clicked, this, &QDialog::reject);
    connect(back_, &QPushButton::clicked, this, &CreateWalletDialog::back);
    connect(next_, &QPushButton::clicked, this, &CreateWalletDialog::next);
    showStep(0);
    if (mode == Mode::Create) generate();
}

QWidget *CreateWalletDialog::buildWriteDown()
{
    auto *w = new QWidget;
    auto *col = new QVBoxLayout(w);
    col->setContentsMargins(0, 8, 0, 0);
    col->setSpacing(14);
    grid_ = new MnemonicGrid;
    col->addWidget(grid_);
    auto *warn = new QLabel(tr("Write these words on paper, in this order, and keep it somewhere safe. They are the only "
                               "way to recover your BLY if this computer is lost. Anyone who sees them can take your "
                               "BLY: never type them into a website or share a photo of them."));
    warn->setObjectName(QStringLiteral("Warning"));
    warn->setWordWrap(true);
    col->addWidget(warn);
    wroteDown_ = new QCheckBox(tr("I have written down all 24 words, in order"));
    wroteDown_->setObjectName(QStringLiteral("WroteDown"));
    connect(wroteDown_, &QCheckBox::toggled, this, &CreateWalletDialog::updateButtons);
    col->addWidget(wroteDown_);
    col->addStretch(1);
    return w;
}

QWidget *CreateWalletDialog::buildConfirm()
{
    auto *w = new QWidget;
    auto *col = new QVBoxLayout(w);
    col->setContentsMargins(0, 8, 0, 0);
    auto *form = new QFormLayout;
    form->setVerticalSpacing(10);
    // Three distinct positions, drawn from the system's CSPRNG and asked in order.
    QList<int> all;
    for (int i = 1; i <= 24; ++i) all.append(i);
    std::shuffle(all.begin(), all.end(), *QRandomGenerator::system());
    confirmIndices_ = all.mid(0, kConfirmCount);
    std::sort(confirmIndices_.begin(), confirmIndices_.end());
    for (int idx : confirmIndices_) {
        auto *field = new QLineEdit;
        field->setObjectName(QStringLiteral("ConfirmWord"));
        field->setProperty("index", idx);
        field->setInputMethodHints(Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase | Qt::ImhSensitiveData);
        form->addRow(tr("Word %1").arg(idx), field);
        confirmFields_.append(field);
        connect(field, &QLineEdit::textChanged, this, [this, field, idx] {
            const QString typed = field->text().trimmed().toLower();
            const QString want = idx <= words_.size() ? words_.at(idx - 1) : QString();
            field->setProperty("invalid", !typed.isEmpty() && !want.startsWith(typed));
            field->style()->unpolish(field);
            field->style()->polish(field);
            updateButtons();
        });
    }
    col->addLayout(form);
    col->addStretch(1);
    return w;
}

QWidget *CreateWalletDialog::buildRestore()
{
    entry_ = new MnemonicEntry(wallet_);
    connect(entry_, &MnemonicEntry::validityChanged, this, &CreateWalletDialog::updateButtons);
    return entry_;
}

QWidget *CreateWalletDialog::buildPassphrase()
{
    auto *w = new QWidget;
    auto *col = new QVBoxLayout(w);
    col->setContentsMargins(0, 8, 0, 0);
    col->setSpacing(12);
    passphrase_ = new PassphraseForm;
    connect(passphrase_, &PassphraseForm::changed, this, &CreateWalletDialog::updateButtons);
    col->addWidget(passphrase_);
    col->addWidget(muted(tr("The passphrase encrypts the wallet on this computer and unlocks it for sending. If you "
                            "forget it, restore the wallet from the recovery phrase.")));
    col->addStretch(1);
    return w;
}

void CreateWalletDialog::generate()
{
    busy_ = true;
    updateButtons();
    wallet_->call(QStringLiteral("generatemnemonic"), {}, this, [this](const Expected<QJsonValue> &a) {
        busy_ = false;
        if (!a.ok()) {
            error_->setText(QString::fromStdString(a.error().message));
            error_->show();
        } else {
            words_ = wordsOf(a.value());
            grid_->setWords(words_);
        }
        updateButtons();
    });
}

void CreateWalletDialog::showStep(int step)
{
    steps_->setCurrentIndex(step);
    const bool last = step == steps_->count() - 1;
    if (last) {
        title_->setText(tr("Choose a passphrase"));
        subtitle_->setText(tr("Step %1 of %2").arg(step + 1).arg(steps_->count()));
    } else if (mode_ == Mode::Restore) {
        title_->setText(tr("Enter your recovery phrase"));
        subtitle_->setText(tr("Step 1 of 2 · The words are checked against the BIP-39 list as you type."));
    } else if (step == 0) {
        title_->setText(tr("Write down your recovery phrase"));
        subtitle_->setText(tr("Step 1 of 3"));
    } else {
        title_->setText(tr("Confirm your recovery phrase"));
        subtitle_->setText(tr("Step 2 of 3 · Type the words with these numbers from your paper copy."));
    }
    next_->setText(last ? (mode_ == Mode::Create ? tr("Create wallet") : tr("Restore wallet")) : tr("Next"));
    error_->hide();
    updateButtons();
}

bool CreateWalletDialog::confirmOk() const
{
    for (QLineEdit *f : confirmFields_) {
        const int idx = f->property("index").toInt();
        if (idx > words_.size() || f->text().trimmed().toLower() != words_.at(idx - 1)) return false;
    }
    return true;
}

void CreateWalletDialog::updateButtons()
{
    const int step = steps_->currentIndex();
    const bool last = step == steps_->count() - 1;
    bool ok = false;
    if (last) ok = passphrase_->isAcceptable();
    else if (mode_ == Mode::Restore) ok = entry_->isValid();
    else if (step == 0) ok = words_.size() == 24 && wroteDown_->isChecked();
    else ok = confirmOk();
    next_->setEnabled(ok && !busy_);
    back_->setEnabled(step > 0 && !busy_);
    back_->setVisible(step > 0);
    cancel_->setEnabled(!busy_);
}

void CreateWalletDialog::next()
{
    if (steps_->currentIndex() == steps_->count() - 1) create();
    else showStep(steps_->currentIndex() + 1);
}

void CreateWalletDialog::back()
{
    if (steps_->currentIndex() > 0) showStep(steps_->currentIndex() - 1);
}

QString CreateWalletDialog::phrase() const
{
    return mode_ == Mode::Create ? words_.join(QLatin1Char(' ')) : entry_->phrase();
}

void CreateWalletDialog::create()
{
    busy_ = true;
    next_->setText(mode_ == Mode::Create ? tr("Creating…") : tr("Restoring…"));
    error_->hide();
    updateButtons();
    wallet_->call(QStringLiteral("createwallet"), {passphrase_->passphrase(), phrase()}, this,
                  [this](const Expected<QJsonValue> &a) {
        busy_ = false;
        showStep(steps_->currentIndex());
        if (!a.ok()) {
            error_->setText(QString::fromStdString(a.error().message));
            error_->show();
            return;
        }
        wallet_->refresh();
        accept();
    });
}

void CreateWalletDialog::done(int result)
{
    // The phrase and passphrase leave the widgets with the dialog.
    words_.fill(QString());
    words_.clear();
    if (grid_) grid_->clear();
    for (QLineEdit *f : confirmFields_) f->clear();
    if (entry_) entry_->clear();
    passphrase_->clear();
    QDialog::done(result);
}

}  // namespace blyan::ui
