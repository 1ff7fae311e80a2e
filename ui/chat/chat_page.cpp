#include "ui/chat/chat_page.h"

#include "node/node.h"
#include "ui/chat/chat_export.h"
#include "ui/chat/chat_list_model.h"
#include "ui/chat/chat_session.h"
#include "ui/chat/chat_store.h"
#include "ui/chat/chat_style.h"
#include "ui/chat/chat_view.h"
#include "ui/chat/composer.h"
#include "ui/chat/settings_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace blyan::ui::chat {

namespace {

constexpr int kCountDelayMs = 350;  // recount the context this long after the last keystroke

// A chat list row: the title, and the time of the last change on the right in a muted colour.
class ChatRowDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &o, const QModelIndex &i) const override
    {
        return {QStyledItemDelegate::sizeHint(o, i).width(), o.fontMetrics.height() + 18};
    }
    void paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem o = option;
        initStyleOption(&o, index);
        const QString title = o.text;
        const QString when = index.data(ChatListModel::UpdatedRole).toString();
        o.text.clear();
        const QWidget *w = o.widget;
        QStyle *style = w ? w->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &o, p, w);
        const QRect r = o.rect.adjusted(10, 0, -10, 0);
        const bool selected = o.state & QStyle::State_Selected;
        QColor muted = o.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        muted.setAlphaF(0.55f);
        const int whenWidth = o.fontMetrics.horizontalAdvance(when);
        p->save();
        p->setPen(muted);
        p->drawText(r, Qt::AlignRight | Qt::AlignVCenter, when);
        p->setPen(o.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        p->drawText(r.adjusted(0, 0, -(whenWidth + 10), 0), Qt::AlignLeft | Qt::AlignVCenter,
                    o.fontMetrics.elidedText(title, Qt::ElideRight, r.width() - whenWidth - 10));
        p->restore();
    }
};

QString chatsPath(node::Node *node) { return node->dataDir() + QStringLiteral("/chats.sqlite"); }

}  // namespace

QString ChatPage::keepHistoryKey() { return QStringLiteral("chat/keepHistory"); }

ChatPage::ChatPage(node::Node *node, QWidget *parent) : QWidget(parent), node_(node)
{
    setObjectName(QStringLiteral("ChatPage"));
    store_ = new ChatStore(this);
    list_ = new ChatListModel(store_, this);
    history_ = QSettings().value(keepHistoryKey(), true).toBool();
    countTimer_ = new QTimer(this);
    countTimer_->setSingleShot(true);
    countTimer_->setInterval(kCountDelayMs);
    connect(countTimer_, &QTimer::timeout, this, [this] {
        if (current_ && canChat_) current_->countContext(composer_->text());
    });

    auto *split = new QSplitter(Qt::Horizontal);
    split->setChildrenCollapsible(false);
    split->addWidget(buildSidebar());
    center_ = new QStackedWidget;
    center_->addWidget(buildNoModel());
    center_->addWidget(buildConversation());
    split->addWidget(center_);
    settings_ = new SettingsPanel;
    settings_->setMinimumWidth(250);
    settings_->setMaximumWidth(360);
    settings_->hide();
    split->addWidget(settings_);
    split->setStretchFactor(1, 1);
    split->setSizes({240, 700, 280});
    auto *root = new QVBoxLayout(this);
    root->setContentsMargins(0, 0, 0, 0);
    root->addWidget(split);

    connect(store_, &ChatStore::writeFailed, this, [this](const QString &m) {
        storeError_->setText(tr("Chat history could not be saved: %1").arg(m));
        storeError_->show();
    });
    connect(list_, &ChatListModel::renameRequested, this, [this](const QString &id, const QString &title) {
        withChat(id, [title](ChatSession *s) { s->rename(title); });
    });
    connect(settings_, &SettingsPanel::settingsChanged, this, [this](const ChatSettings &s) {
        if (!current_) return;
        current_->setSettings(s);
        countTimer_->start();
    });
    connect(node_, &node::Node::started, this, &ChatPage::onNodeStarted, Qt::QueuedConnection);
    connect(node_, &node::Node::stopped, this, [this] {
        nodeRunning_ = false;
        updateAvailability();
    }, Qt::QueuedConnection);
    connect(node_, &node::Node::modelImportProgress, this, [this](const QString &phase) {
        if (phase == QLatin1String("done")) refreshModel();
    }, Qt::QueuedConnection);

    newChat();
    updateAvailability();
    applyStyle();
    if (node_->isRunning()) onNodeStarted();
}

ChatPage::~ChatPage()
{
    // An answer still streaming ends here as "interrupted" with its text so far; the store (destroyed
    // after this body) carries out every write posted before it goes.
    for (ChatSession *s : std::as_const(sessions_)) s->abandon();
}

ChatSession *ChatPage::session() const { return current_; }

void ChatPage::withChat(const QString &id, const std::function<void(ChatSession *)> &f)
{
    if (ChatSession *s = sessions_.value(id)) return f(s);
    store_->loadChat(id, this, [this, id, f](const Expected<Conversation> &c) {
        if (!c.ok()) {
            storeError_->setText(tr("The chat could not be opened: %1").arg(QString::fromStdString(c.error().message)));
            storeError_->show();
            return;
        }
        ChatSession *s = sessions_.value(id);
        if (!s) s = makeSession(*c, true);
        f(s);
        retire(s);
    });
}

QWidget *ChatPage::buildSidebar()
{
    auto *panel = new QWidget;
    panel->setObjectName(QStringLiteral("ChatSidebar"));
    panel->setMinimumWidth(200);
    panel->setMaximumWidth(340);
    auto *col = new QVBoxLayout(panel);
    col->setContentsMargins(12, 14, 8, 12);
    col->setSpacing(8);
    auto *add = new QPushButton(tr("New chat"));
    add->setObjectName(QStringLiteral("NewChatButton"));
    add->setShortcut(QKeySequence::New);
    add->setToolTip(tr("Start a new chat (Ctrl+N)"));
    connect(add, &QPushButton::clicked, this, &ChatPage::newChat);
    col->addWidget(add);

    listView_ = new QListView;
    listView_->setObjectName(QStringLiteral("ChatList"));
    listView_->setModel(list_);
    listView_->setItemDelegate(new ChatRowDelegate(listView_));
    listView_->setUniformItemSizes(true);
    listView_->setEditTriggers(QAbstractItemView::EditKeyPressed);  // F2, or Rename in the menu
    listView_->setContextMenuPolicy(Qt::CustomContextMenu);
    listView_->setAccessibleName(tr("Chats"));
    connect(listView_, &QListView::customContextMenuRequested, this, &ChatPage::showListMenu);
    connect(listView_, &QListView::clicked, this, [this](const QModelIndex &i) {
        openChat(i.data(ChatListModel::IdRole).toString());
    });
    connect(listView_, &QListView::activated, this, [this](const QModelIndex &i) {
        openChat(i.data(ChatListModel::IdRole).toString());
    });
    col->addWidget(listView_, 1);

    keep_ = new QCheckBox(tr("Keep chat history"));
    keep_->setObjectName(QStringLiteral("KeepHistory"));
    keep_->setChecked(history_);
    keep_->setToolTip(tr("Save chats in chats.sqlite in the data folder. Off: chats stay in memory only and nothing is written."));
    connect(keep_, &QCheckBox::clicked, this, [this](bool on) {
        keep_->setChecked(history_);  // the dialog decides
        if (on) {
            setHistoryEnabled(true);
            return;
        }
        auto *box = new QMessageBox(QMessageBox::Question, tr("Turn chat history off?"),
                                    tr("Chats will be kept in memory only and are gone when Blyan closes. The saved "
                                       "history (chats.sqlite in the data folder) is deleted now, and nothing about "
                                       "your chats is written to disk until you turn history on again."),
                                    QMessageBox::Cancel, this);
        box->setObjectName(QStringLiteral("HistoryOffDialog"));
        QPushButton *off = box->addButton(tr("Turn off and delete"), QMessageBox::DestructiveRole);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::buttonClicked, this, [this, off](QAbstractButton *b) {
            if (b == off) setHistoryEnabled(false);
        });
        box->open();
    });
    col->addWidget(keep_);
    historyNote_ = new QLabel;
    historyNote_->setObjectName(QStringLiteral("HistoryNote"));
    historyNote_->setWordWrap(true);
    historyNote_->setProperty("tone", QStringLiteral("muted"));
    col->addWidget(historyNote_);
    return panel;
}

QWidget *ChatPage::buildNoModel()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("NoModel"));
    auto *outer = new QVBoxLayout(page);
    outer->addStretch(1);
    auto *card = new QFrame;
    card->setObjectName(QStringLiteral("Card"));
    card->setMaximumWidth(560);
    auto *col = new QVBoxLayout(card);
    col->setContentsMargins(24, 22, 24, 22);
    col->setSpacing(10);
    auto *title = new QLabel(tr("No model on the chain yet"));
    title->setObjectName(QStringLiteral("NoModelTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    f.setBold(true);
    title->setFont(f);
    col->addWidget(title);
    noModelText_ = new QLabel;
    noModelText_->setWordWrap(true);
    noModelText_->setProperty("tone", QStringLiteral("muted"));
    col->addWidget(noModelText_);
    auto *import = new QPushButton(tr("Import model…"));
    import->setObjectName(QStringLiteral("ImportModelButton"));
    connect(import, &QPushButton::clicked, this, &ChatPage::importModelRequested);
    auto *row = new QHBoxLayout;
    row->addWidget(import);
    row->addStretch(1);
    col->addLayout(row);
    auto *h = new QHBoxLayout;
    h->addStretch(1);
    h->addWidget(card, 3);
    h->addStretch(1);
    outer->addLayout(h);
    outer->addStretch(2);
    return page;
}

QWidget *ChatPage::buildConversation()
{
    auto *page = new QWidget;
    auto *col = new QVBoxLayout(page);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(0);

    auto *header = new QWidget;
    header->setObjectName(QStringLiteral("ChatHeader"));
    auto *hr = new QHBoxLayout(header);
    hr->setContentsMargins(16, 10, 12, 8);
    auto *names = new QVBoxLayout;
    names->setSpacing(0);
    title_ = new QLabel;
    title_->setObjectName(QStringLiteral("ChatTitle"));
    QFont f = title_->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.1);
    title_->setFont(f);
    modelLabel_ = new QLabel;
    modelLabel_->setObjectName(QStringLiteral("ChatModel"));
    modelLabel_->setProperty("tone", QStringLiteral("muted"));
    names->addWidget(title_);
    names->addWidget(modelLabel_);
    hr->addLayout(names, 1);
    exportButton_ = new QToolButton;
    exportButton_->setObjectName(QStringLiteral("ExportButton"));
    exportButton_->setText(tr("Export"));
    exportButton_->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(exportButton_);
    connect(menu->addAction(tr("As Markdown…")), &QAction::triggered, this, [this] { askExport(ExportFormat::Markdown, current_); });
    connect(menu->addAction(tr("As JSON…")), &QAction::triggered, this, [this] { askExport(ExportFormat::Json, current_); });
    exportButton_->setMenu(menu);
    settingsToggle_ = new QToolButton;
    settingsToggle_->setObjectName(QStringLiteral("SettingsToggle"));
    settingsToggle_->setText(tr("Settings"));
    settingsToggle_->setCheckable(true);
    settingsToggle_->setToolTip(tr("System prompt and sampling settings of this chat"));
    connect(settingsToggle_, &QToolButton::toggled, this, [this](bool on) { settings_->setVisible(on); });
    hr->addWidget(exportButton_);
    hr->addWidget(settingsToggle_);
    col->addWidget(header);

    storeError_ = new QLabel;
    storeError_->setObjectName(QStringLiteral("ErrorText"));
    storeError_->setWordWrap(true);
    storeError_->setContentsMargins(16, 4, 16, 4);
    storeError_->hide();
    col->addWidget(storeError_);

    view_ = new ChatView;
    connect(view_, &ChatView::expertLinkActivated, this, &ChatPage::openExplorerObject);
    col->addWidget(view_, 1);

    composer_ = new Composer;
    connect(composer_, &Composer::sendRequested, this, [this](const QString &text) {
        if (!current_) return;
        view_->scrollToEnd();
        current_->send(text);
    });
    connect(composer_, &Composer::stopRequested, this, [this] {
        if (current_) current_->stop();
    });
    connect(composer_, &Composer::draftEdited, this, [this] { countTimer_->start(); });
    col->addWidget(composer_);
    return page;
}

void ChatPage::onNodeStarted()
{
    nodeRunning_ = true;
    if (!storeReady_) openStore();
    refreshModel();
    updateAvailability();
}

void ChatPage::openStore()
{
    // The node holds the data dir lock by now, so no other Blyan writes this chats.sqlite.
    const QString path = history_ ? chatsPath(node_) : QString();
    store_->open(path, this, [this](const Status &st) {
        if (!st.ok()) {
            // Still usable: in memory, and the user is told why nothing is saved.
            storeError_->setText(tr("The chat history could not be opened (%1). Chats are kept in memory only.")
                                     .arg(QString::fromStdString(st.error().message)));
            storeError_->show();
            store_->open(QString(), this, [](const Status &) {});
        }
        storeReady_ = true;
        list_->reload();
        updateAvailability();
    });
}

void ChatPage::setHistoryEnabled(bool on)
{
    history_ = on;
    QSettings().setValue(keepHistoryKey(), on);
    keep_->setChecked(on);
    updateAvailability();
    if (!storeReady_) return;  // applied when the store opens
    store_->setPersistentPath(on ? chatsPath(node_) : QString(), this, [this, on](const Status &st) {
        if (!st.ok()) {
            storeError_->setText(on ? tr("Chat history could not be turned on: %1").arg(QString::fromStdString(st.error().message))
                                    : tr("Chat history is off, but the saved file could not be removed: %1")
                                          .arg(QString::fromStdString(st.error().message)));
            storeError_->show();
        }
    });
}

void ChatPage::refreshModel()
{
    node_->call(QStringLiteral("getmodel"), {}, this, [this](const Expected<QJsonValue> &r) {
        hasModel_ = false;
        canChat_ = false;
        modelProblem_.clear();
        if (!r.ok()) {
            modelProblem_ = QString::fromStdString(r.error().message);
        } else {
            const QJsonObject o = r.value().toObject();
            const QJsonObject m = o.value(QStringLiteral("model")).toObject();
            hasModel_ = !m.isEmpty();
            if (hasModel_) {
                modelName_ = m.value(QStringLiteral("name")).toString();
                contextLength_ = m.value(QStringLiteral("context_length")).toInteger();
                canChat_ = m.value(QStringLiteral("tokenizer")).toBool() && m.value(QStringLiteral("chat_template")).toBool();
                if (!canChat_)
                    modelProblem_ = tr("The model on the chain (%1) was imported without a tokenizer or chat template, so "
                                       "it cannot chat. Import a model folder that has tokenizer.json and "
                                       "tokenizer_config.json.").arg(modelName_);
            } else {
                modelProblem_ = o.value(QStringLiteral("model_error")).toString();
            }
        }
        updateAvailability();
        countTimer_->start();
    });
}

void ChatPage::updateAvailability()
{
    center_->setCurrentIndex(hasModel_ || !nodeRunning_ ? 1 : 0);
    if (!hasModel_)
        noModelText_->setText(tr("Blyan's model lives on the chain: weights, experts and tokenizer are chain objects. "
                                 "Import a Hugging Face model folder (config.json, *.safetensors, tokenizer.json) to put "
                                 "one on this devnet, then chat with it here. From a terminal: blyan-cli importmodel DIR."));
    QString why;
    if (!nodeRunning_) why = tr("Starting the node…");
    else if (!hasModel_) why = modelProblem_;
    else if (!canChat_) why = modelProblem_;
    composer_->setAvailable(nodeRunning_ && canChat_, why);
    settings_->setContextLength(contextLength_);
    view_->setAssistantName(modelName_);
    modelLabel_->setText(hasModel_ ? tr("%1 · %2-token context").arg(modelName_, QLocale().toString(contextLength_))
                                   : QString());
    historyNote_->setText(history_ ? tr("Saved in chats.sqlite in the data folder.")
                                   : tr("History is off: chats live in memory only and are gone when Blyan closes. "
                                        "Nothing is written to disk."));
    historyNote_->setProperty("tone", history_ ? QStringLiteral("muted") : QStringLiteral("warning"));
    historyNote_->style()->unpolish(historyNote_);
    historyNote_->style()->polish(historyNote_);
    updateHeader();
}

void ChatPage::updateHeader()
{
    const bool any = current_ && current_->conversation().size() > 0;
    title_->setText(current_ && !current_->conversation().meta().title.isEmpty() ? current_->conversation().meta().title
                                                                                  : tr("New chat"));
    exportButton_->setEnabled(any);
}

// --- sessions ------------------------------------------------------------------------------------------

ChatSession *ChatPage::makeSession(Conversation c, bool saved)
{
    auto *s = new ChatSession(node_, store_, std::move(c), saved, this);
    sessions_.insert(s->id(), s);
    connect(s, &ChatSession::metaChanged, this, [this, s] {
        if (s->isSaved()) {
            const ChatMeta &m = s->conversation().meta();
            list_->upsert({m.id, m.title, m.updatedMs, s->conversation().size()});
        }
        if (s == current_) updateHeader();
    });
    connect(s, &ChatSession::busyChanged, this, [this, s](bool busy) {
        if (s == current_) {
            composer_->setBusy(busy);
            if (!busy) countTimer_->start();
        }
        if (!busy) retire(s);
    });
    connect(s, &ChatSession::structureChanged, this, [this, s] {
        if (s == current_) countTimer_->start();
    });
    connect(s, &ChatSession::contextCounted, this, [this, s](const ContextInfo &info) {
        if (s == current_) composer_->setContext(info);
    });
    return s;
}

void ChatPage::retire(ChatSession *s)
{
    if (!s || s == current_ || s->isBusy()) return;
    sessions_.remove(s->id());
    s->deleteLater();
}

void ChatPage::setCurrent(ChatSession *s)
{
    settings_->flush();  // to the chat it was typed for
    ChatSession *old = current_;
    // Each chat keeps what was typed into it: switching chats must not carry a draft to another one.
    if (old) {
        if (composer_->text().isEmpty()) drafts_.remove(old->id());
        else drafts_.insert(old->id(), composer_->text());
    }
    composer_->setText(drafts_.value(s->id()));
    current_ = s;
    view_->setSession(s);
    settings_->setSettings(s->conversation().meta().settings);
    composer_->setBusy(s->isBusy());
    composer_->setContext(ContextInfo{});
    const int row = list_->rowOf(s->id());
    if (row >= 0) listView_->setCurrentIndex(list_->index(row));
    else listView_->clearSelection();
    updateHeader();
    retire(old);
    countTimer_->start();
}

void ChatPage::newChat()
{
    if (current_ && !current_->isSaved() && current_->conversation().size() == 0) {  // already a fresh one
        composer_->editor()->setFocus();
        return;
    }
    ChatMeta meta;
    meta.id = newId();
    meta.settings = SettingsPanel::savedDefaults();
    setCurrent(makeSession(Conversation(meta, {}), false));
    composer_->editor()->setFocus();
}

void ChatPage::openChat(const QString &id)
{
    if (id.isEmpty() || (current_ && current_->id() == id)) return;
    withChat(id, [this](ChatSession *s) { setCurrent(s); });
}

void ChatPage::deleteChat(const QString &id)
{
    if (ChatSession *s = sessions_.value(id)) {
        s->stop();
        sessions_.remove(id);
        if (s == current_) {
            current_ = nullptr;
            newChat();
        }
        s->deleteLater();
    }
    drafts_.remove(id);
    store_->deleteChat(id);
    list_->remove(id);
}

void ChatPage::confirmDelete(const QString &id)
{
    const int row = list_->rowOf(id);
    const QString title = row >= 0 ? list_->index(row).data().toString() : QString();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete chat?"),
                                tr("Delete \"%1\" with all its messages? This cannot be undone.").arg(title),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("DeleteChatDialog"));
    QPushButton *del = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, del, id](QAbstractButton *b) {
        if (b == del) deleteChat(id);
    });
    box->open();
}

void ChatPage::showListMenu(const QPoint &pos)
{
    const QModelIndex i = listView_->indexAt(pos);
    if (!i.isValid()) return;
    const QString id = i.data(ChatListModel::IdRole).toString();
    QMenu menu(this);
    connect(menu.addAction(tr("Rename")), &QAction::triggered, this, [this, i] { listView_->edit(i); });
    connect(menu.addAction(tr("Export as Markdown…")), &QAction::triggered, this, [this, id] {
        withChat(id, [this](ChatSession *s) { askExport(ExportFormat::Markdown, s); });
    });
    connect(menu.addAction(tr("Export as JSON…")), &QAction::triggered, this, [this, id] {
        withChat(id, [this](ChatSession *s) { askExport(ExportFormat::Json, s); });
    });
    menu.addSeparator();
    connect(menu.addAction(tr("Delete…")), &QAction::triggered, this, [this, id] { confirmDelete(id); });
    menu.exec(listView_->viewport()->mapToGlobal(pos));
}

// --- export --------------------------------------------------------------------------------------------

void ChatPage::askExport(ExportFormat f, ChatSession *s)
{
    if (!s) return;
    const QPointer<ChatSession> chat(s);
    const bool md = f == ExportFormat::Markdown;
    QString name = s->conversation().meta().title;
    name.replace(QRegularExpression(QStringLiteral("[^\\w\\- ]+")), QStringLiteral(" "));
    name = name.simplified().left(60);
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = dir + QLatin1Char('/') + (name.isEmpty() ? QStringLiteral("chat") : name) +
                              (md ? QStringLiteral(".md") : QStringLiteral(".json"));
    const QString path = QFileDialog::getSaveFileName(this, md ? tr("Export chat as Markdown") : tr("Export chat as JSON"),
                                                      suggested, md ? tr("Markdown (*.md)") : tr("JSON (*.json)"), nullptr,
                                                      QFileDialog::DontUseNativeDialog);
    if (!path.isEmpty() && chat) exportChat(path, f, chat);
}

void ChatPage::exportChat(const QString &path, ExportFormat format, ChatSession *s)
{
    if (!s) s = current_;
    if (!s) return;
    const QByteArray content = format == ExportFormat::Markdown ? exportMarkdown(s->conversation(), modelName_)
                                                                : exportJson(s->conversation(), modelName_);
    store_->writeFile(path, content, this, [this, path](const Status &st) {
        lastExport_ = st.ok() ? path : QString::fromStdString(st.error().message);
        if (!st.ok()) {
            storeError_->setText(tr("Export failed: %1").arg(lastExport_));
            storeError_->show();
        }
        Q_EMIT exportFinished(path, st.ok() ? QString() : lastExport_);
    });
}

// --- theme ---------------------------------------------------------------------------------------------

void ChatPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) applyStyle();
}

void ChatPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (nodeRunning_) refreshModel();
}

void ChatPage::applyStyle()
{
    // The page's own surfaces (messages, code blocks) in the current theme's colours; set only when the
    // theme flips, because a stylesheet change itself sends palette events.
    const int dark = QApplication::palette().color(QPalette::Window).lightness() < 128 ? 1 : 0;
    if (dark == darkApplied_) return;
    darkApplied_ = dark;
    setStyleSheet(chatStyleSheet(dark == 1));
}

}  // namespace blyan::ui::chat
