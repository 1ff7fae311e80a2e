// BlockListModel, the Explorer's paged list of every block, over a real chain: 7,000 signed blocks written
// with the node's own chain code (tests/bench/chain_fixture.h) and a real Node serving listblocks. Rows are
// newest first and equal to getblockhash; only the pages asked for are read; a burst of wishes (a fast
// scroll) reads only the newest ones; the cache stays bounded; a growing or shrinking tip moves the rows.

#include "support/test_support.h"
#include "../bench/chain_fixture.h"

#include "node/node.h"
#include "ui/client_model.h"
#include "ui/explorer/block_list_model.h"
#include "ui/explorer/explorer_model.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace blyan;
using blyan::testing::freePort;
using ui::BlockListModel;

namespace {
constexpr quint64 kBlocks = 7000;

}  // namespace

class TestBlockListModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> client_;
    std::unique_ptr<ui::ExplorerModel> explorer_;

    QString hashAt(quint64 h)
    {
        QString out;
        bool done = false;
        node_->call(QStringLiteral("getblockhash"), {qint64(h)}, this, [&](const Expected<QJsonValue> &a) {
            out = a.ok() ? a.value().toString() : QString();
            done = true;
        });
        [&] { QTRY_VERIFY(done); }();
        return out;
    }
    static bool loaded(BlockListModel &m, int row) { return m.data(m.index(row, 0), BlockListModel::LoadedRole).toBool(); }
    static void touch(BlockListModel &m, int row) { (void)m.data(m.index(row, BlockListModel::HashColumn), Qt::DisplayRole); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        const QString data = dir_.filePath(QStringLiteral("node"));
        const Status made = testing::makeDevnetChain(data, kBlocks);
        QVERIFY2(made.ok(), made.ok() ? "" : made.error().message.c_str());
        node::NodeOptions o;
        o.network = Network::Devnet;
        o.dataDir = data;
        o.rpcPort = freePort();
    o.p2p.listen = false;  // no P2P port taken: nothing here talks to peers
        node_ = std::make_unique<node::Node>(o);
        QVERIFY(node_->startBlocking().ok());
        client_ = std::make_unique<ui::ClientModel>(node_.get());
        explorer_ = std::make_unique<ui::ExplorerModel>(client_.get());
        QTRY_COMPARE_WITH_TIMEOUT(explorer_->height(), kBlocks, 30000);
    }

    void rowsAreBlocksNewestFirst()
    {
        BlockListModel m(explorer_.get());
        QCOMPARE(m.rowCount(), 0);  // no tip yet: no rows
        m.setTip(kBlocks);
        QCOMPARE(m.rowCount(), int(kBlocks + 1));
        QCOMPARE(m.columnCount(), int(BlockListModel::ColumnCount));
        // Before its page arrives a row shows its height and "…".
        QCOMPARE(m.data(m.index(0, BlockListModel::HeightColumn), Qt::DisplayRole).toString(), QLocale().toString(kBlocks));
        QCOMPARE(m.data(m.index(0, BlockListModel::HashColumn), Qt::DisplayRole).toString(), QStringLiteral("…"));
        QVERIFY(!loaded(m, 0));
        QTRY_VERIFY(loaded(m, 0));
        QCOMPARE(m.data(m.index(0, 0), BlockListModel::HashRole).toString(), hashAt(kBlocks));
        QCOMPARE(m.data(m.index(0, 0), BlockListModel::HeightRole).toULongLong(), kBlocks);
        // The top page holds heights 7000 (a page is 100 heights, aligned): one read so far.
        QCOMPARE(m.pagesRequested(), 1);
        for (int row : {1, 57, 100, 2500, 6999, int(kBlocks)}) {
            touch(m, row);
            QTRY_VERIFY(loaded(m, row));
            const quint64 h = kBlocks - quint64(row);
            QCOMPARE(m.block(row)->height, h);
            QCOMPARE(m.block(row)->hash, hashAt(h));
            QCOMPARE(m.block(row)->txCount, 0);
        }
        QCOMPARE(m.data(m.index(int(kBlocks), BlockListModel::ProposerColumn), Qt::DisplayRole).toString(), QStringLiteral("none (genesis)"));
        QVERIFY(m.data(m.index(1, BlockListModel::ProposerColumn), Qt::DisplayRole).toString().startsWith(QStringLiteral("dbly1")));
        // Only the pages of the rows asked for were read: 7000/100, 6999/100 and 6943/100 share pages.
        QVERIFY2(m.pagesRequested() <= 6, qPrintable(QString::number(m.pagesRequested())));
    }

    void aBurstReadsOnlyTheNewestWishes()
    {
        // One event-loop turn asks for a row of every page, as a fast scroll through the list does: only the
        // last kMaxQueued wishes survive, and the last one asked (what the view shows now) is read.
        BlockListModel m(explorer_.get());
        m.setTip(kBlocks);
        const int pages = int(kBlocks / BlockListModel::kPageSize) + 1;
        for (int p = 0; p < pages; ++p) touch(m, p * BlockListModel::kPageSize);
        QTRY_VERIFY(loaded(m, (pages - 1) * BlockListModel::kPageSize));
        QTest::qWait(300);  // let whatever was still queued arrive
        QVERIFY2(m.pagesRequested() <= BlockListModel::kMaxQueued, qPrintable(QString::number(m.pagesRequested())));
        QVERIFY(!loaded(m, 0));  // the first wish was dropped: its rows scrolled away
        // Asked again (the view came back), it is read.
        touch(m, 0);
        QTRY_VERIFY(loaded(m, 0));
    }

    void cacheStaysBounded()
    {
        BlockListModel m(explorer_.get());
        m.setTip(kBlocks);
        for (int row = 0; row <= int(kBlocks); row += BlockListModel::kPageSize) {
            touch(m, row);
            QTRY_VERIFY(loaded(m, row));
        }
        QCOMPARE(m.pagesRequested(), int(kBlocks / BlockListModel::kPageSize) + 1);
        QCOMPARE(m.pagesCached(), BlockListModel::kMaxPages);
        QVERIFY(loaded(m, int(kBlocks)));  // the newest pages read stay
        QVERIFY(!loaded(m, 0));            // the oldest read went
    }

    void tipMovesRows()
    {
        BlockListModel m(explorer_.get());
        m.setTip(kBlocks - 10);
        QCOMPARE(m.rowCount(), int(kBlocks - 9));
        touch(m, 0);
        QTRY_VERIFY(loaded(m, 0));
        QCOMPARE(m.block(0)->height, kBlocks - 10);
        QSignalSpy inserted(&m, &BlockListModel::rowsInserted);
        m.setTip(kBlocks);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted[0][1].toInt(), 0);
        QCOMPARE(inserted[0][2].toInt(), 9);
        touch(m, 0);
        touch(m, 10);
        QTRY_VERIFY(loaded(m, 0) && loaded(m, 10));
        QCOMPARE(m.block(0)->hash, hashAt(kBlocks));
        QCOMPARE(m.block(10)->hash, hashAt(kBlocks - 10));
        // A lower tip (a reorganisation reverted blocks): the top rows go.
        QSignalSpy removed(&m, &BlockListModel::rowsRemoved);
        m.setTip(kBlocks - 5);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed[0][2].toInt(), 4);
        touch(m, 0);
        QTRY_VERIFY(loaded(m, 0));
        QCOMPARE(m.block(0)->height, kBlocks - 5);
    }

    void cleanupTestCase()
    {
        explorer_.reset();
        if (!node_) return;
        QSignalSpy stopped(node_.get(), &node::Node::stopped);
        node_->requestStop();
        QVERIFY(stopped.wait(60000) || stopped.count() == 1);
    }
};

QTEST_MAIN(TestBlockListModel)
#include "test_block_list_model.moc"
