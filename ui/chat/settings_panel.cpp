#include "ui/chat/settings_panel.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace blyan::ui::chat {

namespace {
QDoubleSpinBox *number(double min, double max, double step, int decimals, const QString &tip)
{
    auto *b = new QDoubleSpinBox;
    b->setRange(min, max);
    b->setSingleStep(step);
    b->setDecimals(decimals);
    b->setToolTip(tip);
    b->setAccessibleDescription(tip);
    return b;
}
}  // namespace

QString SettingsPanel::defaultsKey() { return QStringLiteral("chat/defaults"); }

ChatSettings SettingsPanel::savedDefaults()
{
    const QByteArray saved = QSettings().value(defaultsKey()).toByteArray();
    return saved.isEmpty() ? ChatSettings{} : ChatSettings::fromJson(QJsonDocument::fromJson(saved).object());
}

SettingsPanel::SettingsPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("ChatSettingsPanel"));
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(12, 12, 12, 12);
    col->setSpacing(8);
    auto *title = new QLabel(tr("Chat settings"));
    title->setObjectName(QStringLiteral("CardTitle"));
    col->addWidget(title);

    col->addWidget(new QLabel(tr("System prompt")));
    system_ = new QPlainTextEdit;
    system_->setObjectName(QStringLiteral("SystemPrompt"));
    system_->setPlaceholderText(tr("How the model should behave in this chat (optional)"));
    system_->setMinimumHeight(90);
    system_->setMaximumHeight(180);
    col->addWidget(system_);

    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignLeft);
    temperature_ = number(0, 5, 0.05, 2, tr("Randomness: 0 always takes the most likely token (greedy), higher is more varied."));
    temperature_->setObjectName(QStringLiteral("Temperature"));
    topP_ = number(0, 1, 0.05, 2, tr("Top-p: sample only from the most likely tokens whose probabilities add up to this (1 = off)."));
    topK_ = new QSpinBox;
    topK_->setRange(0, 100000);
    topK_->setToolTip(tr("Top-k: sample only from this many most likely tokens (0 = off)."));
    minP_ = number(0, 1, 0.01, 2, tr("Min-p: drop tokens less likely than this fraction of the most likely one (0 = off)."));
    repeat_ = number(0.5, 2, 0.05, 2, tr("Repeat penalty: above 1 makes the model avoid tokens it used recently (1 = off)."));
    maxTokens_ = new QSpinBox;
    maxTokens_->setObjectName(QStringLiteral("MaxTokens"));
    maxTokens_->setRange(1, 1 << 20);
    maxTokens_->setToolTip(tr("The longest answer, in tokens. This much room is kept free in the context (at most half of it)."));
    seed_ = new QSpinBox;
    seed_->setObjectName(QStringLiteral("Seed"));
    seed_->setRange(-1, INT_MAX);
    seed_->setSpecialValueText(tr("random"));  // -1
    seed_->setToolTip(tr("With a seed the same prompt and settings give the same answer; \"random\" makes every answer new."));
    form->addRow(tr("Temperature"), temperature_);
    form->addRow(tr("Top-p"), topP_);
    form->addRow(tr("Top-k"), topK_);
    form->addRow(tr("Min-p"), minP_);
    form->addRow(tr("Repeat penalty"), repeat_);
    form->addRow(tr("Max tokens"), maxTokens_);
    form->addRow(tr("Seed"), seed_);
    col->addLayout(form);
    maxNote_ = new QLabel;
    maxNote_->setWordWrap(true);
    maxNote_->setProperty("tone", QStringLiteral("muted"));
    col->addWidget(maxNote_);

    auto *buttons = new QHBoxLayout;
    auto *reset = new QPushButton(tr("Reset"));
    reset->setToolTip(tr("Back to the default settings (the system prompt stays)"));
    auto *save = new QPushButton(tr("Save as default"));
    save->setToolTip(tr("New chats start with these settings"));
    buttons->addWidget(reset);
    buttons->addWidget(save);
    col->addLayout(buttons);
    col->addStretch(1);

    connect(reset, &QPushButton::clicked, this, [this] {
        ChatSettings s = savedDefaults();
        s.systemPrompt = system_->toPlainText();
        setSettings(s);
        changed();
    });
    connect(save, &QPushButton::clicked, this, [this] {
        QSettings().setValue(defaultsKey(), QJsonDocument(settings().toJson()).toJson(QJsonDocument::Compact));
    });

    typing_ = new QTimer(this);
    typing_->setSingleShot(true);
    typing_->setInterval(400);
    connect(typing_, &QTimer::timeout, this, &SettingsPanel::changed);
    connect(system_, &QPlainTextEdit::textChanged, this, [this] {
        if (!loading_) typing_->start();
    });
    for (QDoubleSpinBox *b : {temperature_, topP_, minP_, repeat_})
        connect(b, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
    for (QSpinBox *b : {topK_, maxTokens_, seed_}) connect(b, &QSpinBox::valueChanged, this, [this] { changed(); });
    setSettings(ChatSettings{});
}

void SettingsPanel::setSettings(const ChatSettings &s)
{
    loading_ = true;
    if (system_->toPlainText() != s.systemPrompt) system_->setPlainText(s.systemPrompt);
    temperature_->setValue(s.temperature);
    topP_->setValue(s.topP);
    topK_->setValue(s.topK);
    minP_->setValue(s.minP);
    repeat_->setValue(s.repeatPenalty);
    maxTokens_->setValue(s.maxTokens);
    seed_->setValue(s.seed ? int(std::min<qint64>(*s.seed, INT_MAX)) : -1);
    typing_->stop();
    loading_ = false;
}

void SettingsPanel::flush()
{
    if (!typing_->isActive()) return;
    typing_->stop();
    changed();
}

ChatSettings SettingsPanel::settings() const
{
    ChatSettings s;
    s.systemPrompt = system_->toPlainText();
    s.temperature = temperature_->value();
    s.topP = topP_->value();
    s.topK = topK_->value();
    s.minP = minP_->value();
    s.repeatPenalty = repeat_->value();
    s.maxTokens = maxTokens_->value();
    if (seed_->value() >= 0) s.seed = seed_->value();
    return s;
}

void SettingsPanel::setContextLength(qint64 tokens)
{
    maxNote_->setText(tokens > 0 ? tr("The model's context holds %1 tokens: prompt and answer together.")
                                       .arg(QLocale().toString(tokens))
                                 : QString());
}

void SettingsPanel::changed()
{
    if (loading_) return;
    Q_EMIT settingsChanged(settings());
}

}  // namespace blyan::ui::chat
