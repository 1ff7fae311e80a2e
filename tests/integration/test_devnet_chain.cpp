// The devnet chain in a real blyand: genesis on first start, a transfer signed here with the node
// key and sent with blyan-cli sendrawtransaction lands in a block, balances and the supply identity
// hold, a replay and malformed hex are refused with their reason, a restart comes back at the same
// tip, and a node killed with SIGKILL while blocks are produced never loses a reported block.

#include "process_helpers.h"

#include "chain/address.h"
#include "chain/tx_kind.h"
#include "chain/tx_kinds/transfer.h"
#include "crypto/secure_memory.h"
#include "storage/database.h"
#include "util/network.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <optional>

using namespace blyan;

class TestDevnetChain : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString dataDir_;
    quint16 port_ = 0;
    QProcess daemon_;
    std::optional<crypto::KeyPair> nodeKey_;
    crypto::KeyPair dest_ = crypto::KeyPair::generate();
    std::uint64_t nonce_ = 0;

    QStringList nodeArgs() const { return blyandArgs(dataDir_, port_); }
    ProcResult cli(const QStringList &args) { return runTool(QStringLiteral("blyan-cli"), nodeArgs() + args); }
    QJsonValue call(const QStringList &args)
    {
        const ProcResult r = cli(args);
        if (r.exitCode != 0) qWarning("blyan-cli %s failed: %s", qPrintable(args.join(' ')), r.err.constData());
        const QByteArray out = r.out.trimmed();
        const QJsonDocument doc = QJsonDocument::fromJson(out);
        if (doc.isObject()) return doc.object();
        if (doc.isArray()) return doc.array();
        // Scalars are printed bare (bitcoin-cli style).
        bool isNumber = false;
        const qint64 n = out.toLongLong(&isNumber);
        if (isNumber) return QJsonValue(n);
        return QJsonValue(QString::fromUtf8(out));
    }
    qint64 blockCount() { return call({QStringLiteral("getblockcount")}).toInteger(-1); }

    void startDaemon() { startBlyand(daemon_, dataDir_, port_); }
    void stopDaemon()
    {
        QCOMPARE(cli({QStringLiteral("stop")}).exitCode, 0);
        QVERIFY(daemon_.waitForFinished(60000));
        QCOMPARE(daemon_.exitCode(), 0);
    }

    QString signedTransfer(std::uint64_t nonce, chain::Amount amount)
    {
        chain::TransferBody body;
        body.to = dest_.publicKey();
        body.amount = amount;
        chain::Transaction tx =
            chain::makeTransaction(networkParams(Network::Devnet).networkId, nonce, 1000, body);
        chain::signTransaction(tx, *nodeKey_);
        return QString::fromStdString(toHex(chain::encodeTransaction(tx)));
    }
    chain::Amount units(const QJsonObject &o, const char *field)
    {
        return o.value(QLatin1String(field)).toObject().value(QStringLiteral("units")).toString().toULongLong();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("devnet"));
        port_ = freePort();
        startDaemon();
    }

    void genesisWithPact()
    {
        QVERIFY(blockCount() >= 0);
        const QJsonObject g = call({QStringLiteral("getblock"), QStringLiteral("0")}).toObject();
        QCOMPARE(g.value(QStringLiteral("height")).toInteger(), 0);
        QCOMPARE(g.value(QStringLiteral("hash")).toString(),
                 call({QStringLiteral("getblockhash"), QStringLiteral("0")}).toString());
        const QJsonObject pact = call({QStringLiteral("getobject"), QStringLiteral("genesis_pact")}).toObject();
        QCOMPARE(pact.value(QStringLiteral("chain")).toString(), QStringLiteral("A"));
        QCOMPARE(pact.value(QStringLiteral("kind")).toString(), QStringLiteral("genesis_pact"));
        QVERIFY(pact.value(QStringLiteral("payload_available")).toBool());
        QCOMPARE(call({QStringLiteral("listobjects"), QStringLiteral("A")}).toArray().size(), 1);
        const QJsonObject info = call({QStringLiteral("getinfo")}).toObject();
        QVERIFY(info.value(QStringLiteral("subsystems")).toObject().value(QStringLiteral("chain")).toBool());

        // The node key: owner-only, the single validator, holding the genesis supply.
        const QString keyPath = dataDir_ + QStringLiteral("/node.key");
        QCOMPARE(QFile::permissions(keyPath) & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        QFile f(keyPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray seed = f.readAll();
        QCOMPARE(seed.size(), 32);
        auto kp = crypto::KeyPair::fromSeed(crypto::SecureBytes::copyOf(
            ByteView(reinterpret_cast<const std::uint8_t *>(seed.constData()), static_cast<std::size_t>(seed.size()))));
        QVERIFY(kp.ok());
        nodeKey_.emplace(std::move(*kp));
        const QString nodeAddr = QString::fromStdString(chain::formatAddress(Network::Devnet, nodeKey_->publicKey()));
        const QJsonObject supply = call({QStringLiteral("getsupply")}).toObject();
        const QJsonObject bal = call({QStringLiteral("getbalance"), nodeAddr}).toObject();
        QCOMPARE(units(bal, "balance"), units(supply, "genesis"));
    }

    void transferIsIncluded()
    {
        const QString nodeAddr = QString::fromStdString(chain::formatAddress(Network::Devnet, nodeKey_->publicKey()));
        const QString destAddr = QString::fromStdString(chain::formatAddress(Network::Devnet, dest_.publicKey()));
        const chain::Amount before = units(call({QStringLiteral("getbalance"), nodeAddr}).toObject(), "balance");
        const qint64 height0 = blockCount();

        const QString hex = signedTransfer(nonce_, 5 * chain::kCoin);
        const ProcResult sent = cli({QStringLiteral("sendrawtransaction"), hex});
        QVERIFY2(sent.exitCode == 0, sent.err.constData());
        const QString txid = QString::fromUtf8(sent.out.trimmed());
        QCOMPARE(txid.size(), 64);

        QJsonObject tx;
        QTRY_VERIFY_WITH_TIMEOUT(
            (tx = call({QStringLiteral("gettransaction"), txid}).toObject(),
             tx.value(QStringLiteral("in_mempool")) == QJsonValue(false)),
            30000);
        ++nonce_;
        QVERIFY(blockCount() > height0);
        QCOMPARE(tx.value(QStringLiteral("to")).toString(), destAddr);
        const QJsonObject block = call({QStringLiteral("getblock"), tx.value(QStringLiteral("blockhash")).toString()}).toObject();
        QVERIFY(block.value(QStringLiteral("tx")).toArray().contains(txid));
        QCOMPARE(units(call({QStringLiteral("getbalance"), destAddr}).toObject(), "balance"), 5 * chain::kCoin);
        QCOMPARE(units(call({QStringLiteral("getbalance"), nodeAddr}).toObject(), "balance"), before - 5 * chain::kCoin - 1000);
        QCOMPARE(call({QStringLiteral("getrawmempool")}).toArray().size(), 0);

        // The supply identity: genesis + minted - burned - reward pool == circulating == balances.
        const QJsonObject s = call({QStringLiteral("getsupply")}).toObject();
        QCOMPARE(units(s, "genesis") + units(s, "minted") - units(s, "burned") - units(s, "reward_pool"),
                 units(s, "circulating"));
        QVERIFY(units(s, "burned") > 0);
        QVERIFY(units(s, "genesis") + units(s, "minted") <= units(s, "cap"));
        QCOMPARE(units(call({QStringLiteral("getbalance"), nodeAddr}).toObject(), "balance") + 5 * chain::kCoin,
                 units(s, "circulating"));

        // A replay is refused with the nonce reason; so is malformed hex.
        const ProcResult replay = cli({QStringLiteral("sendrawtransaction"), hex});
        QVERIFY(replay.exitCode != 0);
        QVERIFY2(replay.err.contains("nonce"), replay.err.constData());
        const ProcResult bad = cli({QStringLiteral("sendrawtransaction"), QStringLiteral("01zz")});
        QVERIFY(bad.exitCode != 0);
        const ProcResult truncated = cli({QStringLiteral("sendrawtransaction"), hex.left(hex.size() - 2)});
        QVERIFY(truncated.exitCode != 0);
        QVERIFY2(truncated.err.contains("decode"), truncated.err.constData());
    }

    void restartKeepsTheTip()
    {
        const qint64 height = blockCount();
        const QString best = call({QStringLiteral("getbestblockhash")}).toString();
        const QJsonObject supply = call({QStringLiteral("getsupply")}).toObject();
        stopDaemon();
        startDaemon();
        // An idle devnet adds a block at most once a minute: the tip is the same unless one just came.
        const qint64 after = blockCount();
        QVERIFY(after >= height);
        if (after == height) {
            QCOMPARE(call({QStringLiteral("getbestblockhash")}).toString(), best);
            QCOMPARE(call({QStringLiteral("getsupply")}).toObject(), supply);
        } else {
            QCOMPARE(call({QStringLiteral("getblockhash"), QString::number(height)}).toString(), best);
        }
    }

    void sigkillNeverLosesAReportedBlock()
    {
        const QString nodeAddr = QString::fromStdString(chain::formatAddress(Network::Devnet, nodeKey_->publicKey()));
        const qint64 start = blockCount();
        auto send = [&](int n) {
            for (int k = 0; k < n; ++k) {
                const ProcResult r = cli({QStringLiteral("sendrawtransaction"), signedTransfer(nonce_, 1000)});
                QVERIFY2(r.exitCode == 0, r.err.constData());
                ++nonce_;
            }
        };
        // The bar: 50 kills during block production.
        constexpr int kRounds = 50;
        for (int i = 0; i < kRounds; ++i) {
            qint64 reported = blockCount();
            // A batch that lands (polled, no timing assumption) ...
            send(3);
            if (QTest::currentTestFailed()) return;
            QDeadlineTimer deadline(30000);
            while (!deadline.hasExpired()) {
                reported = std::max(reported, blockCount());
                if (call({QStringLiteral("getrawmempool")}).toArray().isEmpty()) break;
                QThread::msleep(100);
            }
            reported = std::max(reported, blockCount());
            // ... then another one, and SIGKILL at a varying moment while it is being put in a block.
            send(3);
            if (QTest::currentTestFailed()) return;
            QThread::msleep(static_cast<unsigned long>(110 * (i % 10)));
            reported = std::max(reported, blockCount());
            daemon_.kill();
            QVERIFY(daemon_.waitForFinished(30000));
            startDaemon();
            const qint64 now = blockCount();
            QVERIFY2(now >= reported, qPrintable(QStringLiteral("height %1 after restart, %2 reported before").arg(now).arg(reported)));
            // Transactions that were only in the killed node's mempool are gone: resync the nonce.
            nonce_ = call({QStringLiteral("getbalance"), nodeAddr}).toObject().value(QStringLiteral("nonce")).toString().toULongLong();
        }
        QVERIFY(blockCount() >= start + kRounds);  // every round's first batch landed in a block
        const QJsonObject s = call({QStringLiteral("getsupply")}).toObject();
        QCOMPARE(units(s, "genesis") + units(s, "minted") - units(s, "burned") - units(s, "reward_pool"),
                 units(s, "circulating"));

        // With the node stopped, the database passes SQLite's quick_check.
        const qint64 height = blockCount();
        stopDaemon();
        {
            auto db = storage::Database::open(dataDir_ + QStringLiteral("/node.sqlite"));
            QVERIFY2(db.ok(), db.ok() ? "" : db.error().message.c_str());
            const Status check = db->quickCheck();
            QVERIFY2(check.ok(), check.ok() ? "" : check.error().message.c_str());
        }
        startDaemon();
        QVERIFY(blockCount() >= height);
    }

    void testnetReportsTheChainUnavailable()
    {
        const QString dir = tmp_.filePath(QStringLiteral("testnet"));
        const QStringList args = {QStringLiteral("--network"), QStringLiteral("testnet"), QStringLiteral("--datadir"), dir,
                                  QStringLiteral("--rpcport"), QString::number(freePort())};
        QProcess node;
        node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        node.start(binPath(QStringLiteral("blyand")), args);
        QVERIFY(node.waitForStarted());
        const ProcResult up = runTool(QStringLiteral("blyan-cli"), args + QStringList{QStringLiteral("--rpcwait"), QStringLiteral("60"), QStringLiteral("getinfo")});
        QVERIFY2(up.exitCode == 0, up.err.constData());
        const QJsonObject info = QJsonDocument::fromJson(up.out).object();
        QVERIFY(!info.value(QStringLiteral("subsystems")).toObject().value(QStringLiteral("chain")).toBool());
        QVERIFY(info.value(QStringLiteral("chain_status")).toString().contains(QStringLiteral("testnet")));
        const ProcResult count = runTool(QStringLiteral("blyan-cli"), args + QStringList{QStringLiteral("getblockcount")});
        QVERIFY(count.exitCode != 0);
        QVERIFY2(count.err.contains("--genesis FILE"), count.err.constData());
        QCOMPARE(runTool(QStringLiteral("blyan-cli"), args + QStringList{QStringLiteral("stop")}).exitCode, 0);
        QVERIFY(node.waitForFinished(60000));
        QCOMPARE(node.exitCode(), 0);
    }

    void cleanupTestCase()
    {
        if (daemon_.state() != QProcess::NotRunning) stopDaemon();
    }
};

QTEST_GUILESS_MAIN(TestDevnetChain)
#include "test_devnet_chain.moc"
