#include "ui/wallet/mnemonic_widgets.h"

#include "ui/wallet/form_status.h"
#include "ui/wallet/wallet_model.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
constexpr int kColumns = 4;
constexpr int kMaxWords = 24;

QLabel *numberLabel(int n)
{
    auto *l = new QLabel(QStringLiteral("%1.").arg(n));
    l->setObjectName(QStringLiteral("MnemonicNumber"));
    l->setMinimumWidth(24);
    l->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return l;
}
}  // namespace

MnemonicGrid::MnemonicGrid(QWidget *parent) : QWidget(parent)
{
    grid_ = new QGridLayout(this);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setHorizontalSpacing(10);
    grid_->setVerticalSpacing(8);
}

void MnemonicGrid::setWords(const QStringList &words)
{
    clear();
    for (int i = 0; i < words.size(); ++i) {
        auto *cell = new QFrame;
        cell->setObjectName(QStringLiteral("MnemonicCell"));
        cell->setAttribute(Qt::WA_StyledBackground);
        auto *row = new QHBoxLayout(cell);
        row->setContentsMargins(8, 6, 12, 6);
        row->setSpacing(6);
        auto *word = new QLabel(words.at(i));
        word->setObjectName(QStringLiteral("MnemonicWord"));
        word->setProperty("index", i + 1);
        row->addWidget(numberLabel(i + 1));
        row->addWidget(word, 1);
        grid_->addWidget(cell, i / kColumns, i % kColumns);
    }
}

void MnemonicGrid::clear()
{
    while (QLayoutItem *item = grid_->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            for (QLabel *l : w->findChildren<QLabel *>()) l->clear();
            delete w;
        }
        delete item;
    }
}

MnemonicEntry::MnemonicEntry(WalletModel *wallet, QWidget *parent) : QWidget(parent), wallet_(wallet)
{
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(12);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Number of words")));
    count_ = new QComboBox;
    count_->setObjectName(QStringLiteral("RestoreWordCount"));
    for (int n : {12, 15, 18, 21, 24}) count_->addItem(QString::number(n), n);
    count_->setCurrentIndex(count_->count() - 1);
    top->addWidget(count_);
    top->addStretch(1);
    col->addLayout(top);

    grid_ = new QGridLayout;
    grid_->setHorizontalSpacing(10);
    grid_->setVerticalSpacing(8);
    for (int i = 0; i < kMaxWords; ++i) {
        auto *cell = new QWidget;
        auto *row = new QHBoxLayout(cell);
        row->setContentsMargins(0, 0, 0, 0);
        row->setSpacing(6);
        auto *field = new QLineEdit;
        field->setObjectName(QStringLiteral("RestoreWord"));
        field->setProperty("index", i + 1);
        field->setAccessibleName(tr("Word %1").arg(i + 1));
        // No spell checking or completion popups that could remember the words.
        field->setInputMethodHints(Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase | Qt::ImhSensitiveData);
        row->addWidget(numberLabel(i + 1));
        row->addWidget(field, 1);
        grid_->addWidget(cell, i / kColumns, i % kColumns);
        fields_.append(field);
        connect(field, &QLineEdit::textEdited, this, [this, i] { onEdited(i); });
    }
    col->addLayout(grid_);
    status_ = makeStatusLabel(QStringLiteral("MnemonicStatus"));
    col->addWidget(status_);

    debounce_.setSingleShot(true);
    debounce_.setInterval(300);
    connect(&debounce_, &QTimer::timeout, this, &MnemonicEntry::validate);
    connect(count_, &QComboBox::currentIndexChanged, this, [this] { setWordCount(count_->currentData().toInt()); });
    setWordCount(kMaxWords);
}

void MnemonicEntry::setWordCount(int n)
{
    for (int i = 0; i < fields_.size(); ++i) grid_->itemAt(i)->widget()->setVisible(i < n);
    debounce_.start();
}

QString MnemonicEntry::phrase() const
{
    QStringList words;
    const int n = count_->currentData().toInt();
    for (int i = 0; i < n; ++i) words.append(fields_.at(i)->text().trimmed().toLower());
    return words.join(QLatin1Char(' '));
}

void MnemonicEntry::onEdited(int index)
{
    if (spreading_) return;
    // A whole phrase pasted (or typed with spaces) into one field spreads over the fields from
    // there, and a space after a word moves on to the next field, as on a paper card.
    QLineEdit *field = fields_.at(index);
    const QStringList parts = field->text().split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    const bool endsInSpace = !field->text().isEmpty() && field->text().back().isSpace();
    if (parts.size() > 1 || (parts.size() == 1 && endsInSpace)) {
        spreading_ = true;
        if (index == 0)
            if (int at = count_->findData(int(parts.size())); at >= 0) count_->setCurrentIndex(at);
        int k = 0;
        for (; k < parts.size() && index + k < fields_.size(); ++k) fields_.at(index + k)->setText(parts.at(k));
        const int last = count_->currentData().toInt() - 1;
        fields_.at(qMin(index + k, last))->setFocus();
        spreading_ = false;
    }
    setValid(false);
    debounce_.start();
}

void MnemonicEntry::validate()
{
    const int n = count_->currentData().toInt();
    QList<int> filled;
    QStringList words;
    for (int i = 0; i < n; ++i) {
        fields_.at(i)->setProperty("invalid", false);
        if (const QString w = fields_.at(i)->text().trimmed().toLower(); !w.isEmpty()) {
            filled.append(i);
            words.append(w);
        }
    }
    for (QLineEdit *f : fields_) repolish(f);
    const quint64 gen = ++generation_;
    if (words.isEmpty()) {
        setStatus(status_, tr("Type or paste your recovery phrase."), Tone::Muted);
        setValid(false);
        return;
    }
    wallet_->call(QStringLiteral("validatemnemonic"), {words.join(QLatin1Char(' '))}, this,
                  [this, gen, filled, n](const Expected<QJsonValue> &a) {
        if (gen != generation_) return;  // the user typed on since
        if (!a.ok()) {
            setStatus(status_, QString::fromStdString(a.error().message), Tone::Error);
            setValid(false);
            return;
        }
        // `unknown`: the 1-based positions (in the phrase sent) of words not in the BIP-39 list.
        const QJsonObject o = a.value().toObject();
        QList<int> unknown;
        for (const QJsonValue &v : o.value(QLatin1String("unknown")).toArray()) {
            const int k = v.toInt() - 1;
            if (k < 0 || k >= filled.size()) continue;
            unknown.append(filled.at(k) + 1);
            fields_.at(filled.at(k))->setProperty("invalid", true);
            repolish(fields_.at(filled.at(k)));
        }
        const bool complete = filled.size() == n;
        const bool valid = complete && unknown.isEmpty() && o.value(QLatin1String("valid")).toBool();
        if (!unknown.isEmpty()) {
            QStringList numbers;
            for (int u : unknown) numbers.append(QString::number(u));
            const QString list = QLocale().createSeparatedList(numbers);
            setStatus(status_,
                      unknown.size() == 1 ? tr("Word %1 is not in the BIP-39 word list.").arg(list)
                                          : tr("Words %1 are not in the BIP-39 word list.").arg(list),
                      Tone::Error);
        } else if (!complete) {
            setStatus(status_, tr("%1 of %2 words.").arg(filled.size()).arg(n), Tone::Muted);
        } else if (!valid) {
            setStatus(status_, o.value(QLatin1String("error")).toString(), Tone::Error);
        } else {
            setStatus(status_, tr("This is a valid recovery phrase."), Tone::Ok);
        }
        setValid(valid);
    });
}

void MnemonicEntry::setValid(bool valid)
{
    if (valid == valid_) return;
    valid_ = valid;
    Q_EMIT validityChanged(valid);
}

void MnemonicEntry::clear()
{
    ++generation_;
    for (QLineEdit *f : fields_) f->clear();
    setStatus(status_, QString(), Tone::Muted);
    setValid(false);
}

}  // namespace blyan::ui
