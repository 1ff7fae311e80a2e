#pragma once
// BlockListModel: every block of the chain as a table, newest first, for any chain length. It knows
// only the tip height; rows are read a page at a time (listblocks: one SQLite query per page) when the
// view asks for them, and a bounded cache keeps the pages around the viewport. A row whose page has not
// arrived shows its height and "…". Scrolling fast through 100,000 rows asks only for the pages the view
// still shows when their turn comes (newest requests first, at most two on their way at once).

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

#include <deque>

namespace blyan::ui {

class ExplorerModel;

struct BlockRow {
    quint64 height = 0;
    QString hash, proposer;
    qint64 timeMs = 0;
    quint64 slot = 0;
    int txCount = 0;
};

class BlockListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { HeightColumn, TimeColumn, TxColumn, HashColumn, ProposerColumn, ColumnCount };
    enum Role { HashRole = Qt::UserRole + 1, HeightRole, LoadedRole };
    static constexpr int kPageSize = 100;
    static constexpr int kMaxPages = 60;      // cached pages (6,000 rows)
    static constexpr int kMaxInFlight = 2;
    static constexpr int kMaxQueued = 12;     // older wishes are dropped: their rows scrolled away

    explicit BlockListModel(ExplorerModel *explorer, QObject *parent = nullptr);

    // Rows follow this tip: new blocks come in at the top.
    void setTip(quint64 height);
    bool hasTip() const { return hasTip_; }
    quint64 tip() const { return tip_; }
    int rowForHeight(quint64 height) const;
    quint64 heightForRow(int row) const { return tip_ - quint64(row); }
    // The row's block when its page is here.
    const BlockRow *block(int row) const;
    // For tests and the benchmark: pages read so far and cached now.
    int pagesRequested() const { return requested_; }
    int pagesCached() const { return int(pages_.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

Q_SIGNALS:
    void pageError(const QString &message);

private:
    struct Page {
        QList<BlockRow> rows;
        quint64 askedAtTip = 0;  // the tip when it was asked for
    };
    bool pageComplete(quint64 page) const;
    void want(quint64 page) const;  // data() is const: asking is bookkeeping, not a model change
    void pump();
    void arrived(quint64 page, const QList<BlockRow> &rows, quint64 askedAtTip);

    ExplorerModel *explorer_;
    quint64 tip_ = 0;
    bool hasTip_ = false;
    QHash<quint64, Page> pages_;              // page number (height / kPageSize) -> rows
    mutable std::deque<quint64> lru_;         // most recent use at the back
    mutable std::deque<quint64> queue_;       // wished pages, newest at the back
    mutable QTimer pumpTimer_;
    QHash<quint64, bool> inFlight_;
    int requested_ = 0;
};

}  // namespace blyan::ui
