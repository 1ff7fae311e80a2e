// The explorer RPC methods (docs/rpc.md, "Explorer") on a real devnet Node in a temporary data dir, called
// through Node::call exactly as the GUI calls them: getblockchaininfo, getchaintxstats, listblocks (pages,
// bounds, bad parameters), search (every kind of text and every kind of refusal), listaddresstransactions
// (directions, paging by height), getobjectlinks (dependencies, dependants, versions, the publishing
// transaction), getexpertgrid (versions, and usage after a chat), and the fields gettransaction and getblock
// gained (version, signature, decoded publish_object body).

#include "support/test_support.h"
#include "chain/address.h"
#include "chain/tx_kinds/transfer.h"
#include "engine/checkpoint/make_test_model.h"
#include "model/model_service.h"
#include "node/node.h"
#include "node/node_chain.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace blyan;
using blyan::testing::freePort;

class TestNodeExplorer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<node::Node> node_;
    crypto::KeyPair validator_ = crypto::KeyPair::generate();
    crypto::KeyPair alice_ = crypto::KeyPair::generate();
    QString aliceAddress_, validatorAddress_;
    QStringList transfers_;  // txids validator -> alice, oldest first
    QList<qint64> transferHeights_;

    Expected<QJsonValue> call(const QString &method, const QJsonArray &params)
    {
        bool done = false;
        Expected<QJsonValue> answer = QJsonValue();
        node_->call(method, params, this, [&](const Expected<QJsonValue> &a) {
            answer = a;
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 120000); }();
        return answer;
    }
    QJsonValue ok(const QString &method, const QJsonArray &params)
    {
        auto a = call(method, params);
        if (!a.ok()) qWarning("%s: %s", qPrintable(method), a.error().message.c_str());
        return a.ok() ? a.value() : QJsonValue(QJsonValue::Undefined);
    }
    QString refusal(const QString &method, const QJsonArray &params, ErrorCode code)
    {
        auto a = call(method, params);
        if (a.ok()) return QStringLiteral("(no error)");
        if (a.error().code != code) return QStringLiteral("(wrong code) ") + QString::fromStdString(a.error().message);
        return QString::fromStdString(a.error().message);
    }
    qint64 height() { return qint64(ok(QStringLiteral("getblockcount"), {}).toDouble()); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        node::NodeOptions o;
        o.network = Network::Devnet;
        o.dataDir = dir_.filePath(QStringLiteral("node"));
        o.rpcPort = freePort();
    o.p2p.listen = false;  // no P2P port taken: nothing here talks to peers
        node_ = std::make_unique<node::Node>(o);
        QVERIFY(node_->startBlocking().ok());
        // The validator is the node key: it signs transfers to alice, one block each.
        auto kp = node::loadOrCreateNodeKey(dir_.filePath(QStringLiteral("node/node.key")));
        QVERIFY(kp.ok());
        validator_ = std::move(*kp);
        validatorAddress_ = QString::fromStdString(chain::formatAddress(Network::Devnet, validator_.publicKey()));
        aliceAddress_ = QString::fromStdString(chain::formatAddress(Network::Devnet, alice_.publicKey()));
        for (int i = 0; i < 3; ++i) {
            const std::uint64_t nonce = ok(QStringLiteral("getbalance"), {validatorAddress_}).toObject().value(QStringLiteral("nonce")).toString().toULongLong();
            chain::Transaction tx = chain::makeTransaction(networkParams(Network::Devnet).networkId, nonce, 100'000,
                                                           chain::TransferBody{alice_.publicKey(), chain::kCoin * (i + 1)});
            chain::signTransaction(tx, validator_);
            const qint64 before = height();
            const QString txid = ok(QStringLiteral("sendrawtransaction"), {QString::fromStdString(toHex(chain::encodeTransaction(tx)))}).toString();
            QVERIFY(!txid.isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(height() > before, 20000);
            transfers_.append(txid);
            transferHeights_.append(qint64(ok(QStringLiteral("gettransaction"), {txid}).toObject().value(QStringLiteral("blockheight")).toDouble()));
        }
        // A model: spec on chain A, 23 components on chain B depending on it.
        engine::TestModelSpec spec;
        spec.seed = 5;
        const QString ck = dir_.filePath(QStringLiteral("model"));
        engine::makeTestModel(spec, ck.toStdString());
        QVERIFY(node_->importModel(ck).ok());
        QTRY_VERIFY_WITH_TIMEOUT(node_->model().importProgress().phase == model::ImportProgress::Phase::Done, 180000);
    }

    void chainInfoAndTxStats()
    {
        const QJsonObject info = ok(QStringLiteral("getblockchaininfo"), {}).toObject();
        QCOMPARE(qint64(info.value(QStringLiteral("blocks")).toDouble()), height());
        QCOMPARE(info.value(QStringLiteral("bestblockhash")).toString(), ok(QStringLiteral("getbestblockhash"), {}).toString());
        QCOMPARE(info.value(QStringLiteral("finalheight")), info.value(QStringLiteral("blocks")));  // devnet
        QCOMPARE(info.value(QStringLiteral("genesishash")).toString(), ok(QStringLiteral("getblockhash"), {0}).toString());
        QCOMPARE(info.value(QStringLiteral("chain")).toString(), QStringLiteral("devnet"));

        // The window's transactions are the sum of its blocks' (listblocks tells), its interval the time
        // between its first and last block.
        const qint64 tip = height();
        const QJsonObject st = ok(QStringLiteral("getchaintxstats"), {3}).toObject();
        QCOMPARE(st.value(QStringLiteral("window_block_count")).toInt(), 3);
        const QJsonArray blocks = ok(QStringLiteral("listblocks"), {tip - 3, 4}).toObject().value(QStringLiteral("blocks")).toArray();
        QCOMPARE(blocks.size(), 4);
        qint64 txs = 0;
        for (int i = 1; i < 4; ++i) txs += blocks[i].toObject().value(QStringLiteral("nTx")).toInt();
        QCOMPARE(qint64(st.value(QStringLiteral("window_tx_count")).toDouble()), txs);
        const double interval = (blocks[3].toObject().value(QStringLiteral("time")).toDouble() -
                                 blocks[0].toObject().value(QStringLiteral("time")).toDouble()) / 1000.0;
        QCOMPARE(st.value(QStringLiteral("window_interval")).toDouble(), interval);
        QVERIFY(qAbs(st.value(QStringLiteral("txrate")).toDouble() - double(txs) / interval) < 1e-9);
        // More blocks than the chain has: the window starts at genesis.
        QCOMPARE(qint64(ok(QStringLiteral("getchaintxstats"), {1000000}).toObject().value(QStringLiteral("window_block_count")).toDouble()), tip);
        QVERIFY(refusal(QStringLiteral("getchaintxstats"), {0}, ErrorCode::InvalidArgument).contains(QStringLiteral("from 1")));
    }

    void listBlocksPages()
    {
        const qint64 tip = height();
        const QJsonObject page = ok(QStringLiteral("listblocks"), {0, 1000}).toObject();
        QCOMPARE(qint64(page.value(QStringLiteral("height")).toDouble()), tip);
        const QJsonArray rows = page.value(QStringLiteral("blocks")).toArray();
        QCOMPARE(qint64(rows.size()), tip + 1);
        for (qint64 h = 0; h <= tip; ++h) {
            const QJsonObject b = rows[h].toObject();
            QCOMPARE(qint64(b.value(QStringLiteral("height")).toDouble()), h);
            if (h == tip || h == transferHeights_.first()) {
                const QJsonObject full = ok(QStringLiteral("getblock"), {h}).toObject();
                QCOMPARE(b.value(QStringLiteral("hash")).toString(), full.value(QStringLiteral("hash")).toString());
                QCOMPARE(b.value(QStringLiteral("nTx")).toInt(), full.value(QStringLiteral("nTx")).toInt());
                QCOMPARE(b.value(QStringLiteral("time")), full.value(QStringLiteral("time")));
                QCOMPARE(b.value(QStringLiteral("proposer")), full.value(QStringLiteral("proposer")));
            }
        }
        QCOMPARE(ok(QStringLiteral("listblocks"), {tip - 1, 5}).toObject().value(QStringLiteral("blocks")).toArray().size(), 2);
        QCOMPARE(ok(QStringLiteral("listblocks"), {tip + 1, 5}).toObject().value(QStringLiteral("blocks")).toArray().size(), 0);
        QVERIFY(refusal(QStringLiteral("listblocks"), {0, 1001}, ErrorCode::InvalidArgument).contains(QStringLiteral("'count' must be an integer from 1 to 1000")));
        QVERIFY(refusal(QStringLiteral("listblocks"), {-1, 10}, ErrorCode::InvalidArgument).contains(QStringLiteral("'from'")));
        QVERIFY(refusal(QStringLiteral("listblocks"), {QStringLiteral("0"), 10}, ErrorCode::InvalidArgument).contains(QStringLiteral("'from'")));
        QVERIFY(refusal(QStringLiteral("listblocks"), {0}, ErrorCode::InvalidArgument).contains(QStringLiteral("param")));
    }

    void searchEachKind()
    {
        const auto found = [this](const QString &text) { return ok(QStringLiteral("search"), {text}).toObject(); };
        QJsonObject r = found(QStringLiteral("2"));
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("block"));
        QCOMPARE(r.value(QStringLiteral("hash")).toString(), ok(QStringLiteral("getblockhash"), {2}).toString());
        QCOMPARE(ok(QStringLiteral("search"), {2}).toObject(), r);  // blyan-cli sends a height as a number
        QCOMPARE(found(QStringLiteral("#2")), r);
        const QString best = ok(QStringLiteral("getbestblockhash"), {}).toString();
        r = found(QStringLiteral("  ") + best.toUpper() + QStringLiteral(" "));
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("block"));
        QCOMPARE(qint64(r.value(QStringLiteral("height")).toDouble()), height());
        r = found(transfers_.first());
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("transaction"));
        QCOMPARE(r.value(QStringLiteral("txid")).toString(), transfers_.first());
        const QString expert = ok(QStringLiteral("getobject"), {QStringLiteral("layer1.expert3")}).toObject().value(QStringLiteral("id")).toString();
        r = found(expert);
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("object"));
        QCOMPARE(r.value(QStringLiteral("name")).toString(), QStringLiteral("layer1.expert3"));
        r = found(QStringLiteral("LAYER1.EXPERT3"));
        QCOMPARE(r.value(QStringLiteral("id")).toString(), expert);
        r = found(aliceAddress_);
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("address"));
        QCOMPARE(r.value(QStringLiteral("address")).toString(), aliceAddress_);
        r = found(QStringLiteral("layer0.expert"));
        QCOMPARE(r.value(QStringLiteral("type")).toString(), QStringLiteral("objects"));
        QCOMPARE(r.value(QStringLiteral("names")).toArray().size(), 8);
        QCOMPARE(r.value(QStringLiteral("names")).toArray().first().toString(), QStringLiteral("layer0.expert0"));
    }

    void searchRefusals()
    {
        const auto notFound = [this](const QString &t) { return refusal(QStringLiteral("search"), {t}, ErrorCode::NotFound); };
        const auto invalid = [this](const QString &t) { return refusal(QStringLiteral("search"), {t}, ErrorCode::InvalidArgument); };
        QVERIFY(notFound(QStringLiteral("123456789")).contains(QStringLiteral("no block at height 123456789 yet: the chain's tip is at height")));
        QVERIFY(notFound(QStringLiteral("99999999999999999999999")).contains(QStringLiteral("no block at height")));
        QVERIFY(notFound(QString(64, QLatin1Char('a'))).contains(QStringLiteral("No block, transaction or object on this node has the hash")));
        QVERIFY(notFound(QStringLiteral("model.nothing")).contains(QStringLiteral("No object is named “model.nothing”")));
        QVERIFY(invalid(QStringLiteral("abc123def")).contains(QStringLiteral("looks like part of a hash")));
        QVERIFY(invalid(QStringLiteral("12ab")).contains(QStringLiteral("looks like part of a hash")));
        QVERIFY(invalid(QStringLiteral("what is this?")).contains(QStringLiteral("is none of the things the explorer can find")));
        QVERIFY(invalid(QString()).contains(QStringLiteral("Type what to look for")));
        QVERIFY(invalid(QString(300, QLatin1Char('x'))).contains(QStringLiteral("300 characters")));
        QString typo = aliceAddress_;
        typo[10] = typo[10] == QLatin1Char('q') ? QLatin1Char('p') : QLatin1Char('q');
        QVERIFY(invalid(typo).contains(QStringLiteral("is not a valid address")));
        const QString testnet = QString::fromStdString(chain::formatAddress(Network::Testnet, alice_.publicKey()));
        QVERIFY(invalid(testnet).contains(QStringLiteral("testnet")));
        QVERIFY(refusal(QStringLiteral("search"), {QJsonValue(QJsonArray{1})}, ErrorCode::InvalidArgument).contains(QStringLiteral("'text' must be a string")));
    }

    void addressTransactions()
    {
        QJsonObject r = ok(QStringLiteral("listaddresstransactions"), {aliceAddress_}).toObject();
        QJsonArray txs = r.value(QStringLiteral("transactions")).toArray();
        QCOMPARE(txs.size(), 3);
        QVERIFY(r.value(QStringLiteral("next_before_height")).isNull());
        for (int i = 0; i < 3; ++i) {  // newest first
            const QJsonObject t = txs[i].toObject();
            QCOMPARE(t.value(QStringLiteral("txid")).toString(), transfers_[2 - i]);
            QCOMPARE(t.value(QStringLiteral("direction")).toString(), QStringLiteral("received"));
            QCOMPARE(t.value(QStringLiteral("to")).toString(), aliceAddress_);
            QCOMPARE(t.value(QStringLiteral("from")).toString(), validatorAddress_);
            QCOMPARE(qint64(t.value(QStringLiteral("blockheight")).toDouble()), transferHeights_[2 - i]);
            QCOMPARE(t.value(QStringLiteral("amount")).toObject().value(QStringLiteral("units")).toString(),
                     QString::number(chain::kCoin * (3 - i)));
            QCOMPARE(t.value(QStringLiteral("blockhash")).toString(), ok(QStringLiteral("getblockhash"), {transferHeights_[2 - i]}).toString());
        }
        // One at a time: each answer says where to go on, and the last one that nothing is left.
        QJsonValue before;
        QStringList seen;
        for (int i = 0; i < 10 && (i == 0 || !before.isNull()); ++i) {
            r = ok(QStringLiteral("listaddresstransactions"), {aliceAddress_, 1, before}).toObject();
            for (const QJsonValue &t : r.value(QStringLiteral("transactions")).toArray()) seen.append(t.toObject().value(QStringLiteral("txid")).toString());
            before = r.value(QStringLiteral("next_before_height"));
        }
        QCOMPARE(seen, QStringList({transfers_[2], transfers_[1], transfers_[0]}));
        // The validator sent them, and every publish_object of the import.
        r = ok(QStringLiteral("listaddresstransactions"), {validatorAddress_, 1000}).toObject();
        txs = r.value(QStringLiteral("transactions")).toArray();
        int published = 0, sent = 0;
        for (const QJsonValue &v : txs) {
            const QJsonObject t = v.toObject();
            QCOMPARE(t.value(QStringLiteral("direction")).toString(), QStringLiteral("sent"));
            published += t.value(QStringLiteral("kind")).toString() == QLatin1String("publish_object");
            sent += t.value(QStringLiteral("kind")).toString() == QLatin1String("transfer");
        }
        QCOMPARE(published, 24);
        QCOMPARE(sent, 3);
        // Nobody's address: nothing, read to genesis.
        const QString nobody = QString::fromStdString(chain::formatAddress(Network::Devnet, crypto::KeyPair::generate().publicKey()));
        r = ok(QStringLiteral("listaddresstransactions"), {nobody}).toObject();
        QVERIFY(r.value(QStringLiteral("transactions")).toArray().isEmpty());
        QVERIFY(r.value(QStringLiteral("next_before_height")).isNull());
        QVERIFY(refusal(QStringLiteral("listaddresstransactions"), {QStringLiteral("dbly1nope")}, ErrorCode::InvalidArgument).contains(QStringLiteral("address")));
        QVERIFY(refusal(QStringLiteral("listaddresstransactions"), {aliceAddress_, 0}, ErrorCode::InvalidArgument).contains(QStringLiteral("'count'")));
    }

    void objectLinks()
    {
        const QJsonObject spec = ok(QStringLiteral("getobject"), {QStringLiteral("model.spec")}).toObject();
        const QJsonObject l = ok(QStringLiteral("getobjectlinks"), {QStringLiteral("layer0.expert1")}).toObject();
        QCOMPARE(l.value(QStringLiteral("name")).toString(), QStringLiteral("layer0.expert1"));
        QVERIFY(l.value(QStringLiteral("is_head")).toBool());
        QCOMPARE(l.value(QStringLiteral("head")), l.value(QStringLiteral("id")));
        QCOMPARE(l.value(QStringLiteral("versions")).toArray().size(), 1);
        const QJsonArray deps = l.value(QStringLiteral("dependencies")).toArray();
        QCOMPARE(deps.size(), 1);
        QCOMPARE(deps[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("model.spec"));
        QCOMPARE(deps[0].toObject().value(QStringLiteral("id")), spec.value(QStringLiteral("id")));
        QCOMPARE(l.value(QStringLiteral("dependants_count")).toInt(), 0);
        // The anchor: the block and the publish_object transaction whose body is this record.
        const QJsonObject anchor = l.value(QStringLiteral("anchor")).toObject();
        const QJsonObject tx = ok(QStringLiteral("gettransaction"), {anchor.value(QStringLiteral("txid")).toString()}).toObject();
        QCOMPARE(tx.value(QStringLiteral("kind")).toString(), QStringLiteral("publish_object"));
        QCOMPARE(tx.value(QStringLiteral("blockheight")), anchor.value(QStringLiteral("blockheight")));
        QCOMPARE(tx.value(QStringLiteral("blockhash")), anchor.value(QStringLiteral("blockhash")));
        const QJsonObject record = tx.value(QStringLiteral("object")).toObject();
        QCOMPARE(record.value(QStringLiteral("id")), l.value(QStringLiteral("id")));
        QCOMPARE(record.value(QStringLiteral("name")).toString(), QStringLiteral("layer0.expert1"));
        QCOMPARE(record.value(QStringLiteral("chain")).toString(), QStringLiteral("B"));
        QCOMPARE(record.value(QStringLiteral("depends_on")).toArray(), QJsonArray{spec.value(QStringLiteral("id"))});
        const QJsonObject obj = ok(QStringLiteral("getobject"), {QStringLiteral("layer0.expert1")}).toObject();
        for (const char *k : {"payload_hash", "size", "chunk_merkle_root", "kind"})
            QCOMPARE(record.value(QLatin1String(k)), obj.value(QLatin1String(k)));
        QCOMPARE(tx.value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(tx.value(QStringLiteral("signature")).toString().size(), 128);
        QCOMPARE(qint64(tx.value(QStringLiteral("network_id")).toDouble()), qint64(networkParams(Network::Devnet).networkId));
        // The spec: every component depends on it; the genesis pact was written by genesis.
        const QJsonObject s = ok(QStringLiteral("getobjectlinks"), {spec.value(QStringLiteral("id")).toString()}).toObject();
        QCOMPARE(s.value(QStringLiteral("dependants_count")).toInt(), 23);
        QCOMPARE(s.value(QStringLiteral("dependants")).toArray().size(), 23);
        QCOMPARE(s.value(QStringLiteral("dependencies")).toArray().size(), 0);
        const QJsonObject pact = ok(QStringLiteral("getobjectlinks"), {QStringLiteral("genesis_pact")}).toObject();
        QVERIFY(pact.value(QStringLiteral("anchor")).toObject().value(QStringLiteral("genesis")).toBool());
        QVERIFY(!pact.value(QStringLiteral("anchor")).toObject().contains(QStringLiteral("txid")));
        QVERIFY(refusal(QStringLiteral("getobjectlinks"), {QStringLiteral("layer9.expert9")}, ErrorCode::NotFound).contains(QStringLiteral("not found")));
        // Blocks got their version and signature too.
        const QJsonObject block = ok(QStringLiteral("getblock"), {anchor.value(QStringLiteral("blockhash")).toString()}).toObject();
        QCOMPARE(block.value(QStringLiteral("signature")).toString().size(), 128);
        QCOMPARE(block.value(QStringLiteral("version")).toInt(), 1);
    }

    void expertGrid()
    {
        QJsonObject g = ok(QStringLiteral("getexpertgrid"), {}).toObject();
        QCOMPARE(g.value(QStringLiteral("layers")).toInt(), 2);
        QCOMPARE(g.value(QStringLiteral("experts")).toInt(), 8);
        QJsonArray cells = g.value(QStringLiteral("cells")).toArray();
        QCOMPARE(cells.size(), 16);
        for (int i = 0; i < 16; ++i) {
            const QJsonObject c = cells[i].toObject();
            QCOMPARE(c.value(QStringLiteral("layer")).toInt(), i / 8);  // sorted by layer, then expert
            QCOMPARE(c.value(QStringLiteral("expert")).toInt(), i % 8);
            QCOMPARE(c.value(QStringLiteral("name")).toString(), QStringLiteral("layer%1.expert%2").arg(i / 8).arg(i % 8));
            QCOMPARE(c.value(QStringLiteral("versions")).toInt(), 1);
            QCOMPARE(c.value(QStringLiteral("usage")).toInt(), 0);
        }
        QCOMPARE(g.value(QStringLiteral("usage_total")).toInt(), 0);
        // A chat: each expert's usage grows by its steps in the answer's record, summed over chats.
        const QJsonObject options{{QStringLiteral("prompt_ids"), QJsonArray{3, 1, 4, 1, 5}},
                                  {QStringLiteral("greedy"), true},
                                  {QStringLiteral("max_tokens"), 5},
                                  {QStringLiteral("ignore_eos"), true}};
        QMap<QString, qint64> expected;
        for (int round = 0; round < 2; ++round) {
            const QJsonObject chat = ok(QStringLiteral("chat"), {QJsonValue(), options}).toObject();
            for (const QJsonValue &v : chat.value(QStringLiteral("result")).toObject().value(QStringLiteral("experts")).toArray())
                expected[v.toObject().value(QStringLiteral("object")).toString()] += qint64(v.toObject().value(QStringLiteral("steps")).toDouble());
        }
        QVERIFY(!expected.isEmpty());
        g = ok(QStringLiteral("getexpertgrid"), {}).toObject();
        qint64 total = 0;
        for (const QJsonValue &v : g.value(QStringLiteral("cells")).toArray()) {
            const QJsonObject c = v.toObject();
            QCOMPARE(qint64(c.value(QStringLiteral("usage")).toDouble()), expected.value(c.value(QStringLiteral("name")).toString()));
            total += qint64(c.value(QStringLiteral("usage")).toDouble());
        }
        QVERIFY(total > 0);
        QCOMPARE(qint64(g.value(QStringLiteral("usage_total")).toDouble()), total);
        QVERIFY(g.value(QStringLiteral("usage_since")).toDouble() > 0);
    }

    void cleanupTestCase()
    {
        QSignalSpy stopped(node_.get(), &node::Node::stopped);
        node_->requestStop();
        QVERIFY(stopped.wait(60000) || stopped.count() == 1);
    }
};

QTEST_GUILESS_MAIN(TestNodeExplorer)
#include "test_node_explorer.moc"
