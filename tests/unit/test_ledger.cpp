// The ledger state machine: block application in one SQLite transaction, the supply identity, every
// rejection with its reason and no trace in the database, objects and heads, stake/unstake, the
// incremental state root (reopen, rescan, header mismatch) and the storage boundary for u64.

#include "crypto/stream.h"
#include "ledger/ledger_account_view.h"
#include "ledger/lthash.h"
#include "ledger/sql_int.h"
#include "test_ledger_fixture.h"

#include <QRandomGenerator>

#include <map>

using namespace blyan;
using namespace blyan::ledger;
using namespace blyan::ledger::testing;
using chain::kCoin;

namespace {

#define QVERIFY_OK(expr)                                                              \
    do {                                                                              \
        const auto &r_ = (expr);                                                      \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str());                 \
    } while (0)

// Applies `block` expecting a rejection whose message contains every `needles` entry, and checks the
// database did not change at all.
void expectRejected(LedgerFixture &f, const chain::Block &block, std::initializer_list<std::string> needles)
{
    const auto before = f.snapshot();
    const auto tipBefore = f.ledger->tipId();
    auto r = f.ledger->applyBlock(block, payloadsPresent());
    QVERIFY2(!r.ok(), "the block was accepted");
    for (const std::string &n : needles)
        QVERIFY2(r.error().message.find(n) != std::string::npos,
                 ("'" + n + "' not in: " + r.error().message).c_str());
    QCOMPARE(f.snapshot(), before);
    QCOMPARE(f.ledger->tipId(), tipBefore);
    QVERIFY_OK(f.ledger->checkSupplyIdentity());
}

chain::ObjectRecord expert(const std::string &name, std::vector<chain::ObjectId> deps, char salt)
{
    chain::ObjectRecord r;
    r.chain = chain::ObjectChain::B;
    r.kind = "expert";
    r.name = name;
    std::sort(deps.begin(), deps.end());
    r.dependsOn = std::move(deps);
    r.payloadHash = crypto::blake2b256(asBytes(std::string_view(&salt, 1)));
    r.size = 1;
    r.chunkMerkleRoot = r.payloadHash;
    return r;
}

}  // namespace

class TestLedger : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ltHashIsAMultisetHash()
    {
        const Bytes a{1, 2, 3}, b{4, 5};
        LtHash x, y, zero;
        x.add(a);
        x.add(b);
        y.add(b);
        y.add(a);
        QCOMPARE(x, y);  // order does not matter
        QVERIFY(x.root() != zero.root());
        x.remove(a);
        x.remove(b);
        QCOMPARE(x, zero);  // remove undoes add
        y.add(a);           // a multiset: a twice is not a once
        LtHash once;
        once.add(a);
        once.add(b);
        QVERIFY(y != once);
        auto back = LtHash::deserialize(y.serialize());
        QVERIFY_OK(back);
        QCOMPARE(*back, y);
        QVERIFY(!LtHash::deserialize(Bytes(10)).ok());
    }

    void keystreamIsDeterministicPerKey()
    {
        crypto::Hash256 k1{}, k2{};
        k2[0] = 1;
        std::array<std::uint8_t, 64> s1{}, s1again{}, s2{};
        crypto::chacha20Keystream(k1, s1);
        crypto::chacha20Keystream(k1, s1again);
        crypto::chacha20Keystream(k2, s2);
        QCOMPARE(s1, s1again);
        QVERIFY(s1 != s2);
        // RFC 7539 section 2.3.2 style check: the all-zero key, nonce and counter start with 76 b8 e0 ad.
        QCOMPARE(s1[0], std::uint8_t(0x76));
        QCOMPARE(s1[1], std::uint8_t(0xb8));
        QCOMPARE(s1[2], std::uint8_t(0xe0));
        QCOMPARE(s1[3], std::uint8_t(0xad));
    }

    void u64StorageBoundary()
    {
        QCOMPARE(*toSqlInt(INT64_MAX, "balance"), INT64_MAX);
        auto big = toSqlInt(std::uint64_t(INT64_MAX) + 1, "balance");
        QVERIFY(!big.ok());
        QVERIFY(big.error().message.find("2^63-1") != std::string::npos);
        QVERIFY(!fromSqlInt(-1, "balance").ok());
    }

    void genesisFundsAccountsAndThePact()
    {
        LedgerFixture f;
        f.open();
        const auto &p = TokenomicsParams::defaults();
        QCOMPARE(f.ledger->tip().height, std::uint64_t(0));
        QCOMPARE(*f.ledger->balance(f.keys[0].publicKey()), p.genesisSupply / 50);
        auto s = f.ledger->supply();
        QVERIFY_OK(s);
        QCOMPARE(s->genesis, p.genesisSupply);
        QCOMPARE(s->circulating, p.genesisSupply);
        auto pact = f.ledger->objectByName("genesis.pact");
        QVERIFY_OK(pact);
        QVERIFY(pact->has_value());
        QCOMPARE((*pact)->record, pactRecord());
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
        auto g = f.ledger->blockByHeight(0);
        QVERIFY_OK(g);
        QCOMPARE((*g)->header.stateRoot, f.ledger->stateRoot());
        // A second genesis is refused.
        GenesisSpec again;
        again.pact = pactRecord();
        QVERIFY(!f.ledger->applyGenesis(again).ok());
    }

    void tenThousandRandomTransfersKeepTheSupplyIdentity()
    {
        LedgerFixture f;
        f.open();
        std::map<chain::PublicKey, Amount> model;
        std::map<chain::PublicKey, std::uint64_t> nonces;
        for (const auto &k : f.keys) model[k.publicKey()] = *f.ledger->balance(k.publicKey());
        QRandomGenerator rng(20261125);
        Amount burned = 0;
        for (int block = 0; block < 100; ++block) {
            std::vector<chain::Transaction> txs;
            for (int i = 0; i < 100; ++i) {
                const auto &from = f.keys[rng.bounded(50)];
                auto to = f.keys[rng.bounded(50)].publicKey();
                if (to == from.publicKey()) to = f.keys[(rng.bounded(49) + 1 + (&from - f.keys.data())) % 50].publicKey();
                const Amount fee = rng.bounded(1000);
                const Amount amount = 1 + rng.bounded(std::uint32_t(1'000'000'000));  // up to 10 BLY
                model[from.publicKey()] -= amount + fee;
                model[to] += amount;
                burned += splitFee(TokenomicsParams::defaults(), fee).burned;
                txs.push_back(f.tx(from, nonces[from.publicKey()]++, fee, chain::TransferBody{to, amount}));
            }
            auto r = f.ledger->applyBlock(f.makeBlock(std::move(txs)), payloadsPresent());
            QVERIFY_OK(r);
            QCOMPARE(r->transactions, std::size_t(100));
            QVERIFY_OK(f.ledger->checkSupplyIdentity());
        }
        for (const auto &[key, balance] : model) QCOMPARE(*f.ledger->balance(key), balance);
        for (const auto &[key, nonce] : nonces) QCOMPARE(*f.ledger->nonce(key), nonce);
        auto s = f.ledger->supply();
        QCOMPARE(s->burned, burned);
        QVERIFY(s->minted > 0);
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
        QCOMPARE(f.ledger->tip().height, std::uint64_t(100));
    }

    void rejectedTransactionsNameTheirReasonAndChangeNothing()
    {
        LedgerFixture f;
        f.open();
        const auto &a = f.keys[0], &b = f.keys[1];
        const chain::TransferBody pay{b.publicKey(), kCoin};
        const auto first = f.tx(a, 0, 100, pay);
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({first}), payloadsPresent()));
        const std::string firstId = crypto::hashToHex(chain::transactionId(first));
        const Hash256 anyRoot{};

        // Replayed: the same signed transaction again.
        expectRejected(f, f.makeBlock({first}, anyRoot), {firstId, "index 0", "nonce 0 already used",
                                                           "next nonce for dbly1", "is 1"});
        // A gap in the nonces.
        expectRejected(f, f.makeBlock({f.tx(a, 5, 100, pay)}, anyRoot), {"nonce 5 skips ahead", "is 1"});
        // Re-signed by another key: the signature no longer matches `from`.
        auto resigned = f.tx(a, 1, 100, pay);
        resigned.signature = b.sign(asBytes(chain::transactionSigningHash(resigned)));
        expectRejected(f, f.makeBlock({resigned}, anyRoot), {"signature"});
        // Wrongly signed: one bit flipped.
        auto flipped = f.tx(a, 1, 100, pay);
        flipped.signature[10] ^= 1;
        expectRejected(f, f.makeBlock({flipped}, anyRoot), {"signature"});
        // Overdrawn, reported with the balance and amount + fee.
        const Amount balance = *f.ledger->balance(a.publicKey());
        expectRejected(f, f.makeBlock({f.tx(a, 1, 0, chain::TransferBody{b.publicKey(), 1}), f.tx(a, 2, kCoin / 10, chain::TransferBody{b.publicKey(), balance})}, anyRoot),
                       {"index 1", "balance", "is less than amount + fee", chain::formatAmount(balance + kCoin / 10)});
        // Fee alone larger than the balance.
        expectRejected(f, f.makeBlock({f.tx(f.keys[2], 0, balance * 2, pay)}, anyRoot), {"is less than the fee"});
        // amount + fee overflows u64.
        expectRejected(f, f.makeBlock({f.tx(a, 1, 100, chain::TransferBody{b.publicKey(), UINT64_MAX - 10})}, anyRoot),
                       {"amount + fee", "outside"});
        // Another network's transaction.
        auto other = chain::makeTransaction(devnetId() + 1, 1, 100, pay);
        chain::signTransaction(other, a);
        expectRejected(f, f.makeBlock({other}, anyRoot), {"network"});
        // Malformed body (a transfer body must be 33..42 bytes) and malformed bytes.
        chain::Transaction bad = chain::makeTransaction(devnetId(), 1, 100, pay);
        bad.body = Bytes{1, 2, 3};
        chain::signTransaction(bad, a);
        expectRejected(f, f.makeBlock({bad}, anyRoot), {"transaction.body"});
        Bytes raw = chain::encodeTransaction(first);
        raw.push_back(0);
        QVERIFY(!chain::decodeTransaction(raw).ok());
        // A block that is fine but for the state root in its header.
        auto good = f.makeBlock({f.tx(a, 1, 100, pay)});
        auto wrongRoot = f.makeBlock({f.tx(a, 1, 100, pay)}, Hash256{1});
        expectRejected(f, wrongRoot, {"state_root", crypto::hashToHex(good.header.stateRoot)});
        // Continuity: wrong height / parent.
        auto orphan = good;
        orphan.header.parent[0] ^= 1;
        chain::signBlock(orphan.header, f.proposer);
        expectRejected(f, orphan, {"is not the tip"});
        // A bad transaction in the middle rolls back the good ones before it.
        expectRejected(f, f.makeBlock({f.tx(a, 1, 100, pay), f.tx(b, 0, 100, chain::TransferBody{a.publicKey(), 1}),
                                       f.tx(a, 1, 101, pay)}, anyRoot),
                       {"index 2", "nonce 1 already used"});
        // And the good block still applies afterwards.
        QVERIFY_OK(f.ledger->applyBlock(good, payloadsPresent()));
    }

    void checkAgainstStateWritesNothing()
    {
        LedgerFixture f;
        f.open();
        const auto before = f.snapshot();
        const auto &a = f.keys[0];
        auto ok = f.ledger->checkTransactionAgainstState(f.tx(a, 0, 100, chain::TransferBody{f.keys[1].publicKey(), kCoin}),
                                                         payloadsPresent());
        QVERIFY_OK(ok);
        QCOMPARE(ok->balanceAfter, *f.ledger->balance(a.publicKey()) - kCoin - 100);
        auto over = f.ledger->checkTransactionAgainstState(
            f.tx(a, 0, 100, chain::TransferBody{f.keys[1].publicKey(), UINT64_MAX / 2}), payloadsPresent());
        QVERIFY(!over.ok());
        QVERIFY(over.error().message.find("is less than amount + fee") != std::string::npos);
        QVERIFY(!f.ledger->checkTransactionAgainstState(f.tx(a, 3, 100, chain::StakeBody{1}), payloadsPresent()).ok());
        QCOMPARE(f.snapshot(), before);
    }

    void accountViewForTheMempool()
    {
        LedgerFixture f;
        f.open();
        const auto &a = f.keys[0];
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(a, 0, 10, chain::StakeBody{kCoin})}), payloadsPresent()));
        const LedgerAccountView view(*f.ledger);
        auto s = view.account(a.publicKey());
        QVERIFY_OK(s);
        QCOMPARE(s->balance, *f.ledger->balance(a.publicKey()));
        QCOMPARE(s->nonce, std::uint64_t(1));
        auto fresh = view.account(crypto::KeyPair::generate().publicKey());
        QVERIFY_OK(fresh);
        QCOMPARE(fresh->balance, Amount(0));
        QCOMPARE(fresh->nonce, std::uint64_t(0));
    }

        void stakeAndUnstake()
    {
        LedgerFixture f;
        f.open();
        const auto &a = f.keys[0];
        const Amount start = *f.ledger->balance(a.publicKey());
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(a, 0, 10, chain::StakeBody{10 * kCoin})}), payloadsPresent()));
        QCOMPARE(*f.ledger->stake(a.publicKey()), 10 * kCoin);
        QCOMPARE(*f.ledger->balance(a.publicKey()), start - 10 * kCoin - 10);
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(a, 1, 10, chain::UnstakeBody{4 * kCoin})}), payloadsPresent()));
        QCOMPARE(*f.ledger->stake(a.publicKey()), 6 * kCoin);
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        expectRejected(f, f.makeBlock({f.tx(a, 2, 10, chain::UnstakeBody{7 * kCoin})}, Hash256{}),
                       {"stake 6 BLY of dbly1", "less than the 7 BLY to unstake"});
        expectRejected(f, f.makeBlock({f.tx(a, 2, 10, chain::StakeBody{start})}, Hash256{}), {"less than stake + fee"});
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(a, 2, 10, chain::UnstakeBody{6 * kCoin})}), payloadsPresent()));
        QCOMPARE(*f.ledger->stake(a.publicKey()), Amount(0));
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
    }

    void publishObjectMovesTheHeadAndChecksTheDag()
    {
        LedgerFixture f;
        f.open();
        const auto &a = f.keys[0];
        const auto pactId = chain::objectId(pactRecord());
        const auto v1 = expert("layer0.expert0", {pactId}, 'a');
        const auto v2 = expert("layer0.expert0", {chain::objectId(v1)}, 'b');
        const auto v3 = expert("layer0.expert1", {chain::objectId(v2), pactId}, 'c');
        // v1 and v2 in one block: v2's dependency was published earlier in the same block.
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(a, 0, 10, chain::PublishObjectBody{v1}),
                                                     f.tx(a, 1, 10, chain::PublishObjectBody{v2})}),
                                        payloadsPresent()));
        QCOMPARE(**f.ledger->head("layer0.expert0"), chain::objectId(v2));
        QCOMPARE((*f.ledger->object(chain::objectId(v1)))->record, v1);
        QCOMPARE((*f.ledger->objectByName("layer0.expert0"))->publishedHeight, std::uint64_t(1));
        // Missing dependency.
        const auto orphan = expert("layer0.expert2", {crypto::blake2b256(asBytes(std::string_view("nothing")))}, 'd');
        expectRejected(f, f.makeBlock({f.tx(a, 2, 10, chain::PublishObjectBody{orphan})}, Hash256{}),
                       {"is not on the chain: publish it first"});
        // The same object twice.
        expectRejected(f, f.makeBlock({f.tx(a, 2, 10, chain::PublishObjectBody{v1})}, Hash256{}),
                       {"already published at height 1"});
        // The payload must be present.
        const PayloadCheck missing = [](const chain::ObjectRecord &) -> Status {
            return makeError(ErrorCode::NotFound, "not in the object store");
        };
        auto blk = f.makeBlock({f.tx(a, 2, 10, chain::PublishObjectBody{v3})});
        auto r = f.ledger->applyBlock(blk, missing);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("payload of object 'layer0.expert1': not in the object store") != std::string::npos);
        QVERIFY_OK(f.ledger->applyBlock(blk, payloadsPresent()));
        QCOMPARE(**f.ledger->head("layer0.expert1"), chain::objectId(v3));
        // A new version of an existing name in a later block: the old head row leaves the state hash.
        const auto v4 = expert("layer0.expert0", {chain::objectId(v2)}, 'e');
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(a, 3, 10, chain::PublishObjectBody{v4})}), payloadsPresent()));
        QCOMPARE(**f.ledger->head("layer0.expert0"), chain::objectId(v4));
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
    }

    void aCyclePlantedInTheDatabaseIsRejected()
    {
        // Through the ledger a cycle cannot form (ids hash their dependencies and every dependency must
        // exist first), so plant one: object v1 gains a stored edge to the id about to be published.
        // The SQLite-backed lookup does not trust the rows: v1 no longer hashes to its id.
        LedgerFixture f;
        f.open();
        const auto &a = f.keys[0];
        const auto v1 = expert("layer1.expert0", {}, 'x');
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(a, 0, 10, chain::PublishObjectBody{v1})}), payloadsPresent()));
        const auto v2 = expert("layer1.expert1", {chain::objectId(v1)}, 'y');
        QVERIFY_OK(f.db.exec("PRAGMA foreign_keys = OFF"));
        auto st = f.db.prepare("INSERT INTO object_deps (object, depends_on) VALUES (?1, ?2)");
        QVERIFY_OK(st);
        QVERIFY_OK(st->bindHash(1, chain::objectId(v1)));
        QVERIFY_OK(st->bindHash(2, chain::objectId(v2)));
        QVERIFY_OK(st->run());
        QVERIFY_OK(f.db.exec("PRAGMA foreign_keys = ON"));
        expectRejected(f, f.makeBlock({f.tx(a, 1, 10, chain::PublishObjectBody{v2})}, Hash256{}),
                       {"does not hash to its id"});
    }

        void reopeningRestoresTheExactState()
    {
        LedgerFixture f;
        f.open();
        QVERIFY_OK(f.ledger->applyBlock(
            f.makeBlock({f.tx(f.keys[0], 0, 10, chain::TransferBody{f.keys[1].publicKey(), kCoin}),
                         f.tx(f.keys[1], 0, 10, chain::StakeBody{kCoin})}),
            payloadsPresent()));
        const Hash256 root = f.ledger->stateRoot();
        const auto tip = f.ledger->tipId();
        const auto txid = chain::transactionId(f.tx(f.keys[1], 0, 10, chain::StakeBody{kCoin}));
        f.close();
        f.open();
        QCOMPARE(f.ledger->stateRoot(), root);
        QCOMPARE(f.ledger->tipId(), tip);
        QCOMPARE(*f.ledger->recomputeStateRoot(), root);
        auto stored = f.ledger->transaction(txid);
        QVERIFY_OK(stored);
        QVERIFY(stored->has_value());
        QCOMPARE((*stored)->height, std::uint64_t(1));
        QCOMPARE((*stored)->index, std::size_t(1));
        QCOMPARE((*f.ledger->blockById(tip))->header.height, std::uint64_t(1));
        // And the chain goes on.
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(f.keys[0], 1, 10, chain::StakeBody{kCoin})}), payloadsPresent()));
    }
};

QTEST_GUILESS_MAIN(TestLedger)
#include "test_ledger.moc"
