// Unit tests for core/storage: the SQLite wrapper, schema migrations, chunk Merkle trees and the
// content-addressed object store, including crash safety with real child processes.

#include "storage/database.h"
#include "storage/merkle.h"
#include "storage/migrations.h"
#include "storage/object_store.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <stdexcept>

#ifndef _WIN32
#include <csignal>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace blyan;
using namespace blyan::storage;

namespace {

constexpr std::size_t MiB = 1u << 20;

// Deterministic, incompressible-looking bytes so chunk boundaries really matter.
Bytes pattern(std::size_t n, std::uint32_t seed)
{
    Bytes out(n);
    std::uint32_t x = seed * 2654435761u + 12345u;
    for (std::size_t i = 0; i < n; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = static_cast<std::uint8_t>(x);
    }
    return out;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

void makeWritable(const QString &path)
{
    QFile::setPermissions(path, QFile::permissions(path) | QFileDevice::WriteOwner);
}

bool flipByte(const QString &path, qint64 offset)
{
    makeWritable(path);
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || !f.seek(offset)) return false;
    char c = 0;
    if (f.read(&c, 1) != 1 || !f.seek(offset)) return false;
    c = static_cast<char>(c ^ 0x5a);
    return f.write(&c, 1) == 1;
}

bool truncateTo(const QString &path, qint64 size)
{
    makeWritable(path);
    return QFile::resize(path, size);
}

int countFiles(const QString &dir) { return static_cast<int>(QDir(dir).entryList(QDir::Files | QDir::Hidden).size()); }

Hash256 leafByHand(ByteView chunk)
{
    Bytes b{0x00};
    b.insert(b.end(), chunk.begin(), chunk.end());
    return crypto::blake2b256(b);
}

Hash256 innerByHand(const Hash256 &l, const Hash256 &r)
{
    Bytes b{0x01};
    b.insert(b.end(), l.begin(), l.end());
    b.insert(b.end(), r.begin(), r.end());
    return crypto::blake2b256(b);
}

std::int64_t scalar(Database &db, const char *sql)
{
    auto st = db.prepare(sql);
    if (!st.ok()) throw std::runtime_error(st.error().message);
    auto row = st->step();
    if (!row.ok() || !*row) throw std::runtime_error("no row for " + std::string(sql));
    return st->columnInt64(0);
}

const Migration kMigrations[] = {
    {1, "CREATE TABLE a(x INTEGER);"},
    {2, "CREATE TABLE b(y INTEGER); INSERT INTO b VALUES(1);"},
    {3, "CREATE TABLE c(z INTEGER); INSERT INTO b VALUES(2);"},
};

}  // namespace

#define EXPECT_OK(expr)                                                                                   \
    do {                                                                                                  \
        const auto &r_ = (expr);                                                                          \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str());                                     \
    } while (0)

class StorageTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- database ----
    void statementTypes();
    void statementErrors();
    void statementCache();
    void pragmasApplied();
    void transactionCommitAndRollback();
    void transactionBusy();
    void migrationsAppliedOnce();
    void migrationFailureRollsBack();
    void newerSchemaRefused();
    void garbageFileRefusedUntouched();
    void unopenableDatabase();

    // ---- merkle ----
    void merkleKnownStructure();
    void merkleBuilderMatchesReference();
    void merkleProofsAllShapes();

    // ---- object store ----
    void roundTrip_data();
    void roundTrip();
    void chunkProofs();
    void dedupe();
    void corruptionDetected();
    void truncationDetected();
    void missingObject();
    void writerExpectationsAndLimits();
    void tmpCleanedAtOpenButLiveWriterKept();
    void statsIgnoreForeignFiles();
    void statsKeptUpToDate();
    void crashBeforeCommitLeavesNothing();
    void killedMidWriteLeavesNothing();
    void diskWriteFailureIsClear();
};

// ================================================================================================
// Database

void StorageTest::statementTypes()
{
    QTemporaryDir tmp;
    auto db = Database::open(tmp.filePath("node.sqlite"));
    EXPECT_OK(db);
    EXPECT_OK(db->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n)"));

    auto ins = db->prepare("INSERT INTO t(i, r, s, b, n) VALUES(?1, ?2, ?3, ?4, ?5)");
    EXPECT_OK(ins);
    const Bytes blob{0, 1, 2, 255};
    EXPECT_OK(ins->bindInt64(1, INT64_MIN));
    EXPECT_OK(ins->bindDouble(2, 3.25));
    EXPECT_OK(ins->bindText(3, std::string_view("h\xc3\xa9llo \xe2\x9c\x93")));
    EXPECT_OK(ins->bindBlob(4, blob));
    EXPECT_OK(ins->bindNull(5));
    EXPECT_OK(ins->run());
    QCOMPARE(db->lastInsertRowId(), 1);
    QCOMPARE(db->changes(), 1);

    // Reuse after reset; empty text and empty blob must stay empty values, not NULL.
    ins->reset();
    EXPECT_OK(ins->bindInt64(1, INT64_MAX));
    EXPECT_OK(ins->bindDouble(2, -0.5));
    EXPECT_OK(ins->bindText(3, QString()));
    EXPECT_OK(ins->bindBlob(4, ByteView()));
    EXPECT_OK(ins->bindHash(5, crypto::blake2b256(asBytes("x"))));
    EXPECT_OK(ins->run());

    auto sel = db->prepare("SELECT i, r, s, b, n FROM t ORDER BY id");
    EXPECT_OK(sel);
    auto row = sel->step();
    EXPECT_OK(row);
    QVERIFY(*row);
    QCOMPARE(sel->columnCount(), 5);
    QCOMPARE(sel->columnType(0), ColumnType::Integer);
    QCOMPARE(sel->columnType(1), ColumnType::Float);
    QCOMPARE(sel->columnType(2), ColumnType::Text);
    QCOMPARE(sel->columnType(3), ColumnType::Blob);
    QCOMPARE(sel->columnType(4), ColumnType::Null);
    QVERIFY(sel->isNull(4));
    QCOMPARE(sel->columnInt64(0), INT64_MIN);
    QCOMPARE(sel->columnDouble(1), 3.25);
    QCOMPARE(sel->columnText(2), std::string("h\xc3\xa9llo \xe2\x9c\x93"));
    QCOMPARE(sel->columnString(2), QString::fromUtf8("h\xc3\xa9llo \xe2\x9c\x93"));
    QVERIFY(sel->columnBlob(3) == blob);
    QCOMPARE(sel->columnHash(3).ok(), false);  // 4 bytes is not a hash
    QCOMPARE(sel->columnHash(3).error().code, ErrorCode::Corrupt);

    row = sel->step();
    EXPECT_OK(row);
    QVERIFY(*row);
    QCOMPARE(sel->columnInt64(0), INT64_MAX);
    QCOMPARE(sel->columnDouble(1), -0.5);
    QCOMPARE(sel->columnType(2), ColumnType::Text);
    QCOMPARE(sel->columnText(2), std::string());
    QCOMPARE(sel->columnType(3), ColumnType::Blob);
    QVERIFY(sel->columnBlob(3).empty());
    auto h = sel->columnHash(4);
    EXPECT_OK(h);
    QVERIFY(*h == crypto::blake2b256(asBytes("x")));

    row = sel->step();
    EXPECT_OK(row);
    QVERIFY(!*row);
}

void StorageTest::statementErrors()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("node.sqlite");
    auto db = Database::open(path);
    EXPECT_OK(db);
    EXPECT_OK(db->exec("CREATE TABLE p(id INTEGER PRIMARY KEY);"
                       "CREATE TABLE c(id INTEGER PRIMARY KEY, p INTEGER NOT NULL REFERENCES p(id));"
                       "CREATE TABLE u(k TEXT UNIQUE)"));

    auto bad = db->prepare("SELEKT 1");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::Database);
    QVERIFY2(bad.error().message.find("syntax error") != std::string::npos, bad.error().message.c_str());
    QVERIFY2(bad.error().message.find(path.toStdString()) != std::string::npos, bad.error().message.c_str());

    auto two = db->prepare("SELECT 1; SELECT 2");
    QVERIFY(!two.ok());
    QCOMPARE(two.error().code, ErrorCode::InvalidArgument);
    EXPECT_OK(db->prepare("SELECT 1;  \n"));

    auto st = db->prepare("SELECT ?1");
    EXPECT_OK(st);
    const Status range = st->bindInt64(2, 1);
    QVERIFY(!range.ok());
    QCOMPARE(range.error().code, ErrorCode::InvalidArgument);
    QVERIFY(range.error().message.find(path.toStdString()) != std::string::npos);

    auto ins = db->prepare("INSERT INTO u(k) VALUES('same')");
    EXPECT_OK(ins);
    EXPECT_OK(ins->run());
    ins->reset();
    const Status dup = ins->run();
    QVERIFY(!dup.ok());
    QCOMPARE(dup.error().code, ErrorCode::AlreadyExists);
    QVERIFY2(dup.error().message.find("UNIQUE") != std::string::npos, dup.error().message.c_str());

    // foreign_keys=ON: a dangling reference is refused.
    const Status fk = db->exec("INSERT INTO c(id, p) VALUES(1, 42)");
    QVERIFY(!fk.ok());
    QVERIFY2(fk.error().message.find("FOREIGN KEY") != std::string::npos, fk.error().message.c_str());
    QVERIFY(fk.error().message.find(path.toStdString()) != std::string::npos);
}

void StorageTest::statementCache()
{
    QTemporaryDir tmp;
    auto db = Database::open(tmp.filePath("node.sqlite"));
    EXPECT_OK(db);
    EXPECT_OK(db->exec("CREATE TABLE t(v INTEGER); INSERT INTO t VALUES(1),(2),(3)"));
    const char *sql = "SELECT v FROM t WHERE v >= ?1 ORDER BY v";
    {
        // Two live statements with the same SQL must not share state.
        auto a = db->prepareCached(sql);
        auto b = db->prepareCached(sql);
        EXPECT_OK(a);
        EXPECT_OK(b);
        EXPECT_OK(a->bindInt64(1, 2));
        EXPECT_OK(b->bindInt64(1, 1));
        QVERIFY(*a->step());
        QVERIFY(*b->step());
        QCOMPARE(a->columnInt64(0), 2);
        QCOMPARE(b->columnInt64(0), 1);
    }
    // Back from the cache: reset, bindings cleared, still works.
    for (int round = 0; round < 3; ++round) {
        auto c = db->prepareCached(sql);
        EXPECT_OK(c);
        EXPECT_OK(c->bindInt64(1, 3));
        QVERIFY(*c->step());
        QCOMPARE(c->columnInt64(0), 3);
        QVERIFY(!*c->step());
    }
    // A statement that outlives its Database is still safe to destroy.
    auto orphan = db->prepareCached(sql);
    EXPECT_OK(orphan);
    Statement keep = std::move(*orphan);
    *db = Database();
    QVERIFY(keep.valid());
}

void StorageTest::pragmasApplied()
{
    QTemporaryDir tmp;
    auto db = Database::open(tmp.filePath("node.sqlite"));
    EXPECT_OK(db);
    auto jm = db->prepare("PRAGMA journal_mode");
    EXPECT_OK(jm);
    QVERIFY(*jm->step());
    QCOMPARE(jm->columnText(0), std::string("wal"));
    QCOMPARE(scalar(*db, "PRAGMA synchronous"), 2);  // FULL
    QCOMPARE(scalar(*db, "PRAGMA foreign_keys"), 1);
    QVERIFY(scalar(*db, "PRAGMA busy_timeout") > 0);

    DatabaseOptions normal;
    normal.synchronous = DatabaseOptions::Synchronous::Normal;
    auto db2 = Database::open(tmp.filePath("cache.sqlite"), normal);
    EXPECT_OK(db2);
    QCOMPARE(scalar(*db2, "PRAGMA synchronous"), 1);
    EXPECT_OK(db2->quickCheck());
}

namespace {
Status insertThenFailEarly(Database &db)
{
    BLYAN_TRY(Transaction tx, Transaction::begin(db));
    BLYAN_CHECK(db.exec("INSERT INTO t VALUES(100)"));
    return makeError(ErrorCode::Internal, "simulated failure after the first write");  // no commit
}
}  // namespace

void StorageTest::transactionCommitAndRollback()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("node.sqlite");
    auto db = Database::open(path);
    EXPECT_OK(db);
    EXPECT_OK(db->exec("CREATE TABLE t(v INTEGER)"));

    {
        auto tx = Transaction::begin(*db);
        EXPECT_OK(tx);
        QVERIFY(db->inTransaction());
        EXPECT_OK(db->exec("INSERT INTO t VALUES(1)"));
        EXPECT_OK(tx->commit());
        QVERIFY(!db->inTransaction());
        QVERIFY(!tx->commit().ok());  // nothing left to commit
    }
    QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 1);

    {  // destroyed without commit
        auto tx = Transaction::begin(*db);
        EXPECT_OK(tx);
        EXPECT_OK(db->exec("INSERT INTO t VALUES(2)"));
    }
    QVERIFY(!db->inTransaction());
    QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 1);

    {  // explicit rollback
        auto tx = Transaction::begin(*db);
        EXPECT_OK(tx);
        EXPECT_OK(db->exec("INSERT INTO t VALUES(3)"));
        EXPECT_OK(tx->rollback());
    }
    QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 1);

    // Early return through BLYAN_TRY/BLYAN_CHECK style code.
    QVERIFY(!insertThenFailEarly(*db).ok());
    QVERIFY(!db->inTransaction());
    QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 1);

    // Exception unwinding.
    bool caught = false;
    try {
        auto tx = Transaction::begin(*db);
        QVERIFY(tx.ok());
        QVERIFY(db->exec("INSERT INTO t VALUES(4)").ok());
        throw std::runtime_error("boom");
    } catch (const std::runtime_error &) {
        caught = true;
    }
    QVERIFY(caught);
    QVERIFY(!db->inTransaction());
    QCOMPARE(scalar(*db, "SELECT count(*) FROM t"), 1);

    // Nesting is refused with SQLite's reason.
    {
        auto outer = Transaction::begin(*db);
        EXPECT_OK(outer);
        auto inner = Transaction::begin(*db);
        QVERIFY(!inner.ok());
        QVERIFY2(inner.error().message.find("within a transaction") != std::string::npos, inner.error().message.c_str());
    }
    QVERIFY(!db->inTransaction());

    // Committed data survives a reopen.
    *db = Database();
    auto again = Database::open(path);
    EXPECT_OK(again);
    QCOMPARE(scalar(*again, "SELECT count(*) FROM t"), 1);
}

void StorageTest::transactionBusy()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("node.sqlite");
    auto a = Database::open(path);
    EXPECT_OK(a);
    EXPECT_OK(a->exec("CREATE TABLE t(v INTEGER)"));
    DatabaseOptions quick;
    quick.busyTimeoutMs = 50;
    auto b = Database::open(path, quick);
    EXPECT_OK(b);

    auto txA = Transaction::begin(*a);
    EXPECT_OK(txA);
    auto txB = Transaction::begin(*b);
    QVERIFY(!txB.ok());
    QCOMPARE(txB.error().code, ErrorCode::Busy);
    // WAL: readers are not blocked by the writer.
    QCOMPARE(scalar(*b, "SELECT count(*) FROM t"), 0);
    EXPECT_OK(txA->commit());
    auto txB2 = Transaction::begin(*b);
    EXPECT_OK(txB2);
}

void StorageTest::migrationsAppliedOnce()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("node.sqlite");
    {
        auto db = Database::open(path);
        EXPECT_OK(db);
        QCOMPARE(*schemaVersion(*db), 0);
        auto r = migrate(*db, std::span(kMigrations, 2));
        EXPECT_OK(r);
        QCOMPARE(r->fromVersion, 0);
        QCOMPARE(r->toVersion, 2);
        QCOMPARE(r->applied(), 2);
        QCOMPARE(*schemaVersion(*db), 2);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM b"), 1);
        // Running again in the same session is a no-op.
        auto again = migrate(*db, std::span(kMigrations, 2));
        EXPECT_OK(again);
        QCOMPARE(again->applied(), 0);
    }
    {  // reopen: nothing re-applied
        auto db = Database::open(path);
        EXPECT_OK(db);
        auto r = migrate(*db, std::span(kMigrations, 2));
        EXPECT_OK(r);
        QCOMPARE(r->fromVersion, 2);
        QCOMPARE(r->applied(), 0);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM b"), 1);
    }
    {  // a newer build adds migration 3: only that one runs
        auto db = Database::open(path);
        EXPECT_OK(db);
        auto r = migrate(*db, kMigrations);
        EXPECT_OK(r);
        QCOMPARE(r->fromVersion, 2);
        QCOMPARE(r->toVersion, 3);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM b"), 2);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM schema_version"), 3);
    }

    const Migration gap[] = {{1, "SELECT 1"}, {3, "SELECT 1"}};
    auto db = Database::open(path);
    EXPECT_OK(db);
    auto r = migrate(*db, gap);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Internal);
}

void StorageTest::migrationFailureRollsBack()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("node.sqlite");
    auto db = Database::open(path);
    EXPECT_OK(db);
    const Migration broken[] = {kMigrations[0], kMigrations[1], kMigrations[2],
                                {4, "CREATE TABLE d(w INTEGER); INSERT INTO no_such_table VALUES(1);"}};
    auto r = migrate(*db, broken);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.find("node.sqlite: schema migration 4 failed") != std::string::npos, r.error().message.c_str());
    QVERIFY2(r.error().message.find("no such table") != std::string::npos, r.error().message.c_str());
    QVERIFY(!db->inTransaction());
    QCOMPARE(*schemaVersion(*db), 3);  // 1..3 committed, 4 rolled back as a whole
    QCOMPARE(scalar(*db, "SELECT count(*) FROM sqlite_master WHERE name='d'"), 0);
}

void StorageTest::newerSchemaRefused()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("node.sqlite");
    {
        auto db = Database::open(path);
        EXPECT_OK(db);
        EXPECT_OK(migrate(*db, kMigrations));
    }
    auto db = Database::open(path);
    EXPECT_OK(db);
    auto r = migrate(*db, std::span(kMigrations, 2));
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message),
             QStringLiteral("node.sqlite was written by a newer Blyan (schema 3, this build knows 2); upgrade Blyan or "
                            "use another --datadir"));
    QCOMPARE(*schemaVersion(*db), 3);  // untouched
}

void StorageTest::garbageFileRefusedUntouched()
{
    QTemporaryDir tmp;
    auto check = [&](const QString &name, const QByteArray &content) {
        const QString path = tmp.filePath(name);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(content), content.size());
        }
        auto db = Database::open(path);
        QVERIFY2(!db.ok(), qPrintable(name));
        QCOMPARE(db.error().code, ErrorCode::Corrupt);
        QVERIFY2(db.error().message.find(path.toStdString()) != std::string::npos, db.error().message.c_str());
        QCOMPARE(readAll(path), content);
        QVERIFY(!QFile::exists(path + "-wal"));
        QVERIFY(!QFile::exists(path + "-shm"));
        QVERIFY(!QFile::exists(path + "-journal"));
    };
    const Bytes noise = pattern(8192, 7);
    const QByteArray garbage(reinterpret_cast<const char *>(noise.data()), static_cast<qsizetype>(noise.size()));
    check("garbage.sqlite", garbage);
    check("text.sqlite", QByteArray("this is a note, not a database\n"));
    // Right magic, nonsense after it: SQLite itself must refuse it, still without writing.
    check("fake.sqlite", QByteArray("SQLite format 3", 16) + garbage);
}

void StorageTest::unopenableDatabase()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath("missing-dir/node.sqlite");
    auto db = Database::open(path);
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, ErrorCode::Io);
    QVERIFY2(db.error().message.find(path.toStdString()) != std::string::npos, db.error().message.c_str());

    DatabaseOptions ro;
    ro.readOnly = true;
    auto missing = Database::open(tmp.filePath("nothing.sqlite"), ro);
    QVERIFY(!missing.ok());
}

// ================================================================================================
// Merkle

void StorageTest::merkleKnownStructure()
{
    // Three chunks: 1 MiB, 1 MiB, 0.5 MiB. root = inner(inner(L0, L1), L2), L2 promoted at level 0.
    const Bytes payload = pattern(2 * MiB + MiB / 2, 3);
    const ByteView all(payload);
    const Hash256 l0 = leafByHand(all.subspan(0, MiB));
    const Hash256 l1 = leafByHand(all.subspan(MiB, MiB));
    const Hash256 l2 = leafByHand(all.subspan(2 * MiB));
    const Hash256 expected = innerByHand(innerByHand(l0, l1), l2);

    PayloadHasher hasher;
    hasher.update(payload);
    const auto r = hasher.finish();
    QCOMPARE(r.chunkCount, 3u);
    QVERIFY(r.merkleRoot == expected);
    QVERIFY(r.hash == crypto::blake2b256(payload));

    QTemporaryDir tmp;
    auto store = ObjectStore::open(tmp.filePath("objects"));
    EXPECT_OK(store);
    auto info = store->put(payload);
    EXPECT_OK(info);
    QVERIFY(info->merkleRoot == expected);
    QCOMPARE(info->chunkCount, 3u);

    // Empty payload: exactly one empty leaf, and the root is that leaf.
    PayloadHasher empty;
    const auto e = empty.finish();
    QCOMPARE(e.chunkCount, 1u);
    QVERIFY(e.merkleRoot == leafByHand({}));

    // Five chunks: ((L0 L1)(L2 L3)) L4.
    std::vector<Hash256> leaves;
    for (int i = 0; i < 5; ++i) leaves.push_back(crypto::blake2b256(pattern(16, static_cast<std::uint32_t>(i))));
    const Hash256 five = innerByHand(innerByHand(innerByHand(leaves[0], leaves[1]), innerByHand(leaves[2], leaves[3])), leaves[4]);
    QVERIFY(merkleRoot(leaves) == five);
}

void StorageTest::merkleBuilderMatchesReference()
{
    std::vector<Hash256> leaves;
    for (std::uint32_t n = 1; n <= 70; ++n) {
        leaves.push_back(crypto::blake2b256(pattern(8, n)));
        MerkleBuilder b;
        for (const auto &l : leaves) b.addLeaf(l);
        QCOMPARE(b.leafCount(), n);
        QVERIFY2(b.root() == merkleRoot(leaves), qPrintable(QString("n=%1").arg(n)));
    }
    // Piece sizes never change the result.
    const Bytes payload = pattern(3 * MiB + 17, 9);
    PayloadHasher whole;
    whole.update(payload);
    const auto a = whole.finish();
    PayloadHasher pieces;
    std::size_t off = 0, step = 1;
    while (off < payload.size()) {
        const std::size_t n = std::min(step, payload.size() - off);
        pieces.update(ByteView(payload).subspan(off, n));
        off += n;
        step = step * 3 + 1;
    }
    const auto b = pieces.finish();
    QVERIFY(a.hash == b.hash && a.merkleRoot == b.merkleRoot && a.chunkCount == b.chunkCount && a.size == b.size);
}

void StorageTest::merkleProofsAllShapes()
{
    for (std::uint32_t count = 1; count <= 19; ++count) {
        std::vector<Bytes> chunks;
        std::vector<Hash256> leaves;
        for (std::uint32_t i = 0; i < count; ++i) {
            // Proof checks need real chunk sizes: 1 MiB except the last.
            chunks.push_back(i + 1 < count ? Bytes(MiB, static_cast<std::uint8_t>(i)) : Bytes(100 + i, 0xee));
            leaves.push_back(merkleLeafHash(chunks.back()));
        }
        const Hash256 root = merkleRoot(leaves);
        for (std::uint32_t i = 0; i < count; ++i) {
            auto proof = merkleProof(leaves, i);
            EXPECT_OK(proof);
            QVERIFY2(verifyMerkleChunk(root, i, count, chunks[i], *proof), qPrintable(QString("count=%1 i=%2").arg(count).arg(i)));
            if (count > 1) {
                const std::uint32_t other = (i + 1) % count;
                QVERIFY(!verifyMerkleChunk(root, other, count, chunks[i], *proof));  // wrong index
            }
            auto longer = *proof;
            longer.push_back(root);
            QVERIFY(!verifyMerkleChunk(root, i, count, chunks[i], longer));
            if (!proof->empty()) {
                auto shorter = *proof;
                shorter.pop_back();
                QVERIFY(!verifyMerkleChunk(root, i, count, chunks[i], shorter));
            }
            // The root does not bind the chunk count (it comes from the trusted object record), but a
            // short last chunk can never pass as a middle one.
            if (i + 1 == count) QVERIFY(!verifyMerkleChunk(root, i, count + 1, chunks[i], *proof));
        }
        QVERIFY(!merkleProof(leaves, count).ok());
    }
}

// ================================================================================================
// Object store

void StorageTest::roundTrip_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::newRow("0") << qsizetype(0);
    QTest::newRow("1") << qsizetype(1);
    QTest::newRow("1MiB-1") << qsizetype(MiB - 1);
    QTest::newRow("1MiB") << qsizetype(MiB);
    QTest::newRow("1MiB+1") << qsizetype(MiB + 1);
    QTest::newRow("3.5MiB") << qsizetype(3 * MiB + MiB / 2);
}

void StorageTest::roundTrip()
{
    QFETCH(qsizetype, size);
    const Bytes payload = pattern(static_cast<std::size_t>(size), 42);
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    QCOMPARE(*store->stats(), ObjectStoreStats{});

    auto info = store->put(payload);
    EXPECT_OK(info);
    QVERIFY(info->hash == crypto::blake2b256(payload));
    QCOMPARE(info->size, static_cast<std::uint64_t>(size));
    QCOMPARE(info->chunkCount, chunkCountForSize(info->size));
    QCOMPARE(info->chunkCount, size == 0 ? 1u : (static_cast<std::uint64_t>(size) + MiB - 1) / MiB);

    // Layout: <dir>/<first 2 hex>/<64 hex>.
    const std::string hex = crypto::hashToHex(info->hash);
    const QString expectedPath = dir + "/" + QString::fromStdString(hex.substr(0, 2)) + "/" + QString::fromStdString(hex);
    QCOMPARE(store->objectPath(info->hash), expectedPath);
    QVERIFY(QFileInfo(expectedPath).isFile());
    QCOMPARE(QFileInfo(expectedPath).size(), size);
    QCOMPARE(countFiles(dir + "/tmp"), 0);
    QVERIFY(store->has(info->hash));

    auto got = store->get(info->hash);
    EXPECT_OK(got);
    QVERIFY(*got == payload);

    auto mapped = store->map(info->hash);
    EXPECT_OK(mapped);
    QCOMPARE(mapped->size(), static_cast<std::uint64_t>(size));
    QVERIFY(std::equal(mapped->bytes().begin(), mapped->bytes().end(), payload.begin(), payload.end()));
    QCOMPARE(mapped->chunkCount(), info->chunkCount);

    for (std::uint64_t i = 0; i < info->chunkCount; ++i) {
        const std::size_t start = static_cast<std::size_t>(i * MiB);
        const std::size_t len = static_cast<std::size_t>(chunkLength(info->size, i));
        auto chunk = store->readChunk(info->hash, i);
        EXPECT_OK(chunk);
        QVERIFY(std::equal(chunk->begin(), chunk->end(), payload.begin() + static_cast<std::ptrdiff_t>(start),
                           payload.begin() + static_cast<std::ptrdiff_t>(start + len)));
        QCOMPARE(chunk->size(), len);
        const ByteView view = mapped->chunk(i);
        QVERIFY(std::equal(view.begin(), view.end(), chunk->begin(), chunk->end()));
        auto proof = store->chunkProof(info->hash, i);
        EXPECT_OK(proof);
        QVERIFY(ObjectStore::verifyChunk(info->merkleRoot, i, info->chunkCount, *chunk, *proof));
    }
    QVERIFY(!store->readChunk(info->hash, info->chunkCount).ok());

    auto verified = store->verify(info->hash);
    EXPECT_OK(verified);
    QCOMPARE(*verified, *info);
    // A fresh handle (no cached leaves) computes the same info from disk.
    auto fresh = ObjectStore::open(dir);
    EXPECT_OK(fresh);
    QCOMPARE(*fresh->info(info->hash), *info);

    // Streaming with odd piece sizes gives the same object.
    auto w = store->writer();
    EXPECT_OK(w);
    std::size_t off = 0, step = 1;
    while (off < payload.size()) {
        const std::size_t n = std::min(step, payload.size() - off);
        EXPECT_OK(w->append(ByteView(payload).subspan(off, n)));
        off += n;
        step = step * 5 + 3;
    }
    QCOMPARE(w->size(), static_cast<std::uint64_t>(size));
    auto streamed = w->commit();
    EXPECT_OK(streamed);
    QCOMPARE(*streamed, *info);
    QVERIFY(!w->active());

    const ObjectStoreStats s = *store->stats();
    QCOMPARE(s.objectCount, 1u);
    QCOMPARE(s.totalBytes, static_cast<std::uint64_t>(size));

    EXPECT_OK(store->remove(info->hash));
    QVERIFY(!store->has(info->hash));
    QCOMPARE(store->get(info->hash).error().code, ErrorCode::NotFound);
    QCOMPARE(*store->stats(), ObjectStoreStats{});
    EXPECT_OK(store->remove(info->hash));  // idempotent
}

void StorageTest::chunkProofs()
{
    QTemporaryDir tmp;
    auto store = ObjectStore::open(tmp.filePath("objects"));
    EXPECT_OK(store);
    const Bytes payload = pattern(3 * MiB + MiB / 2, 5);
    auto info = store->put(payload);
    EXPECT_OK(info);
    QCOMPARE(info->chunkCount, 4u);
    for (std::uint64_t i = 0; i < info->chunkCount; ++i) {
        auto chunk = store->readChunk(info->hash, i);
        auto proof = store->chunkProof(info->hash, i);
        EXPECT_OK(chunk);
        EXPECT_OK(proof);
        QVERIFY(ObjectStore::verifyChunk(info->merkleRoot, i, info->chunkCount, *chunk, *proof));

        Bytes wrong = *chunk;
        wrong[wrong.size() / 2] ^= 1;
        QVERIFY(!ObjectStore::verifyChunk(info->merkleRoot, i, info->chunkCount, wrong, *proof));
        QVERIFY(!ObjectStore::verifyChunk(info->merkleRoot, i, info->chunkCount + 1, *chunk, *proof));
        QVERIFY(!ObjectStore::verifyChunk(info->hash, i, info->chunkCount, *chunk, *proof));  // wrong root
        const std::uint64_t other = (i + 1) % info->chunkCount;
        auto otherChunk = store->readChunk(info->hash, other);
        QVERIFY(!ObjectStore::verifyChunk(info->merkleRoot, i, info->chunkCount, *otherChunk, *proof));
        Bytes padded = *chunk;
        padded.push_back(0);  // a chunk one byte too long is wrong before any hashing
        QVERIFY(!ObjectStore::verifyChunk(info->merkleRoot, i, info->chunkCount, padded, *proof));
    }
}

void StorageTest::dedupe()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    const Bytes payload = pattern(MiB + 5, 11);
    auto a = store->put(payload);
    auto b = store->put(payload);
    EXPECT_OK(a);
    EXPECT_OK(b);
    QCOMPARE(*a, *b);
    QCOMPARE(store->stats()->objectCount, 1u);

    auto w = store->writer();
    EXPECT_OK(w);
    EXPECT_OK(w->append(payload));
    auto c = w->commit();
    EXPECT_OK(c);
    QCOMPARE(*c, *a);
    QCOMPARE(store->stats()->objectCount, 1u);
    QCOMPARE(countFiles(dir + "/tmp"), 0);

    EXPECT_OK(store->put(pattern(10, 12)));
    QCOMPARE(store->stats()->objectCount, 2u);
    QCOMPARE(store->stats()->totalBytes, static_cast<std::uint64_t>(MiB + 5 + 10));
}

void StorageTest::corruptionDetected()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    const Bytes payload = pattern(2 * MiB + MiB / 2, 13);
    auto info = store->put(payload);
    EXPECT_OK(info);
    const QString path = store->objectPath(info->hash);
    const std::string hex = crypto::hashToHex(info->hash);
    QVERIFY(flipByte(path, static_cast<qint64>(MiB + MiB / 2)));  // inside chunk 1

    auto isCorrupt = [&](const Error &e) {
        return e.code == ErrorCode::Corrupt && e.message.find(hex) != std::string::npos &&
               e.message.find(path.toStdString()) != std::string::npos && e.message.find("Delete") != std::string::npos;
    };
    auto got = store->get(info->hash);
    QVERIFY(!got.ok());
    QVERIFY2(isCorrupt(got.error()), got.error().message.c_str());
    auto ver = store->verify(info->hash);
    QVERIFY(!ver.ok());
    QVERIFY2(isCorrupt(ver.error()), ver.error().message.c_str());
    auto mapped = store->map(info->hash, Verify::Full);
    QVERIFY(!mapped.ok());
    QVERIFY2(isCorrupt(mapped.error()), mapped.error().message.c_str());
    // Unverified mapping is the caller's explicit choice: it opens, and shows the damaged bytes.
    auto raw = store->map(info->hash, Verify::None);
    EXPECT_OK(raw);
    QVERIFY(raw->bytes()[MiB + MiB / 2] != payload[MiB + MiB / 2]);

    // Chunks: leaves known from the write, so the good chunks still read and the bad one is caught.
    auto store2 = ObjectStore::open(dir);  // (fresh handle, see below)
    EXPECT_OK(store2);
    auto writerStore = ObjectStore::open(tmp.filePath("objects2"));
    EXPECT_OK(writerStore);
    auto info2 = writerStore->put(payload);
    EXPECT_OK(info2);
    QVERIFY(flipByte(writerStore->objectPath(info2->hash), static_cast<qint64>(MiB + 10)));
    EXPECT_OK(writerStore->readChunk(info2->hash, 0));
    EXPECT_OK(writerStore->readChunk(info2->hash, 2));
    auto bad = writerStore->readChunk(info2->hash, 1);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::Corrupt);
    QVERIFY(bad.error().message.find("chunk 1") != std::string::npos);

    // Without cached leaves the whole object must verify first, and it does not.
    auto cold = store2->readChunk(info->hash, 0);
    QVERIFY(!cold.ok());
    QVERIFY2(isCorrupt(cold.error()), cold.error().message.c_str());
    QVERIFY(!store2->chunkProof(info->hash, 0).ok());
}

void StorageTest::truncationDetected()
{
    QTemporaryDir tmp;
    auto store = ObjectStore::open(tmp.filePath("objects"));
    EXPECT_OK(store);
    const Bytes payload = pattern(2 * MiB + 300, 17);
    auto info = store->put(payload);
    EXPECT_OK(info);
    const QString path = store->objectPath(info->hash);
    QVERIFY(truncateTo(path, static_cast<qint64>(payload.size() - 100)));

    QCOMPARE(store->get(info->hash).error().code, ErrorCode::Corrupt);
    QCOMPARE(store->verify(info->hash).error().code, ErrorCode::Corrupt);
    QCOMPARE(store->map(info->hash).error().code, ErrorCode::Corrupt);
    auto fresh = ObjectStore::open(tmp.filePath("objects"));
    EXPECT_OK(fresh);
    QCOMPARE(fresh->readChunk(info->hash, 2).error().code, ErrorCode::Corrupt);

    // A truncated chunk with leaves cached from the write is caught by length.
    auto other = ObjectStore::open(tmp.filePath("objects-b"));
    EXPECT_OK(other);
    EXPECT_OK(other->put(payload));
    QVERIFY(truncateTo(other->objectPath(info->hash), static_cast<qint64>(2 * MiB + 1)));
    auto shortChunk = other->readChunk(info->hash, 2);
    QVERIFY(!shortChunk.ok());
    QCOMPARE(shortChunk.error().code, ErrorCode::Corrupt);
    QVERIFY(shortChunk.error().message.find("truncated") != std::string::npos);

    // Storing the object again repairs the damaged copy (sizes differ, so it is not a dedupe).
    auto repaired = store->put(payload);
    EXPECT_OK(repaired);
    auto got = store->get(info->hash);
    EXPECT_OK(got);
    QVERIFY(*got == payload);
}

void StorageTest::missingObject()
{
    QTemporaryDir tmp;
    auto store = ObjectStore::open(tmp.filePath("objects"));
    EXPECT_OK(store);
    const Hash256 h = crypto::blake2b256(asBytes("never stored"));
    QVERIFY(!store->has(h));
    QCOMPARE(store->get(h).error().code, ErrorCode::NotFound);
    QCOMPARE(store->map(h).error().code, ErrorCode::NotFound);
    QCOMPARE(store->readChunk(h, 0).error().code, ErrorCode::NotFound);
    QCOMPARE(store->verify(h).error().code, ErrorCode::NotFound);
    QCOMPARE(store->chunkProof(h, 0).error().code, ErrorCode::NotFound);
    EXPECT_OK(store->remove(h));
}

void StorageTest::writerExpectationsAndLimits()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    const Bytes payload = pattern(MiB + 77, 19);

    {  // wrong expected hash: refused, nothing stored
        auto w = store->writer(WriteOptions{crypto::blake2b256(asBytes("other")), std::nullopt});
        EXPECT_OK(w);
        EXPECT_OK(w->append(payload));
        auto r = w->commit();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Corrupt);
    }
    QCOMPARE(store->stats()->objectCount, 0u);
    QCOMPARE(countFiles(dir + "/tmp"), 0);

    {  // more bytes than announced: stopped at append time
        auto w = store->writer(WriteOptions{std::nullopt, 1000});
        EXPECT_OK(w);
        EXPECT_OK(w->append(ByteView(payload).first(600)));
        const Status s = w->append(ByteView(payload).subspan(600, 600));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ErrorCode::LimitExceeded);
        QVERIFY(!w->append(ByteView(payload).first(1)).ok());  // dead after an error
        QVERIFY(!w->commit().ok());
    }
    {  // fewer bytes than announced
        auto w = store->writer(WriteOptions{std::nullopt, payload.size() + 1});
        EXPECT_OK(w);
        EXPECT_OK(w->append(payload));
        QCOMPARE(w->commit().error().code, ErrorCode::Corrupt);
    }
    {  // abandoned by destruction
        auto w = store->writer();
        EXPECT_OK(w);
        EXPECT_OK(w->append(payload));
        QCOMPARE(countFiles(dir + "/tmp"), 1);
    }
    QCOMPARE(countFiles(dir + "/tmp"), 0);
    QCOMPARE(store->stats()->objectCount, 0u);

    ObjectStoreOptions small;
    small.maxObjectSize = 4096;
    small.maxInMemorySize = 100;
    auto limited = ObjectStore::open(tmp.filePath("limited"), small);
    EXPECT_OK(limited);
    QCOMPARE(limited->put(payload).error().code, ErrorCode::LimitExceeded);
    QCOMPARE(limited->writer(WriteOptions{std::nullopt, 5000}).error().code, ErrorCode::LimitExceeded);
    auto mid = limited->put(pattern(1000, 1));
    EXPECT_OK(mid);
    QCOMPARE(limited->get(mid->hash).error().code, ErrorCode::LimitExceeded);  // use map() instead
    EXPECT_OK(limited->map(mid->hash));

    ObjectStoreOptions full;
    full.minFreeBytes = std::numeric_limits<std::uint64_t>::max() / 2;  // "the disk is full"
    auto noSpace = ObjectStore::open(tmp.filePath("nospace"), full);
    EXPECT_OK(noSpace);
    auto refused = noSpace->put(payload);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Io);
    QVERIFY2(refused.error().message.find("not enough disk space") != std::string::npos, refused.error().message.c_str());
}

void StorageTest::tmpCleanedAtOpenButLiveWriterKept()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    for (const char *name : {"junk.tmp", "0123abcd.tmp", ".hidden"}) {
        QFile f(dir + "/tmp/" + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("partial");
    }
    QCOMPARE(countFiles(dir + "/tmp"), 3);
    EXPECT_OK(ObjectStore::open(dir));
    QCOMPARE(countFiles(dir + "/tmp"), 0);

#ifndef _WIN32
    // A writer in progress holds a lock on its temp file: another open() leaves it alone.
    auto w = store->writer();
    EXPECT_OK(w);
    const Bytes payload = pattern(MiB, 23);
    EXPECT_OK(w->append(payload));
    QCOMPARE(countFiles(dir + "/tmp"), 1);
    EXPECT_OK(ObjectStore::open(dir));
    QCOMPARE(countFiles(dir + "/tmp"), 1);
    auto info = w->commit();
    EXPECT_OK(info);
    QVERIFY(*store->get(info->hash) == payload);
#endif
}

void StorageTest::statsIgnoreForeignFiles()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    auto info = store->put(pattern(1234, 29));
    EXPECT_OK(info);
    const QString prefixDir = QFileInfo(store->objectPath(info->hash)).path();
    for (const QString &p : {dir + "/README", prefixDir + "/notes.txt", dir + "/tmp/x.tmp"}) {
        QFile f(p);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("0123456789");
    }
    const ObjectStoreStats s = *store->stats();
    QCOMPARE(s.objectCount, 1u);
    QCOMPARE(s.totalBytes, 1234u);
}

// ---- crash safety: real processes that die before commit -----------------------------------------

void StorageTest::crashBeforeCommitLeavesNothing()
{
#ifdef _WIN32
    QSKIP("fork() is POSIX");
#else
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    EXPECT_OK(store->put(pattern(100, 1)));
    EXPECT_OK(store->put(pattern(MiB + 1, 2)));
    const ObjectStoreStats before = *store->stats();
    const Bytes big = pattern(8 * MiB + 123, 31);
    const Hash256 bigHash = crypto::blake2b256(big);

    const pid_t pid = ::fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
        // Child: stream the whole payload, then exit without commit and without running destructors,
        // as a process that dies between the last write and the rename would.
        auto s = ObjectStore::open(dir);
        if (!s.ok()) ::_exit(2);
        auto w = s->writer();
        if (!w.ok()) ::_exit(3);
        for (std::size_t off = 0; off < big.size(); off += 65536)
            if (!w->append(ByteView(big).subspan(off, std::min<std::size_t>(65536, big.size() - off))).ok()) ::_exit(4);
        ::_exit(0);
    }
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, 0), pid);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);

    QCOMPARE(countFiles(dir + "/tmp"), 1);  // the dead writer's partial file
    QVERIFY(!store->has(bigHash));
    auto reopened = ObjectStore::open(dir);
    EXPECT_OK(reopened);
    QCOMPARE(countFiles(dir + "/tmp"), 0);
    QVERIFY(!reopened->has(bigHash));
    QCOMPARE(reopened->get(bigHash).error().code, ErrorCode::NotFound);
    QCOMPARE(*reopened->stats(), before);
#endif
}

void StorageTest::killedMidWriteLeavesNothing()
{
#ifdef _WIN32
    QSKIP("fork() is POSIX");
#else
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    EXPECT_OK(store->put(pattern(4096, 3)));
    const ObjectStoreStats before = *store->stats();
    const Bytes big = pattern(16 * MiB, 37);
    const Hash256 bigHash = crypto::blake2b256(big);

    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    const pid_t pid = ::fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        auto s = ObjectStore::open(dir);
        if (!s.ok()) ::_exit(2);
        auto w = s->writer();
        if (!w.ok()) ::_exit(3);
        const std::size_t half = big.size() / 2;
        if (!w->append(ByteView(big).first(half)).ok()) ::_exit(4);
        const char ready = 'r';
        if (::write(fds[1], &ready, 1) != 1) ::_exit(5);
        // Keep writing slowly until killed: the SIGKILL lands in the middle of the stream.
        for (std::size_t off = half; off < big.size(); off += 4096) {
            if (!w->append(ByteView(big).subspan(off, 4096)).ok()) ::_exit(6);
            ::usleep(2000);
        }
        ::pause();
        ::_exit(7);
    }
    ::close(fds[1]);
    char ready = 0;
    QCOMPARE(::read(fds[0], &ready, 1), ssize_t(1));
    ::close(fds[0]);
    ::usleep(20000);
    QCOMPARE(::kill(pid, SIGKILL), 0);
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, 0), pid);
    QVERIFY(WIFSIGNALED(status));
    QCOMPARE(WTERMSIG(status), SIGKILL);

    QCOMPARE(countFiles(dir + "/tmp"), 1);
    auto reopened = ObjectStore::open(dir);
    EXPECT_OK(reopened);
    QCOMPARE(countFiles(dir + "/tmp"), 0);
    QVERIFY(!reopened->has(bigHash));
    QCOMPARE(*reopened->stats(), before);
    // The store is fully usable afterwards.
    auto info = reopened->put(big);
    EXPECT_OK(info);
    QVERIFY(info->hash == bigHash);
    EXPECT_OK(reopened->verify(bigHash));
#endif
}

void StorageTest::diskWriteFailureIsClear()
{
#ifdef _WIN32
    QSKIP("RLIMIT_FSIZE is POSIX");
#else
    // A child with a 2 MiB file-size limit stands in for a full disk: write() fails with EFBIG, which
    // must surface as a clear Io error and leave no partial object behind.
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    {
        auto store = ObjectStore::open(dir);
        EXPECT_OK(store);
    }
    const pid_t pid = ::fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
        ::signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim {};
        ::getrlimit(RLIMIT_FSIZE, &lim);
        lim.rlim_cur = 2 * MiB;
        if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) ::_exit(2);
        auto s = ObjectStore::open(dir);
        if (!s.ok()) ::_exit(3);
        const Bytes big = pattern(4 * MiB, 41);
        auto r = s->put(big);
        if (r.ok()) ::_exit(4);
        if (r.error().code != ErrorCode::Io) ::_exit(5);
        if (r.error().message.find("write failed") == std::string::npos) ::_exit(6);
        if (r.error().message.find("/tmp/") == std::string::npos) ::_exit(7);
        auto w = s->writer();
        if (!w.ok()) ::_exit(8);
        bool failed = false;
        for (std::size_t off = 0; off < big.size() && !failed; off += 300000)
            failed = !w->append(ByteView(big).subspan(off, std::min<std::size_t>(300000, big.size() - off))).ok();
        if (!failed && w->commit().ok()) ::_exit(9);
        if (s->stats()->objectCount != 0) ::_exit(10);
        ::_exit(0);
    }
    int status = 0;
    QCOMPARE(::waitpid(pid, &status, 0), pid);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    QCOMPARE(countFiles(dir + "/tmp"), 0);
    QCOMPARE(store->stats()->objectCount, 0u);
#endif
}


// The totals are walked once and then maintained by put/remove; they must always equal a fresh walk.
void StorageTest::statsKeptUpToDate()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath("objects");
    auto store = ObjectStore::open(dir);
    EXPECT_OK(store);
    auto first = store->put(asBytes(std::string_view("before the first stats call")));
    EXPECT_OK(first);
    QCOMPARE(store->stats()->objectCount, 1u);  // walked
    Bytes big(3 * 1024 * 1024 + 17, 0x5a);
    auto second = store->put(big);
    EXPECT_OK(second);
    EXPECT_OK(store->put(big));  // dedupe: no change
    auto third = store->put(asBytes(std::string_view("x")));
    EXPECT_OK(third);
    EXPECT_OK(store->remove(first->hash));
    EXPECT_OK(store->remove(first->hash));  // already gone: no change
    const ObjectStoreStats kept = *store->stats();
    QCOMPARE(kept.objectCount, 2u);
    QCOMPARE(kept.totalBytes, static_cast<std::uint64_t>(big.size() + 1));
    auto fresh = ObjectStore::open(dir);
    EXPECT_OK(fresh);
    QCOMPARE(*fresh->stats(), kept);
}

QTEST_GUILESS_MAIN(StorageTest)
#include "test_storage.moc"
