#include "ui/wallet/passphrase_form.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSet>
#include <QStyle>
#include <QVBoxLayout>

#include <cmath>

namespace blyan::ui {

PassphraseStrength estimatePassphraseStrength(const QString &p)
{
    PassphraseStrength s;
    if (p.isEmpty()) return s;
    bool lower = false, upper = false, digit = false, symbol = false, other = false;
    for (QChar c : p) {
        if (c.isLower()) lower = true;
        else if (c.isUpper()) upper = true;
        else if (c.isDigit()) digit = true;
        else if (c.unicode() < 128) symbol = true;
        else other = true;
    }
    const int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
    // Characters that repeat the previous one or continue a run (abc, 321) add almost nothing.
    double effective = 1;
    for (qsizetype i = 1; i < p.size(); ++i) {
        const int d = p.at(i).unicode() - p.at(i - 1).unicode();
        effective += (d == 0 || d == 1 || d == -1) ? 0.25 : 1.0;
    }
    const double distinct = double(QSet<QChar>(p.begin(), p.end()).size());
    effective = qMin(effective, distinct * 2.5);  // "abababab" is two letters, not eight
    s.bits = effective * std::log2(double(qMax(pool, 2)));
    s.level = s.bits < 30 ? 0 : s.bits < 45 ? 1 : s.bits < 60 ? 2 : s.bits < 80 ? 3 : 4;
    static const char *const texts[] = {
        QT_TRANSLATE_NOOP("PassphraseForm", "Very weak: easily guessed"),
        QT_TRANSLATE_NOOP("PassphraseForm", "Weak: add more words or characters"),
        QT_TRANSLATE_NOOP("PassphraseForm", "Fair: a few more words make it strong"),
        QT_TRANSLATE_NOOP("PassphraseForm", "Strong"),
        QT_TRANSLATE_NOOP("PassphraseForm", "Very strong")};
    s.text = PassphraseForm::tr(texts[s.level]);
    return s;
}

PassphraseForm::PassphraseForm(QWidget *parent) : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    first_ = new QLineEdit;
    first_->setObjectName(QStringLiteral("NewPassphrase"));
    first_->setEchoMode(QLineEdit::Password);
    first_->setPlaceholderText(tr("At least %1 characters; several words work well").arg(kMinLength));
    second_ = new QLineEdit;
    second_->setObjectName(QStringLiteral("ConfirmPassphrase"));
    second_->setEchoMode(QLineEdit::Password);
    meter_ = new QProgressBar;
    meter_->setObjectName(QStringLiteral("StrengthMeter"));
    meter_->setRange(0, 5);
    meter_->setTextVisible(false);
    strength_ = new QLabel;
    strength_->setObjectName(QStringLiteral("PassphraseStrength"));
    match_ = new QLabel;
    match_->setObjectName(QStringLiteral("ErrorText"));
    auto *meterBox = new QVBoxLayout;
    meterBox->setSpacing(4);
    meterBox->addWidget(meter_);
    meterBox->addWidget(strength_);
    form->addRow(tr("Passphrase"), first_);
    form->addRow(QString(), meterBox);
    form->addRow(tr("Repeat it"), second_);
    form->addRow(QString(), match_);
    for (QLineEdit *e : {first_, second_}) connect(e, &QLineEdit::textChanged, this, &PassphraseForm::update);
    update();
}

bool PassphraseForm::isAcceptable() const
{
    return first_->text().size() >= kMinLength && first_->text() == second_->text();
}

QString PassphraseForm::passphrase() const { return first_->text(); }

void PassphraseForm::clear()
{
    first_->clear();
    second_->clear();
}

void PassphraseForm::update()
{
    const QString p = first_->text();
    const PassphraseStrength s = estimatePassphraseStrength(p);
    meter_->setValue(p.isEmpty() ? 0 : s.level + 1);
    meter_->setProperty("level", s.level);  // the theme colours the bar by level
    meter_->style()->unpolish(meter_);
    meter_->style()->polish(meter_);
    if (p.isEmpty()) strength_->setText(tr("Choose a passphrase you can remember; it cannot be recovered."));
    else if (p.size() < kMinLength) strength_->setText(tr("Too short: at least %1 characters").arg(kMinLength));
    else strength_->setText(s.text);
    const bool mismatch = !second_->text().isEmpty() && second_->text() != p;
    match_->setText(mismatch ? tr("The two passphrases differ.") : QString());
    match_->setVisible(mismatch);
    Q_EMIT changed();
}

}  // namespace blyan::ui
