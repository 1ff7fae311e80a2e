#include "ui/chat/chat_list_model.h"

#include "ui/chat/chat_store.h"

#include <QDateTime>
#include <QLocale>

namespace blyan::ui::chat {

namespace {
bool newer(const ChatSummary &a, const ChatSummary &b) { return a.updatedMs != b.updatedMs ? a.updatedMs > b.updatedMs : a.id < b.id; }

QString when(qint64 ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
    const QDate today = QDate::currentDate();
    if (t.date() == today) return t.toString(QStringLiteral("HH:mm"));
    if (t.date().daysTo(today) < 7) return QLocale().toString(t, QStringLiteral("ddd HH:mm"));
    return QLocale().toString(t.date(), QLocale::ShortFormat);
}
}  // namespace

ChatListModel::ChatListModel(ChatStore *store, QObject *parent) : QAbstractListModel(parent), store_(store) {}

int ChatListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

QVariant ChatListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const ChatSummary &s = rows_[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: return s.title.isEmpty() ? tr("New chat") : s.title;
    case Qt::ToolTipRole:
        return tr("%1\n%2 messages · last change %3").arg(s.title).arg(s.messages).arg(when(s.updatedMs));
    case IdRole: return s.id;
    case UpdatedRole: return when(s.updatedMs);
    case MessagesRole: return s.messages;
    default: return {};
    }
}

bool ChatListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid()) return false;
    const QString t = value.toString().simplified();
    if (t.isEmpty()) return false;  // an empty title is not a rename
    Q_EMIT renameRequested(rows_[index.row()].id, t);
    return true;
}

Qt::ItemFlags ChatListModel::flags(const QModelIndex &index) const
{
    return QAbstractListModel::flags(index) | (index.isValid() ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

bool ChatListModel::canFetchMore(const QModelIndex &parent) const { return !parent.isValid() && more_ && !fetching_; }

void ChatListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent)) return;
    fetching_ = true;
    const quint64 epoch = epoch_;
    store_->listChats(fetched_, kPage, this, [this, epoch](const Expected<QList<ChatSummary>> &page) {
        if (epoch != epoch_) return;
        fetching_ = false;
        if (!page.ok()) {
            error_ = QString::fromStdString(page.error().message);
            more_ = false;
            Q_EMIT loaded();
            return;
        }
        error_.clear();
        fetched_ += int(page->size());
        more_ = page->size() == kPage;
        for (const ChatSummary &s : *page)
            if (rowOf(s.id) < 0) upsert(s);  // a row the UI already moved is newer than the store's page
        Q_EMIT loaded();
    });
}

void ChatListModel::reload()
{
    beginResetModel();
    rows_.clear();
    endResetModel();
    ++epoch_;
    fetched_ = 0;
    fetching_ = false;
    more_ = true;
    fetchMore({});
}

int ChatListModel::rowOf(const QString &id) const
{
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == id) return i;
    return -1;
}

void ChatListModel::upsert(const ChatSummary &s)
{
    const int at = rowOf(s.id);
    int dest = 0;  // rows newer than `s`, itself not counted
    for (int i = 0; i < rows_.size(); ++i)
        if (i != at && newer(rows_[i], s)) ++dest;
    if (at < 0) {
        beginInsertRows({}, dest, dest);
        rows_.insert(dest, s);
        endInsertRows();
        return;
    }
    rows_[at] = s;
    Q_EMIT dataChanged(index(at), index(at));
    if (dest == at) return;
    beginMoveRows({}, at, at, {}, dest > at ? dest + 1 : dest);
    rows_.move(at, dest);
    endMoveRows();
}

void ChatListModel::remove(const QString &id)
{
    const int at = rowOf(id);
    if (at < 0) return;
    beginRemoveRows({}, at, at);
    rows_.removeAt(at);
    endRemoveRows();
    --fetched_;  // the store's next page starts one row earlier now
}

}  // namespace blyan::ui::chat
