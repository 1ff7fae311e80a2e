// NodeChain without processes: the node key file (created once 0600, refused rather than replaced
// when its size or mode is wrong), genesis with the pact, block production on demand and when idle,
// reopening at the same tip, and a testnet that has no chain.

#include "chain/address.h"
#include "chain/tx_kind.h"
#include "chain/tx_kinds/transfer.h"
#include "node/node_chain.h"
#include "node/node_storage.h"
#include "storage/database.h"
#include "storage/object_store.h"

#include <QDateTime>
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
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("node.key"))));
    }
};

QTEST_GUILESS_MAIN(TestNodeChain)
#include "test_node_chain.moc"
