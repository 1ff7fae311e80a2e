// NodeChain without processes: the node key file (created once 0600, refused rather than replaced
// when its size or mode is wrong), genesis with the pact, block production on demand and when idle,
// reopening at the same tip, a testnet that has no chain, and on a one-validator testnet an unstake reported
// as unbonding by getbalance until its release epoch pays it out.

#include "chain/address.h"
#include "chain/tx_kind.h"
#include "chain/tx_kinds/transfer.h"
#include "chain/tx_kinds/unstake.h"
#include "node/node_chain.h"
#include "node/node_storage.h"
#include "storage/database.h"
#include "storage/object_store.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace blyan;
using namespace blyan::node;

class TestNodeChain : public QObject {
    Q_OBJECT

    static QString txHex(const crypto::KeyPair &from, std::uint64_t nonce, const crypto::PublicKey &to)
    {
        chain::TransferBody body;
        body.to = to;
        body.amount = chain::kCoin;
        chain::Transaction tx = chain::makeTransaction(networkParams(Network::Devnet).networkId, nonce, 500, body);
        chain::signTransaction(tx, from);
        return QString::fromStdString(toHex(chain::encodeTransaction(tx)));
    }

private Q_SLOTS:
    void nodeKeyFile()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("node.key"));
        auto a = loadOrCreateNodeKey(path);
        QVERIFY(a.ok());
        QCOMPARE(QFile(path).size(), 32);
        QCOMPARE(QFile::permissions(path) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        auto b = loadOrCreateNodeKey(path);
        QVERIFY(b.ok());
        QCOMPARE(b->publicKey(), a->publicKey());

        // Readable by others: refused, and the file is left as it was.
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        auto c = loadOrCreateNodeKey(path);
        QVERIFY(!c.ok());
        QVERIFY(c.error().message.find("chmod 600") != std::string::npos);
        QCOMPARE(QFile(path).size(), 32);
        // Wrong size: refused too.
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write("x");
        f.close();
        QVERIFY(!loadOrCreateNodeKey(path).ok());
    }

    void genesisBlocksAndReopen()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        const crypto::KeyPair dest = crypto::KeyPair::generate();
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        QString best;
        {
            auto store = openNodeStorage(Network::Devnet, dir);
            QVERIFY(store.ok());
            auto c = NodeChain::open(Network::Devnet, dir, *store->db, *store->objects);
            QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
            NodeChain &chain = **c;
            QCOMPARE(chain.height(), 0u);
            const QJsonObject pact = chain.getObject(QStringLiteral("genesis_pact"))->toObject();
            QVERIFY(pact.value(QStringLiteral("payload_available")).toBool());

            // Nothing waits and the genesis is fresh: no block.
            QVERIFY(!chain.maybeProduceBlock(now + 1500));
            auto key = loadOrCreateNodeKey(dir + QStringLiteral("/node.key"));
            QVERIFY(key.ok());
            QVERIFY(chain.sendRawTransaction(txHex(*key, 0, dest.publicKey())).ok());
            QCOMPARE(chain.mempoolSize(), 1u);
            QVERIFY(chain.maybeProduceBlock(now + 2500));
            QCOMPARE(chain.height(), 1u);
            QCOMPARE(chain.mempoolSize(), 0u);
            // The same transaction again: refused with the nonce reason.
            auto replay = chain.sendRawTransaction(txHex(*key, 0, dest.publicKey()));
            QVERIFY(!replay.ok());
            QVERIFY(replay.error().message.find("nonce") != std::string::npos);
            // One block per slot, and an idle chain still gets a block every minute.
            QVERIFY(chain.sendRawTransaction(txHex(*key, 1, dest.publicKey())).ok());
            QVERIFY(!chain.maybeProduceBlock(now + 2600));
            QVERIFY(chain.maybeProduceBlock(now + 3600));
            QVERIFY(!chain.maybeProduceBlock(now + 3600 + 30'000));
            QVERIFY(chain.maybeProduceBlock(now + 3600 + kIdleBlockIntervalMs));
            QCOMPARE(chain.height(), 3u);
            const QJsonObject bal =
                chain.getBalance(QString::fromStdString(chain::formatAddress(Network::Devnet, dest.publicKey())))->toObject();
            QCOMPARE(bal.value(QStringLiteral("balance")).toObject().value(QStringLiteral("units")).toString(),
                     QString::number(2 * chain::kCoin));
            QVERIFY(chain.getSupply().ok());  // checks the supply identity
            QCOMPARE(chain.getBlock(QStringLiteral("2"), 1)->toObject().value(QStringLiteral("tx")).toArray().size(), 1);
            best = chain.bestBlockHash();
        }
        auto store = openNodeStorage(Network::Devnet, dir);
        QVERIFY(store.ok());
        auto c = NodeChain::open(Network::Devnet, dir, *store->db, *store->objects);
        QVERIFY(c.ok());
        QCOMPARE((*c)->height(), 3u);
        QCOMPARE((*c)->bestBlockHash(), best);
    }

    void testnetHasNoChain()
    {
        QTemporaryDir tmp;
        auto store = openNodeStorage(Network::Testnet, tmp.path());
        QVERIFY(store.ok());
        auto c = NodeChain::open(Network::Testnet, tmp.path(), *store->db, *store->objects);
        QVERIFY(!c.ok());
        QCOMPARE(c.error().code, ErrorCode::Unavailable);
        QVERIFY(c.error().message.find("--genesis FILE") != std::string::npos);
    }

    static QString writeFile(const QTemporaryDir &tmp, const QString &name, const QByteArray &text)
    {
        const QString path = tmp.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(text);
        return path;
    }

    void testnetFromGenesisFile()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(dir));
        const crypto::KeyPair a = crypto::KeyPair::generate(), b = crypto::KeyPair::generate();
        const auto addr = [](const crypto::KeyPair &k) {
            return QString::fromStdString(chain::formatAddress(Network::Testnet, k.publicKey()));
        };
        const QByteArray good = QStringLiteral(R"({"network": "testnet", "time_ms": 1795000000000,
            "allocations": [{"address": "%1", "amount": "60000000 BLY"}, {"address": "%2", "amount": "39000000"}],
            "validators": [{"address": "%2", "stake": "1000000 BLY"}]})")
                                    .arg(addr(a), addr(b)).toUtf8();
        const QString file = writeFile(tmp, QStringLiteral("genesis.json"), good);
        QString genesisHash;
        {
            auto store = openNodeStorage(Network::Testnet, dir);
            QVERIFY(store.ok());
            auto c = NodeChain::open(Network::Testnet, dir, *store->db, *store->objects, file);
            QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
            QCOMPARE((*c)->height(), 0u);
            genesisHash = (*c)->bestBlockHash();
            QCOMPARE((*c)->getBalance(addr(a))->toObject().value(QStringLiteral("balance")).toObject()
                         .value(QStringLiteral("bly")).toString(), QStringLiteral("60000000 BLY"));
            QVERIFY((*c)->getObject(QStringLiteral("genesis_pact")).ok());
            // No peers in this build: no blocks, and no transaction accepted that could never leave.
            QVERIFY(!(*c)->maybeProduceBlock(QDateTime::currentMSecsSinceEpoch() + 3'600'000));
            auto sent = (*c)->sendRawTransaction(QStringLiteral("00"));
            QVERIFY(!sent.ok());
            QCOMPARE(sent.error().code, ErrorCode::Unavailable);
        }
        {
            // Reopening with or without the same file finds the same chain.
            auto store = openNodeStorage(Network::Testnet, dir);
            QVERIFY(store.ok());
            auto same = NodeChain::open(Network::Testnet, dir, *store->db, *store->objects, file);
            QVERIFY2(same.ok(), same.ok() ? "" : same.error().message.c_str());
            QCOMPARE((*same)->bestBlockHash(), genesisHash);
        }
        {
            auto store = openNodeStorage(Network::Testnet, dir);
            QVERIFY(store.ok());
            auto without = NodeChain::open(Network::Testnet, dir, *store->db, *store->objects);
            QVERIFY(without.ok());
            QCOMPARE((*without)->bestBlockHash(), genesisHash);
        }
        {
            // Another chain's file is refused and nothing is changed.
            QByteArray other = good;
            other.replace("1795000000000", "1795000000001");
            const QString otherFile = writeFile(tmp, QStringLiteral("other.json"), other);
            auto store = openNodeStorage(Network::Testnet, dir);
            QVERIFY(store.ok());
            auto c = NodeChain::open(Network::Testnet, dir, *store->db, *store->objects, otherFile);
            QVERIFY(!c.ok());
            QVERIFY2(c.error().message.find("another --datadir") != std::string::npos, c.error().message.c_str());
        }
    }

    void genesisFileErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray addr =
            QByteArray::fromStdString(chain::formatAddress(Network::Testnet, crypto::KeyPair::generate().publicKey()));
        const QByteArray devAddr =
            QByteArray::fromStdString(chain::formatAddress(Network::Devnet, crypto::KeyPair::generate().publicKey()));
        auto file = [&](const QByteArray &allocs, const QByteArray &extra = {}) {
            return "{\"network\": \"testnet\", \"time_ms\": 1795000000000, \"allocations\": [" + allocs + "]" + extra + "}";
        };
        const QByteArray full = "{\"address\": \"" + addr + "\", \"amount\": \"100000000 BLY\"}";
        QTest::newRow("not json") << QByteArray("{") << "not valid JSON";
        QTest::newRow("other network") << QByteArray(R"({"network": "devnet", "time_ms": 1, "allocations": []})")
                                       << "--network devnet";
        QTest::newRow("unknown key") << file(full, ", \"extra\": 1") << "unknown key 'extra'";
        QTest::newRow("fractional time") << QByteArray(R"({"network": "testnet", "time_ms": 1.5, "allocations": []})")
                                         << "'time_ms'";
        QTest::newRow("no allocations") << file("") << "non-empty array";
        QTest::newRow("number amount") << file("{\"address\": \"" + addr + "\", \"amount\": 100000000}")
                                       << "not a JSON number";
        QTest::newRow("devnet address") << file("{\"address\": \"" + devAddr + "\", \"amount\": \"100000000\"}")
                                        << "allocations[0].address";
        QTest::newRow("twice") << file(full + "," + full) << "listed twice";
        QTest::newRow("bad amount") << file("{\"address\": \"" + addr + "\", \"amount\": \"1e8\"}")
                                    << "allocations[0].amount";
        QTest::newRow("short of supply")
            << file("{\"address\": \"" + addr + "\", \"amount\": \"99999999 BLY\"}") << "genesis supply is";
    }

    void genesisFileErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(dir));
        const QString file = writeFile(tmp, QStringLiteral("genesis.json"), json);
        auto store = openNodeStorage(Network::Testnet, dir);
        QVERIFY(store.ok());
        auto c = NodeChain::open(Network::Testnet, dir, *store->db, *store->objects, file);
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.find(expected.toStdString()) != std::string::npos, c.error().message.c_str());
        // Nothing was written: the data dir still has no chain.
        auto again = NodeChain::open(Network::Testnet, dir, *store->db, *store->objects);
        QCOMPARE(again.error().code, ErrorCode::Unavailable);
    }

    // A one-validator testnet whose validator is this node: an unstake shows in getbalance as unbonding, with
    // its release epoch and time, until the first block of that epoch pays it out.
    void testnetUnstakeReportsUnbonding()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(dir));
        const crypto::KeyPair k = crypto::KeyPair::generate();
        {
            QFile key(dir + QStringLiteral("/node.key"));
            QVERIFY(key.open(QIODevice::WriteOnly));
            const crypto::SecureBytes seed = k.secretKey().seed();
            key.write(reinterpret_cast<const char *>(seed.data()), static_cast<qint64>(seed.size()));
            key.close();
            QVERIFY(key.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        }
        const QString addr = QString::fromStdString(chain::formatAddress(Network::Testnet, k.publicKey()));
        const qint64 genesisMs = 1'795'000'000'000;
        const QString file = writeFile(tmp, QStringLiteral("genesis.json"), QStringLiteral(R"({"network": "testnet", "time_ms": %1,
            "allocations": [{"address": "%2", "amount": "99000000 BLY"}],
            "validators": [{"address": "%2", "stake": "1000000 BLY"}]})").arg(genesisMs).arg(addr).toUtf8());
        auto store = openNodeStorage(Network::Testnet, dir);
        QVERIFY(store.ok());
        auto opened = NodeChain::open(Network::Testnet, dir, *store->db, *store->objects, file);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().message.c_str());
        NodeChain &c = **opened;
        c.setRelay([](const chain::Transaction &) {});
        const NetworkParams &net = networkParams(Network::Testnet);
        chain::Transaction tx = chain::makeTransaction(net.networkId, 0, 100'000, chain::UnstakeBody{100 * chain::kCoin});
        chain::signTransaction(tx, k);
        QVERIFY(c.submitTransaction(tx).ok());
        const auto slotMs = [&](std::uint64_t slot) { return genesisMs + static_cast<qint64>(slot) * net.slotMs; };
        auto b = c.produceAt(1, slotMs(1));
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
        QCOMPARE(b->transactions.size(), std::size_t(1));
        const auto bly = [&](const char *field) {
            return c.getBalance(addr)->toObject().value(QLatin1String(field)).toObject().value(QStringLiteral("bly")).toString();
        };
        QCOMPARE(bly("unbonding"), QStringLiteral("100 BLY"));
        QCOMPARE(bly("stake"), QStringLiteral("999900 BLY"));
        const QJsonArray releases = c.getBalance(addr)->toObject().value(QStringLiteral("unbonding_releases")).toArray();
        QCOMPARE(releases.size(), 1);
        const std::uint64_t releaseEpoch = net.unbondingEpochs;
        QCOMPARE(releases[0].toObject().value(QStringLiteral("release_epoch")).toInteger(), qint64(releaseEpoch));
        QCOMPARE(releases[0].toObject().value(QStringLiteral("release_time_ms")).toInteger(),
                 slotMs(releaseEpoch * net.epochSlots));
        // The first block of the release epoch pays it out.
        QVERIFY(c.produceAt(releaseEpoch * net.epochSlots - 1, slotMs(releaseEpoch * net.epochSlots - 1)).ok());
        QCOMPARE(bly("unbonding"), QStringLiteral("100 BLY"));
        QVERIFY(c.produceAt(releaseEpoch * net.epochSlots, slotMs(releaseEpoch * net.epochSlots)).ok());
        QCOMPARE(bly("unbonding"), QStringLiteral("0 BLY"));
        QVERIFY(c.getBalance(addr)->toObject().value(QStringLiteral("unbonding_releases")).toArray().isEmpty());
        QVERIFY(c.ledger().checkSupplyIdentity().ok());
    }
};

QTEST_GUILESS_MAIN(TestNodeChain)
#include "test_node_chain.moc"
