#pragma once
// The Chat panel: the chat list (left), the open conversation with the composer (middle) and the chat's
// settings (right, toggled). The model comes from the chain through the node (Node::call: getmodel,
// tokenize, chat, getchat, stopchat); the history lives in ChatStore on its own thread. With no model
// on the chain the panel says so and offers File > Import model (importModelRequested). A link to an
// expert (layer3.expert17) asks for the Explorer (openExplorerObject).

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <functional>

class QCheckBox;
class QLabel;
class QListView;
class QPushButton;
class QStackedWidget;
class QToolButton;
class QTimer;

namespace blyan::node {
class Node;
}

namespace blyan::ui::chat {

class ChatListModel;
class ChatSession;
class ChatStore;
class ChatView;
class Composer;
class Conversation;
class SettingsPanel;
struct ContextInfo;

class ChatPage : public QWidget {
    Q_OBJECT
public:
    enum class ExportFormat { Markdown, Json };

    explicit ChatPage(node::Node *node, QWidget *parent = nullptr);
    ~ChatPage() override;

    static QString keepHistoryKey();  // QSettings bool, default true

    // What a user does, for the menu, the widgets and tests.
    void newChat();
    void openChat(const QString &id);
    void deleteChat(const QString &id);
    // Writes chat `s` (the open one when null) to `path`; exportFinished follows.
    void exportChat(const QString &path, ExportFormat format, ChatSession *s = nullptr);
    bool historyEnabled() const { return history_; }
    void setHistoryEnabled(bool on);
    void refreshModel();

    ChatSession *session() const;
    ChatListModel *chatList() const { return list_; }
    QListView *listView() const { return listView_; }
    ChatView *view() const { return view_; }
    Composer *composer() const { return composer_; }
    SettingsPanel *settingsPanel() const { return settings_; }
    bool hasModel() const { return hasModel_; }
    bool storeReady() const { return storeReady_; }
    QString lastExport() const { return lastExport_; }  // "path" or the error of the last export

Q_SIGNALS:
    void importModelRequested();
    void openExplorerObject(const QString &objectName);
    void exportFinished(const QString &path, const QString &error);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildSidebar();
    QWidget *buildNoModel();
    QWidget *buildConversation();
    void onNodeStarted();
    void openStore();
    void setCurrent(ChatSession *s);
    ChatSession *makeSession(Conversation c, bool saved);
    void retire(ChatSession *s);
    void updateHeader();
    void updateAvailability();
    void showListMenu(const QPoint &pos);
    void askExport(ExportFormat f, ChatSession *s);
    // Runs `f` on chat `id`, loading it from the store first when it is not open.
    void withChat(const QString &id, const std::function<void(ChatSession *)> &f);
    void confirmDelete(const QString &id);
    void applyStyle();

    node::Node *node_;
    ChatStore *store_;
    ChatListModel *list_;
    QListView *listView_;
    QCheckBox *keep_;
    QLabel *historyNote_, *storeError_, *title_, *modelLabel_, *noModelText_;
    QStackedWidget *center_;
    ChatView *view_;
    Composer *composer_;
    SettingsPanel *settings_;
    QToolButton *settingsToggle_, *exportButton_;
    QTimer *countTimer_;

    QHash<QString, ChatSession *> sessions_;  // the open one and any still answering
    QHash<QString, QString> drafts_;          // unsent text per chat id, kept while the app runs
    QPointer<ChatSession> current_;
    bool history_ = true, storeReady_ = false;
    bool hasModel_ = false, canChat_ = false, nodeRunning_ = false;
    QString modelName_, modelProblem_, lastExport_;
    qint64 contextLength_ = 0;
    int darkApplied_ = -1;
};

}  // namespace blyan::ui::chat
