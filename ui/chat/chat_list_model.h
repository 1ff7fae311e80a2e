#pragma once
// ChatListModel: the chat list, newest first, read from the ChatStore a page at a time (fetchMore), so
// the panel opens at once with any number of chats. Rows the UI changes (a new chat, a new message, a
// rename) move to the top at once; their writes go to the store separately. Editing a title (the
// EditRole) asks for a rename through renameRequested.

#include "ui/chat/chat_types.h"

#include <QAbstractListModel>

namespace blyan::ui::chat {

class ChatStore;

class ChatListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, UpdatedRole, MessagesRole };
    static constexpr int kPage = 100;

    explicit ChatListModel(ChatStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Forgets every row and reads the first page again (the store was opened or switched).
    void reload();
    // Inserts or updates a row and moves it to where its time puts it.
    void upsert(const ChatSummary &s);
    void remove(const QString &id);
    int rowOf(const QString &id) const;
    const ChatSummary &at(int row) const { return rows_.at(row); }
    QString loadError() const { return error_; }

Q_SIGNALS:
    void renameRequested(const QString &id, const QString &title);
    void loaded();  // a page arrived (or failed: loadError())

private:
    ChatStore *store_;
    QList<ChatSummary> rows_;
    bool more_ = false, fetching_ = false;
    int fetched_ = 0;      // rows read from the store so far (the next page's offset)
    quint64 epoch_ = 0;    // pages of an older reload are dropped
    QString error_;
};

}  // namespace blyan::ui::chat
