// The governance RPC methods on a real devnet Node in a temporary data dir, called through Node::call as
// the GUI and blyan-cli call them. Four stakers (the validator, the wallet, alice, bob); the wallet opens
// a parameter change (fee_burn_percent 50 -> 70) with createproposal, votes with voteproposal, the others
// vote with signed raw transactions; listproposals / getproposal follow the tally, listmyvotes shows the
// wallet's vote; blocks are produced up to the end height, where the proposal passes and a fee in a later
// block burns 70 %. Refusals: a locked wallet, a value outside the hard bounds, a second identical vote, a
// vote after the end.

#include "support/test_support.h"
#include "chain/address.h"
#include "chain/tx_kinds/governance_vote.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "node/node.h"
#include "node/node_chain.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace blyan;
using blyan::testing::freePort;
using chain::kCoin;

namespace {
QString hexOf(const Bytes &b) { return QString::fromStdString(toHex(b)); }
quint64 units(const QJsonValue &amount) { return amount.toObject().value(QStringLiteral("units")).toString().toULongLong(); }
}  // namespace

class TestNodeGovernance : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<node::Node> node_;
    crypto::KeyPair validator_ = crypto::KeyPair::generate();
    crypto::KeyPair alice_ = crypto::KeyPair::generate(), bob_ = crypto::KeyPair::generate(), carol_ = crypto::KeyPair::generate();
    const QString passphrase_ = QStringLiteral("governance test passphrase");
    QString proposal_;
    qint64 endHeight_ = 0;

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
    QString refusal(const QString &method, const QJsonArray &params)
    {
        auto a = call(method, params);
        return a.ok() ? QStringLiteral("(no error)") : QString::fromStdString(a.error().message);
    }
    qint64 height() { return qint64(ok(QStringLiteral("getblockcount"), {}).toDouble()); }
    QString address(const crypto::KeyPair &k) { return QString::fromStdString(chain::formatAddress(Network::Devnet, k.publicKey())); }
    std::uint64_t nonce(const crypto::KeyPair &k)
    {
        return ok(QStringLiteral("getbalance"), {address(k)}).toObject().value(QStringLiteral("nonce")).toString().toULongLong();
    }
    // Signs `body` from `k` and waits for the block that takes it.
    template <typename Body>
    QString send(const crypto::KeyPair &k, const Body &body, chain::Amount fee = 100'000)
    {
        chain::Transaction tx = chain::makeTransaction(networkParams(Network::Devnet).networkId, nonce(k), fee, body);
        chain::signTransaction(tx, k);
        const qint64 before = height();
        const QString txid = ok(QStringLiteral("sendrawtransaction"), {hexOf(chain::encodeTransaction(tx))}).toString();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(height() > before && ok(QStringLiteral("getrawmempool"), {}).toArray().isEmpty(), 30000); }();
        return txid;
    }
    void waitForEmptyPool()
    {
        QTRY_VERIFY_WITH_TIMEOUT(ok(QStringLiteral("getrawmempool"), {}).toArray().isEmpty(), 30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        node::NodeOptions o;
        o.network = Network::Devnet;
        o.dataDir = dir_.filePath(QStringLiteral("node"));
        o.rpcPort = freePort();
        o.p2p.listen = false;
        node_ = std::make_unique<node::Node>(o);
        QVERIFY(node_->startBlocking().ok());
        auto kp = node::loadOrCreateNodeKey(dir_.filePath(QStringLiteral("node/node.key")));
        QVERIFY(kp.ok());
        validator_ = std::move(*kp);
        // The wallet (funded 10,000 BLY by the devnet) and two more stakers funded by the validator.
        const QString words = ok(QStringLiteral("generatemnemonic"), {}).toString();
        QVERIFY(ok(QStringLiteral("createwallet"), {passphrase_, words}).isObject());
        QTRY_VERIFY_WITH_TIMEOUT(units(ok(QStringLiteral("getwalletinfo"), {}).toObject().value(QStringLiteral("balance")).toObject().value(QStringLiteral("available"))) > 0, 60000);
        for (const auto *k : {&alice_, &bob_}) send(validator_, chain::TransferBody{k->publicKey(), 5'000 * kCoin});
        // Stakes: validator 6,000, wallet 5,000, alice 3,000, bob 1,000 (15,000 in all).
        send(validator_, chain::StakeBody{6'000 * kCoin});
        send(alice_, chain::StakeBody{3'000 * kCoin});
        send(bob_, chain::StakeBody{1'000 * kCoin});
        QVERIFY(ok(QStringLiteral("stake"), {QStringLiteral("5000")}).isString());
        waitForEmptyPool();
    }

    void infoShowsLiveParametersAndRules()
    {
        const QJsonObject info = ok(QStringLiteral("getgovernanceinfo"), {}).toObject();
        QCOMPARE(units(info.value(QStringLiteral("total_stake"))), quint64(15'000) * kCoin);
        QCOMPARE(units(info.value(QStringLiteral("proposal_deposit"))), quint64(10) * kCoin);
        bool found = false;
        for (const auto &v : info.value(QStringLiteral("params")).toArray()) {
            const QJsonObject p = v.toObject();
            if (p.value(QStringLiteral("name")).toString() != QLatin1String("fee_burn_percent")) continue;
            found = true;
            QCOMPARE(p.value(QStringLiteral("value")).toInt(), 50);
            QCOMPARE(p.value(QStringLiteral("changed")).toBool(), false);
            QCOMPARE(p.value(QStringLiteral("min")).toInt(), 10);
            QCOMPARE(p.value(QStringLiteral("max")).toInt(), 90);
        }
        QVERIFY(found);
        QCOMPARE(info.value(QStringLiteral("kinds")).toArray().size(), 6);
        QCOMPARE(info.value(QStringLiteral("dataset_tiers")).toArray().size(), 3);
    }

    void createProposalFromTheWallet()
    {
        const QJsonObject details{{QStringLiteral("param"), QStringLiteral("fee_burn_percent")}, {QStringLiteral("value"), 70}};
        // Locked: refused with what to do.
        ok(QStringLiteral("walletlock"), {});
        QVERIFY(refusal(QStringLiteral("createproposal"), {QStringLiteral("parameter_change"), QStringLiteral("Burn more"), QStringLiteral("Text"), details})
                    .contains(QStringLiteral("locked")));
        QVERIFY(ok(QStringLiteral("walletpassphrase"), {passphrase_, 600}).toObject().contains(QStringLiteral("unlocked_until")));
        // Outside the hard bounds, an unknown parameter, a stray field: refused before anything is signed.
        QVERIFY(refusal(QStringLiteral("createproposal"), {QStringLiteral("parameter_change"), QStringLiteral("Burn all"), QStringLiteral("Text"),
                                                           QJsonObject{{QStringLiteral("param"), QStringLiteral("fee_burn_percent")}, {QStringLiteral("value"), 100}}})
                    .contains(QStringLiteral("hard bounds")));
        QVERIFY(refusal(QStringLiteral("createproposal"), {QStringLiteral("parameter_change"), QStringLiteral("X"), QStringLiteral("Text"),
                                                           QJsonObject{{QStringLiteral("param"), QStringLiteral("pol_threshold")}, {QStringLiteral("value"), 1}}})
                    .contains(QStringLiteral("fee_burn_percent")));
        QVERIFY(refusal(QStringLiteral("createproposal"), {QStringLiteral("signal"), QStringLiteral("X"), QStringLiteral("Text"),
                                                           QJsonObject{{QStringLiteral("value"), 1}}})
                    .contains(QStringLiteral("takes no details")));
        QVERIFY(refusal(QStringLiteral("createproposal"), {QStringLiteral("signal"), QStringLiteral("X"), QStringLiteral("Text"), QJsonValue(),
                                                           QStringLiteral("1")})
                    .contains(QStringLiteral("proposal_deposit_bly")));

        const qint64 before = height();
        const QJsonObject created = ok(QStringLiteral("createproposal"),
                                       {QStringLiteral("parameter_change"), QStringLiteral("Burn 70 % of fees"),
                                        QStringLiteral("Fees are low; burning more of them makes BLY scarcer.\nSee the forum thread."), details})
                                        .toObject();
        proposal_ = created.value(QStringLiteral("proposal")).toString();
        QCOMPARE(proposal_.size(), 64);
        waitForEmptyPool();
        const QJsonObject list = ok(QStringLiteral("listproposals"), {QStringLiteral("open")}).toObject();
        QCOMPARE(list.value(QStringLiteral("proposals")).toArray().size(), 1);
        const QJsonObject p = list.value(QStringLiteral("proposals")).toArray().first().toObject();
        QCOMPARE(p.value(QStringLiteral("id")).toString(), proposal_);
        QCOMPARE(p.value(QStringLiteral("number")).toInt(), 1);
        QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("voting"));
        QCOMPARE(p.value(QStringLiteral("title")).toString(), QStringLiteral("Burn 70 % of fees"));
        QCOMPARE(p.value(QStringLiteral("action")).toObject().value(QStringLiteral("current")).toInt(), 50);
        QCOMPARE(units(p.value(QStringLiteral("total_stake"))), quint64(15'000) * kCoin);
        const qint64 created_height = qint64(p.value(QStringLiteral("created_height")).toDouble());
        QVERIFY(created_height > before);
        endHeight_ = qint64(p.value(QStringLiteral("end_height")).toDouble());
        QCOMPARE(endHeight_, created_height + 20);  // the devnet's 20 s at 1 s slots
        QVERIFY(p.value(QStringLiteral("blocks_left")).toInt() > 0);
        QCOMPARE(ok(QStringLiteral("listproposals"), {QStringLiteral("closed")}).toObject().value(QStringLiteral("proposals")).toArray().size(), 0);
        // gettransaction decodes the body (the explorer shows it).
        const QJsonObject tx = ok(QStringLiteral("gettransaction"), {proposal_}).toObject();
        QCOMPARE(tx.value(QStringLiteral("kind")).toString(), QStringLiteral("governance_proposal"));
        QCOMPARE(tx.value(QStringLiteral("proposal")).toObject().value(QStringLiteral("title")).toString(), QStringLiteral("Burn 70 % of fees"));
    }

    void votesMoveTheTally()
    {
        const QJsonObject vote = ok(QStringLiteral("voteproposal"), {proposal_, QStringLiteral("yes")}).toObject();
        QCOMPARE(units(vote.value(QStringLiteral("weight"))), quint64(5'000) * kCoin);
        QCOMPARE(vote.value(QStringLiteral("votes")).toArray().size(), 1);
        waitForEmptyPool();
        chain::GovernanceVoteBody yes;
        QVERIFY(crypto::hashFromHex(proposal_.toStdString()).ok());
        yes.proposal = *crypto::hashFromHex(proposal_.toStdString());
        yes.choice = chain::VoteChoice::Yes;
        chain::GovernanceVoteBody no = yes;
        no.choice = chain::VoteChoice::No;
        send(validator_, yes);
        send(alice_, no);
        QJsonObject p = ok(QStringLiteral("getproposal"), {QStringLiteral("#1")}).toObject();
        const QJsonObject tally = p.value(QStringLiteral("tally")).toObject();
        QCOMPARE(units(tally.value(QStringLiteral("yes"))), quint64(11'000) * kCoin);
        QCOMPARE(units(tally.value(QStringLiteral("no"))), quint64(3'000) * kCoin);
        QVERIFY(p.value(QStringLiteral("quorum_reached")).toBool());
        QCOMPARE(p.value(QStringLiteral("outlook")).toString(), QStringLiteral("passes"));
        QCOMPARE(p.value(QStringLiteral("votes_count")).toInt(), 3);
        QCOMPARE(p.value(QStringLiteral("votes")).toArray().first().toObject().value(QStringLiteral("voter")).toString(), address(validator_));
        QVERIFY(p.value(QStringLiteral("text")).toString().contains(QStringLiteral("forum thread")));
        QCOMPARE(p.value(QStringLiteral("history")).toArray().size(), 4);  // created, three votes
        // The wallet's own votes; a second yes is refused, a staker after the snapshot cannot vote.
        const QJsonArray mine = ok(QStringLiteral("listmyvotes"), {}).toArray();
        QCOMPARE(mine.size(), 1);
        QCOMPARE(mine.first().toObject().value(QStringLiteral("choice")).toString(), QStringLiteral("yes"));
        QCOMPARE(mine.first().toObject().value(QStringLiteral("proposal")).toObject().value(QStringLiteral("id")).toString(), proposal_);
        QVERIFY(refusal(QStringLiteral("voteproposal"), {proposal_, QStringLiteral("yes")}).contains(QStringLiteral("already votes yes")));
        // carol stakes after the snapshot: the wallet of such a staker is told it cannot vote (the ledger's
        // refusal; test_governance covers every case of it).
        send(validator_, chain::TransferBody{carol_.publicKey(), 2'000 * kCoin});
        send(carol_, chain::StakeBody{1'000 * kCoin});
        QCOMPARE(ok(QStringLiteral("getproposal"), {proposal_}).toObject().value(QStringLiteral("votes_count")).toInt(), 3);
    }

    void passesAndExecutesAtTheEndHeight()
    {
        // Blocks up to the one before the end: still voting, fees burn 50 %.
        while (height() < endHeight_ - 1) send(validator_, chain::TransferBody{bob_.publicKey(), kCoin});
        QCOMPARE(ok(QStringLiteral("getproposal"), {proposal_}).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("voting"));
        QVERIFY(refusal(QStringLiteral("voteproposal"), {proposal_, QStringLiteral("no")}).contains(QStringLiteral("has ended")));
        quint64 burned = units(ok(QStringLiteral("getsupply"), {}).toObject().value(QStringLiteral("burned")));
        send(validator_, chain::TransferBody{bob_.publicKey(), kCoin}, 1'000'000);  // the end block
        QCOMPARE(height(), endHeight_);
        QCOMPARE(units(ok(QStringLiteral("getsupply"), {}).toObject().value(QStringLiteral("burned"))) - burned, quint64(700'000));
        const QJsonObject p = ok(QStringLiteral("getproposal"), {proposal_}).toObject();
        QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("passed"));
        QCOMPARE(qint64(p.value(QStringLiteral("closed_height")).toDouble()), endHeight_);
        QCOMPARE(p.value(QStringLiteral("history")).toArray().last().toObject().value(QStringLiteral("event")).toString(), QStringLiteral("closed"));
        for (const auto &v : ok(QStringLiteral("getgovernanceinfo"), {}).toObject().value(QStringLiteral("params")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("fee_burn_percent")) {
                QCOMPARE(v.toObject().value(QStringLiteral("value")).toInt(), 70);
                QVERIFY(v.toObject().value(QStringLiteral("changed")).toBool());
            }
        QCOMPARE(ok(QStringLiteral("listproposals"), {QStringLiteral("closed")}).toObject().value(QStringLiteral("proposals")).toArray().size(), 1);
        QCOMPARE(ok(QStringLiteral("listmyvotes"), {}).toArray().first().toObject().value(QStringLiteral("proposal")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("passed"));
    }

    void cleanupTestCase() { node_.reset(); }
};

QTEST_GUILESS_MAIN(TestNodeGovernance)
#include "test_node_governance.moc"
