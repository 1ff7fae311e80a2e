#include "ui/chat/message_widget.h"

#include "ui/chat/chat_export.h"
#include "ui/chat/markdown_view.h"
#include "ui/wallet/form_status.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QMap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace blyan::ui::chat {

MessageWidget::MessageWidget(const QString &id, QWidget *parent) : QFrame(parent), id_(id)
{
    setObjectName(QStringLiteral("Message"));
    setAttribute(Qt::WA_StyledBackground);
    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(14, 10, 14, 8);
    col->setSpacing(6);

    auto *head = new QHBoxLayout;
    head->setSpacing(4);
    name_ = new QLabel;
    name_->setObjectName(QStringLiteral("MessageAuthor"));
    head->addWidget(name_);
    head->addStretch(1);
    prev_ = action(QStringLiteral("‹"), QStringLiteral("PreviousVariant"), tr("Previous version"));
    variant_ = new QLabel;
    variant_->setObjectName(QStringLiteral("VariantLabel"));
    next_ = action(QStringLiteral("›"), QStringLiteral("NextVariant"), tr("Next version"));
    connect(prev_, &QToolButton::clicked, this, [this] { Q_EMIT variantRequested(id_, -1); });
    connect(next_, &QToolButton::clicked, this, [this] { Q_EMIT variantRequested(id_, +1); });
    head->addWidget(prev_);
    head->addWidget(variant_);
    head->addWidget(next_);
    col->addLayout(head);

    markdown_ = new MarkdownView;
    col->addWidget(markdown_);

    editBox_ = new QWidget;
    auto *ec = new QVBoxLayout(editBox_);
    ec->setContentsMargins(0, 0, 0, 0);
    editor_ = new QPlainTextEdit;
    editor_->setObjectName(QStringLiteral("EditMessage"));
    editor_->setMinimumHeight(90);
    ec->addWidget(editor_);
    auto *er = new QHBoxLayout;
    er->addWidget(new QLabel(tr("Sending keeps the current version as a branch you can go back to.")), 1);
    auto *cancel = new QPushButton(tr("Cancel"));
    auto *submit = new QPushButton(tr("Send"));
    submit->setObjectName(QStringLiteral("SubmitEdit"));
    submit->setDefault(true);
    connect(cancel, &QPushButton::clicked, this, [this] { finishEditing(false); });
    connect(submit, &QPushButton::clicked, this, [this] { finishEditing(true); });
    auto *sc = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), editor_, nullptr, nullptr, Qt::WidgetShortcut);
    connect(sc, &QShortcut::activated, this, [this] { finishEditing(true); });
    er->addWidget(cancel);
    er->addWidget(submit);
    ec->addLayout(er);
    editBox_->hide();
    col->addWidget(editBox_);

    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("MessageStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    col->addWidget(status_);

    stats_ = new QLabel;
    stats_->setObjectName(QStringLiteral("MessageStats"));
    stats_->setWordWrap(true);
    stats_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    col->addWidget(stats_);
    auto *foot = new QHBoxLayout;
    foot->setSpacing(2);
    copy_ = action(tr("Copy"), QStringLiteral("CopyMessage"), tr("Copy the whole message"));
    connect(copy_, &QToolButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(content_);
        copy_->setText(tr("Copied"));
        QTimer::singleShot(1500, copy_, [this] { copy_->setText(tr("Copy")); });
    });
    edit_ = action(tr("Edit"), QStringLiteral("EditButton"), tr("Edit and send again (the current version stays as a branch)"));
    connect(edit_, &QToolButton::clicked, this, &MessageWidget::startEditing);
    regenerate_ = action(tr("Regenerate"), QStringLiteral("RegenerateButton"), tr("Write another answer (this one stays as a version)"));
    connect(regenerate_, &QToolButton::clicked, this, [this] { Q_EMIT regenerateRequested(id_); });
    expertsToggle_ = action(tr("Experts"), QStringLiteral("ExpertsButton"), tr("Which experts of the chain answered, per layer"));
    expertsToggle_->setCheckable(true);
    delete_ = action(tr("Delete"), QStringLiteral("DeleteMessage"), tr("Delete this message and what followed it"));
    connect(delete_, &QToolButton::clicked, this, [this] { Q_EMIT deleteRequested(id_); });
    for (QToolButton *b : {copy_, edit_, regenerate_, expertsToggle_, delete_}) foot->addWidget(b);
    foot->addStretch(1);
    col->addLayout(foot);

    experts_ = new QLabel;
    experts_->setObjectName(QStringLiteral("ExpertsList"));
    experts_->setWordWrap(true);
    experts_->setTextFormat(Qt::RichText);
    experts_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    experts_->hide();
    connect(experts_, &QLabel::linkActivated, this, [this](const QString &href) {
        Q_EMIT expertLinkActivated(href.section(QLatin1Char(':'), 1));
    });
    // The list is built when first shown: a large model's answer can name thousands of experts.
    connect(expertsToggle_, &QToolButton::toggled, this, [this](bool on) {
        if (on && experts_->text().isEmpty()) experts_->setText(expertsHtml(expertList_));
        experts_->setVisible(on);
    });
    col->addWidget(experts_);
}

QToolButton *MessageWidget::action(const QString &text, const QString &objectName, const QString &tip)
{
    auto *b = new QToolButton;
    b->setText(text);
    b->setObjectName(objectName);
    b->setToolTip(tip);
    b->setAccessibleName(tip);
    b->setAutoRaise(true);
    b->setCursor(Qt::PointingHandCursor);
    return b;
}

QToolButton *MessageWidget::button(const QString &objectName) const { return findChild<QToolButton *>(objectName); }

QString MessageWidget::expertsHtml(const QJsonArray &experts)
{
    // Per layer, the experts that ran, most used first: "Layer 0: 3 (41) · 7 (38)", each a link.
    QMap<int, QList<QPair<qint64, QJsonObject>>> layers;
    for (const auto &v : experts) {
        const QJsonObject e = v.toObject();
        layers[e.value(QStringLiteral("layer")).toInt()].append({e.value(QStringLiteral("steps")).toInteger(), e});
    }
    QString html = tr("<b>Experts that answered</b> (forward steps that used each; a link opens its chain object):");
    for (auto it = layers.begin(); it != layers.end(); ++it) {
        auto list = it.value();
        std::stable_sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        QStringList links;
        for (const auto &[steps, e] : list) {
            const QString object = e.value(QStringLiteral("object")).toString();
            links << QStringLiteral("<a href=\"blyan-object:%1\">%2</a>&nbsp;(%3)")
                         .arg(object.toHtmlEscaped())
                         .arg(e.value(QStringLiteral("expert")).toInt())
                         .arg(steps);
        }
        html += QStringLiteral("<br>") + tr("Layer %1: ").arg(it.key()) + links.join(QStringLiteral(" · "));
    }
    return html;
}

void MessageWidget::display(const ChatMessage &m, int variant, int variants, bool busy, const QString &assistantName,
                            const QString &phase)
{
    user_ = m.isUser();
    content_ = m.content;
    setProperty("role", m.role);
    name_->setText(user_ ? tr("You") : (assistantName.isEmpty() ? tr("Assistant") : assistantName));
    const bool streaming = m.state == QLatin1String("streaming");
    for (QWidget *w : {static_cast<QWidget *>(prev_), static_cast<QWidget *>(variant_), static_cast<QWidget *>(next_)})
        w->setVisible(variants > 1);
    variant_->setText(QStringLiteral("%1/%2").arg(variant).arg(variants));
    prev_->setEnabled(variant > 1);
    next_->setEnabled(variant < variants);

    markdown_->setMarkdown(m.content);

    QString status;
    Tone tone = Tone::Muted;
    if (streaming) status = phase.isEmpty() ? tr("Generating…") : phase;
    else if (m.state == QLatin1String("failed")) {
        status = tr("The answer failed: %1").arg(m.error.isEmpty() ? tr("unknown error") : m.error);
        tone = Tone::Error;
    } else if (m.state == QLatin1String("interrupted"))
        status = tr("Interrupted: Blyan stopped while this answer was being written.");
    setStatus(status_, status, tone);  // restyles only when the tone changes (this runs per streamed poll)

    stats_->setText(user_ ? QString() : statsLine(m));
    stats_->setVisible(!stats_->text().isEmpty());
    copy_->setVisible(!m.content.isEmpty());
    edit_->setVisible(user_);
    edit_->setEnabled(!busy);
    regenerate_->setVisible(!user_);
    regenerate_->setEnabled(!busy);
    delete_->setEnabled(!streaming && !busy);
    const bool hasExperts = !m.stats.experts.isEmpty();
    expertsToggle_->setVisible(hasExperts);
    if (expertList_ != m.stats.experts) {
        expertList_ = m.stats.experts;
        experts_->setText(hasExperts && expertsToggle_->isChecked() ? expertsHtml(expertList_) : QString());
    }
    experts_->setVisible(hasExperts && expertsToggle_->isChecked());
}

void MessageWidget::startEditing()
{
    if (!user_) return;
    editor_->setPlainText(content_);
    markdown_->hide();
    editBox_->show();
    editor_->setFocus();
}

void MessageWidget::finishEditing(bool submit)
{
    const QString text = editor_->toPlainText();
    editBox_->hide();
    markdown_->show();
    if (submit && !text.trimmed().isEmpty() && text != content_) Q_EMIT editSubmitted(id_, text);
}

}  // namespace blyan::ui::chat
