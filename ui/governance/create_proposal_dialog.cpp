#include "ui/governance/create_proposal_dialog.h"

#include "ui/governance/governance_model.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/form_status.h"
#include "ui/wallet/unlock_dialog.h"
#include "ui/wallet/wallet_model.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {

// Limits of the proposal body (docs/protocol.md "Governance"), in UTF-8 bytes as the chain counts them.
constexpr int kMaxTitleBytes = 120;
constexpr int kMaxTextBytes = 16'384;

enum Page { SignalPage, ParamPage, DatasetPage, ObjectPage, TreasuryPage };

// One label column width for the main form and the kind's fields, so that they line up.
constexpr int kLabelWidth = 110;

QLabel *label(const QString &text)
{
    auto *l = new QLabel(text);
    l->setMinimumWidth(kLabelWidth);
    return l;
}

// A field with its message under it, as one form row (an empty message takes no room).
QWidget *withStatus(QWidget *field, QLabel *status)
{
    auto *w = new QWidget;
    auto *l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->setSpacing(4);
    l->addWidget(field);
    l->addWidget(status);
    return w;
}

QWidget *page(QFormLayout **form)
{
    auto *w = new QWidget;
    *form = new QFormLayout(w);
    (*form)->setContentsMargins(0, 0, 0, 0);
    return w;
}

QLineEdit *lineEdit(const QString &name, const QString &placeholder)
{
    auto *e = new QLineEdit;
    e->setObjectName(name);
    e->setPlaceholderText(placeholder);
    return e;
}

bool hasControl(const QString &s, bool multiline)
{
    for (QChar c : s)
        if ((c.unicode() < 0x20 || c.unicode() == 0x7f) && !(multiline && (c == QLatin1Char('\n') || c == QLatin1Char('\t'))))
            return true;
    return false;
}

}  // namespace

CreateProposalDialog::CreateProposalDialog(GovernanceModel *governance, QWidget *parent)
    : QDialog(parent), governance_(governance)
{
    setObjectName(QStringLiteral("CreateProposalDialog"));
    setWindowTitle(tr("New proposal"));
    setMinimumWidth(640);
    auto *col = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Stakers vote on your proposal with their stake at the block before it. The deposit "
                                "comes back when voting ends, unless the proposal is vetoed."));
    intro->setWordWrap(true);
    col->addWidget(intro);

    auto *form = new QFormLayout;
    form->setVerticalSpacing(8);
    kind_ = new QComboBox;
    kind_->setObjectName(QStringLiteral("ProposalKind"));
    for (const char *k : {"signal", "parameter_change", "dataset_approval", "model_spec_upgrade", "treasury_spend", "pact_amendment"})
        kind_->addItem(proposalKindTitle(QString::fromLatin1(k)), QString::fromLatin1(k));
    kindInfo_ = makeStatusLabel(QStringLiteral("ProposalKindInfo"));
    form->addRow(label(tr("Kind")), withStatus(kind_, kindInfo_));
    title_ = lineEdit(QStringLiteral("ProposalTitle"), tr("One line people will see in the list"));
    titleStatus_ = makeStatusLabel(QStringLiteral("ProposalTitleStatus"));
    form->addRow(label(tr("Title")), withStatus(title_, titleStatus_));
    text_ = new QPlainTextEdit;
    text_->setObjectName(QStringLiteral("ProposalText"));
    text_->setPlaceholderText(tr("What should change, why, and what it costs. Plain text."));
    text_->setMinimumHeight(140);
    textStatus_ = makeStatusLabel(QStringLiteral("ProposalTextStatus"));
    form->addRow(label(tr("Text")), withStatus(text_, textStatus_));

    details_ = new QStackedWidget;
    details_->setObjectName(QStringLiteral("ProposalDetails"));
    QFormLayout *f = nullptr;
    QWidget *signal = page(&f);
    auto *signalNote = new QLabel(tr("A signal changes nothing on the chain: it records where the stake stands."));
    signalNote->setWordWrap(true);
    f->addRow(label(QString()), signalNote);
    details_->addWidget(signal);
    QWidget *param = page(&f);
    param_ = new QComboBox;
    param_->setObjectName(QStringLiteral("ProposalParam"));
    f->addRow(label(tr("Parameter")), param_);
    value_ = lineEdit(QStringLiteral("ProposalValue"), tr("New value"));
    paramInfo_ = makeStatusLabel(QStringLiteral("ProposalParamInfo"));
    f->addRow(label(tr("New value")), withStatus(value_, paramInfo_));
    details_->addWidget(param);
    QWidget *dataset = page(&f);
    datasetObject_ = lineEdit(QStringLiteral("ProposalDatasetObject"), tr("Chain-D dataset: object id or name"));
    f->addRow(label(tr("Dataset")), datasetObject_);
    tier_ = new QComboBox;
    tier_->setObjectName(QStringLiteral("ProposalTier"));
    f->addRow(label(tr("Tier")), tier_);
    details_->addWidget(dataset);
    QWidget *object = page(&f);
    object_ = lineEdit(QStringLiteral("ProposalObject"), tr("Chain-A object: id or name"));
    f->addRow(label(tr("Object")), object_);
    details_->addWidget(object);
    QWidget *treasury = page(&f);
    to_ = lineEdit(QStringLiteral("ProposalTo"), tr("Recipient address"));
    f->addRow(label(tr("Pay to")), to_);
    amount_ = lineEdit(QStringLiteral("ProposalAmount"), QStringLiteral("0.00"));
    f->addRow(label(tr("Amount (BLY)")), amount_);
    details_->addWidget(treasury);
    detailStatus_ = makeStatusLabel(QStringLiteral("ProposalDetailStatus"));
    detailStatus_->setContentsMargins(kLabelWidth + 6, 0, 0, 0);  // under the fields, not the labels
    form->addRow(withStatus(details_, detailStatus_));
    deposit_ = lineEdit(QStringLiteral("ProposalDeposit"), QString());
    depositStatus_ = makeStatusLabel(QStringLiteral("ProposalDepositStatus"));
    form->addRow(label(tr("Deposit (BLY)")), withStatus(deposit_, depositStatus_));
    col->addLayout(form);

    result_ = makeStatusLabel(QStringLiteral("ProposalResult"));
    result_->setWordWrap(true);
    col->addWidget(result_);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Cancel);
    QPushButton *ok = buttons_->addButton(tr("Submit proposal"), QDialogButtonBox::AcceptRole);
    ok->setObjectName(QStringLiteral("SubmitProposal"));
    col->addWidget(buttons_);

    // The live rules: parameters with their bounds, tiers, the minimum deposit.
    const GovernanceInfo &info = governance_->info();
    for (const GovParamItem &p : info.params) param_->addItem(p.name, p.name);
    for (const auto &t : info.tiers) {
        const QJsonObject o = t.toObject();
        tier_->addItem(tr("%1 — %2").arg(o.value(QLatin1String("tier")).toInt()).arg(o.value(QLatin1String("name")).toString()),
                       o.value(QLatin1String("tier")).toInt());
    }
    tier_->addItem(tr("0 — withdraw the approval"), 0);
    deposit_->setText(plainBly(info.deposit));

    connect(kind_, &QComboBox::currentIndexChanged, this, &CreateProposalDialog::kindChanged);
    connect(param_, &QComboBox::currentIndexChanged, this, &CreateProposalDialog::paramChanged);
    for (QLineEdit *e : {title_, value_, datasetObject_, object_, to_, amount_, deposit_})
        connect(e, &QLineEdit::textChanged, this, &CreateProposalDialog::revalidate);
    connect(text_, &QPlainTextEdit::textChanged, this, &CreateProposalDialog::revalidate);
    connect(buttons_, &QDialogButtonBox::accepted, this, &CreateProposalDialog::submit);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    kindChanged();
    paramChanged();
    resize(660, layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(660) : sizeHint().height());
}

QString CreateProposalDialog::kind() const { return kind_->currentData().toString(); }

void CreateProposalDialog::kindChanged()
{
    const QString k = kind();
    details_->setCurrentIndex(k == QLatin1String("parameter_change") ? ParamPage
                              : k == QLatin1String("dataset_approval") ? DatasetPage
                              : k == QLatin1String("treasury_spend")   ? TreasuryPage
                              : k == QLatin1String("signal")           ? SignalPage
                                                                       : ObjectPage);
    const int slotMs = governance_->info().slotMs;
    for (const auto &v : governance_->info().kinds) {
        const QJsonObject o = v.toObject();
        if (o.value(QLatin1String("kind")).toString() != k) continue;
        const qint64 blocks = qint64(o.value(QLatin1String("voting_blocks")).toDouble());
        QString text = tr("Voting lasts %1 blocks (at least %2 at %3 ms a slot). Passes with quorum %4 % of all stake "
                          "and at least %5 % yes of yes + no + veto.")
                           .arg(QLocale().toString(blocks))
                           .arg(blocks * slotMs / 1000 >= 86400 ? tr("%1 days").arg(blocks * slotMs / 1000 / 86400)
                                                                : tr("%1 s").arg(blocks * slotMs / 1000))
                           .arg(slotMs)
                           .arg(o.value(QLatin1String("quorum_percent")).toInt())
                           .arg(o.value(QLatin1String("threshold_percent")).toInt());
        if (k == QLatin1String("pact_amendment"))
            text += tr(" A pact amendment is open for review for its whole voting period.");
        setStatus(kindInfo_, text, Tone::Muted);
    }
    if (k == QLatin1String("model_spec_upgrade")) object_->setPlaceholderText(tr("Chain-A model_spec object: id or name"));
    if (k == QLatin1String("pact_amendment")) object_->setPlaceholderText(tr("Chain-A genesis_pact object with the new text: id or name"));
    revalidate();
}

void CreateProposalDialog::paramChanged()
{
    for (const GovParamItem &p : governance_->info().params)
        if (p.name == param_->currentData().toString())
            setStatus(paramInfo_, tr("%1. Now %2, default %3; allowed %4 to %5 %6.")
                                      .arg(p.description.left(1).toUpper() + p.description.mid(1))
                                      .arg(QLocale().toString(p.value), QLocale().toString(p.defaultValue),
                                           QLocale().toString(p.min), QLocale().toString(p.max))
                                      .arg(p.unit == QLatin1String("percent") ? QStringLiteral("%") : p.unit),
                      Tone::Muted);
    revalidate();
}

void CreateProposalDialog::revalidate()
{
    bool ok = !busy_;
    const QString title = title_->text().trimmed();
    if (title.isEmpty()) {
        setStatus(titleStatus_, tr("Required."), Tone::Muted);
        ok = false;
    } else if (title.toUtf8().size() > kMaxTitleBytes || hasControl(title, false)) {
        setStatus(titleStatus_, tr("At most %1 bytes of plain text (%2 now).").arg(kMaxTitleBytes).arg(title.toUtf8().size()), Tone::Error);
        ok = false;
    } else {
        setStatus(titleStatus_, QString(), Tone::Muted);
    }
    const QString text = text_->toPlainText().trimmed();
    if (text.isEmpty()) {
        setStatus(textStatus_, tr("Required: explain the proposal."), Tone::Muted);
        ok = false;
    } else if (text.toUtf8().size() > kMaxTextBytes || hasControl(text, true)) {
        setStatus(textStatus_, tr("At most %1 bytes of plain text (%2 now).").arg(kMaxTextBytes).arg(text.toUtf8().size()), Tone::Error);
        ok = false;
    } else {
        setStatus(textStatus_, tr("%1 of %2 bytes").arg(text.toUtf8().size()).arg(kMaxTextBytes), Tone::Muted);
    }

    QString detail;
    const QString k = kind();
    if (k == QLatin1String("parameter_change")) {
        bool isNumber = false;
        const quint64 v = value_->text().trimmed().toULongLong(&isNumber);
        for (const GovParamItem &p : governance_->info().params) {
            if (p.name != param_->currentData().toString()) continue;
            if (value_->text().trimmed().isEmpty()) detail = tr("Enter the new value.");
            else if (!isNumber || v < p.min || v > p.max)
                detail = tr("Must be a whole number from %1 to %2 (hard bounds).").arg(QLocale().toString(p.min), QLocale().toString(p.max));
            else if (v == p.value) detail = tr("That is the current value: nothing would change.");
        }
    } else if (k == QLatin1String("dataset_approval")) {
        if (datasetObject_->text().trimmed().isEmpty()) detail = tr("Name the dataset (chain D) to approve.");
    } else if (k == QLatin1String("model_spec_upgrade") || k == QLatin1String("pact_amendment")) {
        if (object_->text().trimmed().isEmpty()) detail = tr("Name the published chain-A object.");
    } else if (k == QLatin1String("treasury_spend")) {
        QString why;
        const auto a = parseBly(amount_->text(), &why);
        if (to_->text().trimmed().isEmpty()) detail = tr("Enter the recipient's address.");
        else if (!a || *a == 0) detail = amount_->text().trimmed().isEmpty() ? tr("Enter the amount.") : (a ? tr("Must be more than 0.") : why);
    }
    setStatus(detailStatus_, detail, detail.isEmpty() ? Tone::Muted : Tone::Error);
    ok = ok && detail.isEmpty();

    QString why;
    const auto deposit = parseBly(deposit_->text(), &why);
    const quint64 minimum = governance_->info().deposit;
    const WalletInfo &w = governance_->wallet()->info();
    if (!deposit) {
        setStatus(depositStatus_, why, Tone::Error);
        ok = false;
    } else if (*deposit < minimum) {
        setStatus(depositStatus_, tr("At least %1 (proposal_deposit_bly).").arg(displayBly(minimum)), Tone::Error);
        ok = false;
    } else if (!w.exists()) {
        setStatus(depositStatus_, tr("Create a wallet first (Wallet panel)."), Tone::Error);
        ok = false;
    } else if (*deposit > w.available) {
        setStatus(depositStatus_, tr("More than your available %1.").arg(displayBly(w.available)), Tone::Error);
        ok = false;
    } else {
        setStatus(depositStatus_, tr("Returned when voting ends, unless vetoed. Available: %1").arg(displayBly(w.available)), Tone::Muted);
    }
    valid_ = ok;
    // Messages come and go as the user types: grow with them (word-wrapped text needs its height for
    // this width), never overlap.
    QTimer::singleShot(0, this, [this] {
        const int h = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : layout()->totalMinimumSize().height();
        if (h > height()) resize(width(), h);
    });
    buttons_->button(QDialogButtonBox::Cancel)->setEnabled(!busy_);
    for (QAbstractButton *b : buttons_->buttons())
        if (buttons_->buttonRole(b) == QDialogButtonBox::AcceptRole) b->setEnabled(ok);
}

void CreateProposalDialog::submit()
{
    if (!valid_) return;
    const QString k = kind();
    QJsonObject details;
    if (k == QLatin1String("parameter_change"))
        details = {{QStringLiteral("param"), param_->currentData().toString()}, {QStringLiteral("value"), value_->text().trimmed()}};
    else if (k == QLatin1String("dataset_approval"))
        details = {{QStringLiteral("object"), datasetObject_->text().trimmed()}, {QStringLiteral("tier"), tier_->currentData().toInt()}};
    else if (k == QLatin1String("model_spec_upgrade") || k == QLatin1String("pact_amendment"))
        details = {{QStringLiteral("object"), object_->text().trimmed()}};
    else if (k == QLatin1String("treasury_spend"))
        details = {{QStringLiteral("to"), to_->text().trimmed()}, {QStringLiteral("amount"), amount_->text().trimmed()}};
    const QJsonArray params{k, title_->text().trimmed(), text_->toPlainText().trimmed(), details, deposit_->text().trimmed()};
    withUnlockedWallet(governance_->wallet(), this, [this, params] {
        busy_ = true;
        revalidate();
        setStatus(result_, tr("Signing and sending…"), Tone::Muted);
        governance_->wallet()->call(QStringLiteral("createproposal"), params, this, [this](const Expected<QJsonValue> &a) {
            busy_ = false;
            if (!a.ok()) {
                setStatus(result_, QString::fromStdString(a.error().message), Tone::Error);
                revalidate();
                return;
            }
            const QString id = a.value().toObject().value(QLatin1String("proposal")).toString();
            governance_->refresh();
            Q_EMIT created(id);
            accept();
        });
    });
}

}  // namespace blyan::ui
