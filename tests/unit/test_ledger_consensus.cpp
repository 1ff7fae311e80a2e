// The ledger on a network with a validator set (testnet rules, issue 8): genesis validators, the
// stake-weighted proposer schedule, epoch switches, slashing evidence, and reverting non-final blocks
// (every state row and the state root back to the parent's, then the same blocks apply again).

#include "chain/tx_kinds/publish_object.h"
#include "chain/tx_kinds/slash_evidence.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "chain/tx_kinds/unstake.h"
#include "ledger/genesis_file.h"
#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "storage/migrations.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <random>

using namespace blyan;
using namespace blyan::ledger;
using chain::kCoin;

#define QVERIFY_OK(expr)                                                              \
    do {                                                                              \
        const auto &r_ = (expr);                                                      \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str());                 \
    } while (0)

namespace {

std::uint32_t testnetId() { return networkParams(Network::Testnet).networkId; }
std::uint64_t epochSlots() { return networkParams(Network::Testnet).epochSlots; }

const PayloadCheck &payloadsPresent()
{
    static const PayloadCheck check = [](const chain::ObjectRecord &) -> Status { return {}; };
    return check;
}

chain::ObjectRecord pact()
{
    chain::ObjectRecord r;
    r.chain = chain::ObjectChain::A;
    r.kind = "genesis_pact";
    r.name = "genesis_pact";
    r.payloadHash = crypto::blake2b256(asBytes(std::string_view("the pact")));
    r.size = 8;
    r.chunkMerkleRoot = r.payloadHash;
    return r;
}

chain::ObjectRecord expert(const std::string &name, int salt)
{
    chain::ObjectRecord r;
    r.chain = chain::ObjectChain::B;
    r.kind = "expert";
    r.name = name;
    const std::string s = name + std::to_string(salt);
    r.payloadHash = crypto::blake2b256(asBytes(std::string_view(s)));
    r.size = 1;
    r.chunkMerkleRoot = r.payloadHash;
    return r;
}

chain::Vote vote(const crypto::KeyPair &k, std::uint64_t s, std::uint64_t t, std::uint8_t salt)
{
    chain::Vote v;
    v.networkId = testnetId();
    v.sourceHeight = s;
    v.targetHeight = t;
    v.source[0] = salt;
    v.target[0] = static_cast<std::uint8_t>(salt + 1);
    chain::signVote(v, k);
    return v;
}

// A testnet ledger: four validators (stakes 4/3/2/1 M BLY) and 20 funded accounts.
struct Fixture {
    QTemporaryDir dir;
    storage::Database db;
    std::unique_ptr<Ledger> ledger;
    std::vector<crypto::KeyPair> validators, accounts;

    Fixture()
    {
        for (int i = 0; i < 4; ++i) validators.push_back(crypto::KeyPair::generate());
        for (int i = 0; i < 20; ++i) accounts.push_back(crypto::KeyPair::generate());
    }

    GenesisSpec spec() const
    {
        GenesisSpec s;
        const Amount supply = TokenomicsParams::defaults().genesisSupply;
        Amount staked = 0;
        for (int i = 0; i < 4; ++i) {
            const Amount stake = static_cast<Amount>(4 - i) * 1'000'000 * kCoin;
            s.stakes.emplace_back(validators[static_cast<std::size_t>(i)].publicKey(), stake);
            staked += stake;
        }
        const Amount each = (supply - staked) / accounts.size();
        for (std::size_t i = 0; i < accounts.size(); ++i)
            s.allocations.emplace_back(accounts[i].publicKey(), i + 1 < accounts.size() ? each : supply - staked - each * (accounts.size() - 1));
        s.pact = pact();
        s.timeMs = 1'790'000'000'000ULL;
        return s;
    }

    void open()
    {
        storage::DatabaseOptions o;
        o.synchronous = storage::DatabaseOptions::Synchronous::Normal;
        auto d = storage::Database::open(dir.filePath(QStringLiteral("node.sqlite")), o);
        QVERIFY_OK(d);
        db = std::move(*d);
        const auto migrations = ledgerMigrations();
        QVERIFY_OK(storage::migrate(db, migrations));
        auto l = Ledger::open(db, LedgerOptions{Network::Testnet, TokenomicsParams::defaults()});
        QVERIFY_OK(l);
        ledger = std::make_unique<Ledger>(std::move(*l));
        if (!ledger->hasGenesis()) QVERIFY_OK(ledger->applyGenesis(spec()));
    }

    const crypto::KeyPair *keyOf(const PublicKey &pk) const
    {
        for (const auto *list : {&validators, &accounts})
            for (const auto &k : *list)
                if (k.publicKey() == pk) return &k;
        return nullptr;
    }

    // The next block at the first slot after the tip (plus `skip`), signed by that slot's proposer.
    chain::Block makeBlock(std::vector<chain::Transaction> txs, std::uint64_t skip = 0, const crypto::KeyPair *signer = nullptr)
    {
        chain::Block b;
        b.header.height = ledger->tip().height + 1;
        b.header.parent = ledger->tipId();
        b.header.slot = ledger->tip().slot + 1 + skip;
        b.header.timeMs = ledger->tip().timeMs + 2000 * (1 + skip);
        b.transactions = std::move(txs);
        b.header.txRoot = chain::computeTxRoot(b.transactions);
        auto proposer = ledger->nextProposer(b.header.slot);
        if (!proposer.ok() || !*proposer) return b;
        b.header.proposer = **proposer;
        auto root = ledger->previewStateRoot(b, payloadsPresent());
        if (root.ok()) b.header.stateRoot = *root;
        chain::signBlock(b.header, signer ? *signer : *keyOf(**proposer));
        return b;
    }

    template <typename Body>
    chain::Transaction tx(const crypto::KeyPair &from, Amount fee, const Body &body)
    {
        chain::Transaction t = chain::makeTransaction(testnetId(), *ledger->nonce(from.publicKey()), fee, body);
        chain::signTransaction(t, from);
        return t;
    }

    // Everything a revert must restore: every ledger table's rows, and the state root.
    std::vector<QByteArray> snapshot()
    {
        std::vector<QByteArray> out;
        for (const char *sql : {"SELECT pubkey, balance, nonce FROM accounts ORDER BY pubkey",
                                "SELECT pubkey, amount FROM stakes ORDER BY pubkey", "SELECT id FROM objects ORDER BY id",
                                "SELECT object, depends_on FROM object_deps ORDER BY 1, 2", "SELECT name, object FROM heads ORDER BY name",
                                "SELECT height, id FROM blocks ORDER BY height", "SELECT id FROM txs ORDER BY id",
                                "SELECT genesis, minted, burned, reward_pool FROM supply",
                                "SELECT epoch, previous_epoch FROM consensus", "SELECT epoch, pubkey, stake FROM validators ORDER BY 1, 2",
                                "SELECT evidence FROM slashes ORDER BY 1",
                                "SELECT pubkey, release_epoch, amount FROM unbonding ORDER BY 1, 2"}) {
            QByteArray rows;
            auto st = db.prepare(sql);
            for (;;) {
                auto r = st->step();
                if (!r.ok() || !*r) break;
                for (int c = 0; c < 4; ++c) {
                    const ByteView blob = st->columnBlobView(c);
                    rows += QByteArray::number(st->columnInt64(c)) + '/' +
                            QByteArray(reinterpret_cast<const char *>(blob.data()), static_cast<qsizetype>(blob.size())) + '|';
                }
                rows += '\n';
            }
            out.push_back(rows);
        }
        out.push_back(QByteArray(reinterpret_cast<const char *>(ledger->stateRoot().data()), 32));
        return out;
    }
};

}  // namespace

class TestLedgerConsensus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void genesisWritesTheEpochZeroSet()
    {
        Fixture f;
        f.open();
        auto set = f.ledger->validatorSet(0);
        QVERIFY_OK(set);
        QCOMPARE(set->members.size(), std::size_t(4));
        QCOMPARE(set->total(), Amount(10'000'000) * kCoin);
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        // A testnet genesis without a validator is refused, and so is a devnet genesis with one.
        Fixture g;
        auto opened = storage::Database::open(QStringLiteral(":memory:"));
        QVERIFY_OK(opened);
        storage::Database mem = std::move(*opened);
        QVERIFY_OK(storage::migrate(mem, ledgerMigrations()));
        auto l = Ledger::open(mem, LedgerOptions{Network::Devnet, TokenomicsParams::defaults()});
        QVERIFY_OK(l);
        auto r = l->applyGenesis(g.spec());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("single proposer") != std::string::npos, r.error().message.c_str());
    }

    void genesisFileRoundTripsValidators()
    {
        Fixture f;
        const GenesisSpec spec = f.spec();
        const QByteArray json = formatGenesisFile(spec, Network::Testnet);
        QVERIFY(json.contains("\"validators\""));
        auto parsed = parseGenesisFile(json, Network::Testnet, pact());
        QVERIFY_OK(parsed);
        QCOMPARE(parsed->stakes, spec.stakes);
        QCOMPARE(parsed->allocations, spec.allocations);
        QByteArray bad = json;
        bad.replace("\"stake\"", "\"amount\"");
        auto r = parseGenesisFile(bad, Network::Testnet, pact());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("validators[0]") != std::string::npos, r.error().message.c_str());
    }

    void proposerScheduleIsStakeWeightedAndEnforced()
    {
        Fixture f;
        f.open();
        auto set = f.ledger->validatorSet(0);
        QVERIFY_OK(set);
        std::map<PublicKey, int> counts;
        for (std::uint64_t slot = 1; slot <= 4000; ++slot) counts[*proposerForSlot(*set, f.ledger->genesisId(), slot)]++;
        for (int i = 0; i < 4; ++i) {
            const double share = counts[f.validators[static_cast<std::size_t>(i)].publicKey()] / 4000.0;
            const double expected = (4 - i) / 10.0;
            QVERIFY2(std::abs(share - expected) < 0.04, qPrintable(QStringLiteral("validator %1: %2 vs %3").arg(i).arg(share).arg(expected)));
        }
        // A block signed by someone else than the slot's proposer is refused, naming the right one.
        chain::Block good = f.makeBlock({});
        const crypto::KeyPair *owner = f.keyOf(good.header.proposer);
        const crypto::KeyPair &other = owner == &f.validators[0] ? f.validators[1] : f.validators[0];
        chain::Block bad = good;
        chain::signBlock(bad.header, other);
        auto r = f.ledger->applyBlock(bad, payloadsPresent());
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("belongs to") != std::string::npos, r.error().message.c_str());
        QVERIFY_OK(f.ledger->applyBlock(good, payloadsPresent()));
    }

    void stakeChangesTakeEffectAtTheNextEpoch()
    {
        Fixture f;
        f.open();
        const crypto::KeyPair &newcomer = f.accounts[0];
        const Amount stake = 50'000 * kCoin;
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(newcomer, 1000, chain::StakeBody{stake})}), payloadsPresent()));
        QCOMPARE(f.ledger->validatorSet(0)->stakeOf(newcomer.publicKey()), Amount(0));  // not before the epoch ends
        // The first block of epoch 1 snapshots the stakes.
        const std::uint64_t skip = epochSlots() - f.ledger->tip().slot - 1;
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({}, skip), payloadsPresent()));
        QCOMPARE(f.ledger->tip().slot, epochSlots());
        QCOMPARE(f.ledger->validatorSet(1)->stakeOf(newcomer.publicKey()), stake);
        QCOMPARE(f.ledger->validatorSet(0)->stakeOf(newcomer.publicKey()), Amount(0));  // the previous set stays
        QCOMPARE(f.ledger->validatorSet(0)->epoch, std::uint64_t(0));
        // Two epochs on, epoch 0's set is gone.
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({}, epochSlots()), payloadsPresent()));
        QVERIFY(!f.ledger->validatorSet(0).ok());
        QCOMPARE(f.ledger->validatorSet(1)->stakeOf(newcomer.publicKey()), stake);
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
    }

    void slashingBurnsTheStakeOnce()
    {
        Fixture f;
        f.open();
        const crypto::KeyPair &cheat = f.validators[2];
        const auto before = *f.ledger->supply();
        const chain::Vote a = vote(cheat, 0, 5, 1), b = vote(cheat, 0, 5, 7);
        const auto evidence = chain::SlashEvidenceBody::of(a, b);
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(f.accounts[3], 1000, evidence)}), payloadsPresent()));
        QCOMPARE(*f.ledger->stake(cheat.publicKey()), Amount(0));
        QCOMPARE(f.ledger->supply()->burned, before.burned + 2'000'000 * kCoin + 500);
        QCOMPARE(f.ledger->validatorSet(0)->stakeOf(cheat.publicKey()), Amount(0));
        QCOMPARE(f.ledger->validatorSet(0)->members.size(), std::size_t(3));
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        // The same evidence again: refused with the reason.
        auto again = f.ledger->checkTransactionAgainstState(f.tx(f.accounts[3], 1000, evidence), payloadsPresent());
        QVERIFY(!again.ok());
        QVERIFY2(again.error().message.find("already applied") != std::string::npos, again.error().message.c_str());
        // Votes that do not conflict, or of two voters, are not evidence.
        chain::Transaction t = f.tx(f.accounts[3], 1000, chain::SlashEvidenceBody::of(vote(f.validators[1], 0, 5, 1), vote(f.validators[1], 5, 6, 1)));
        QVERIFY(!chain::checkTransaction(t, testnetId()).ok());
        t = f.tx(f.accounts[3], 1000, chain::SlashEvidenceBody::of(vote(f.validators[1], 0, 5, 1), vote(f.validators[0], 0, 5, 3)));
        QVERIFY(!chain::checkTransaction(t, testnetId()).ok());
        // A surround vote is evidence too.
        t = f.tx(f.accounts[3], 1000, chain::SlashEvidenceBody::of(vote(f.validators[1], 1, 9, 1), vote(f.validators[1], 2, 5, 1)));
        QVERIFY_OK(chain::checkTransaction(t, testnetId()));
    }

    // An unstake waits `unbonding_epochs` epochs, outside the balance and still slashable; unstakes in one
    // epoch add up; the first block of the release epoch pays them out.
    void unstakeUnbondsUntilItsReleaseEpoch()
    {
        Fixture f;
        f.open();
        const std::uint64_t delay = networkParams(Network::Testnet).unbondingEpochs;
        QVERIFY(delay >= 2);
        const crypto::KeyPair &v = f.validators[1];
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(f.accounts[1], 1000, chain::TransferBody{v.publicKey(), 10 * kCoin})}), payloadsPresent()));
        const Amount balance = *f.ledger->balance(v.publicKey());
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(v, 1000, chain::UnstakeBody{600'000 * kCoin})}), payloadsPresent()));
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(v, 1000, chain::UnstakeBody{400'000 * kCoin})}), payloadsPresent()));
        QCOMPARE(*f.ledger->stake(v.publicKey()), Amount(2'000'000 * kCoin));
        QCOMPARE(*f.ledger->balance(v.publicKey()), balance - 2000);
        auto rows = *f.ledger->unbonding(v.publicKey());
        QCOMPARE(rows.size(), std::size_t(1));
        QCOMPARE(rows[0].first.releaseEpoch, delay);
        QCOMPARE(rows[0].second, Amount(1'000'000 * kCoin));
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
        // Spending it before the release is refused with the balance the sender has.
        auto early = f.ledger->checkTransactionAgainstState(
            f.tx(v, 1000, chain::TransferBody{f.accounts[0].publicKey(), balance + kCoin}), payloadsPresent());
        QVERIFY(!early.ok());
        // The last slot before the release epoch: still unbonding.
        const std::uint64_t releaseSlot = delay * epochSlots();
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({}, releaseSlot - 1 - f.ledger->tip().slot - 1), payloadsPresent()));
        QCOMPARE(f.ledger->tip().slot, releaseSlot - 1);
        QCOMPARE(f.ledger->unbonding(v.publicKey())->size(), std::size_t(1));
        QCOMPARE(*f.ledger->balance(v.publicKey()), balance - 2000);
        // The first block of the release epoch pays out after its transactions: what the pool checked against
        // the parent's state holds in it (spending the unbonded amount there still fails).
        const chain::Block early2 = f.makeBlock({f.tx(v, 1000, chain::TransferBody{f.accounts[0].publicKey(), balance + kCoin})});
        const auto refused = f.ledger->previewStateRoot(early2, payloadsPresent());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("balance") != std::string::npos, refused.error().message.c_str());
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({}), payloadsPresent()));
        QCOMPARE(f.ledger->tip().slot, releaseSlot);
        QVERIFY(f.ledger->unbonding(v.publicKey())->empty());
        QCOMPARE(*f.ledger->balance(v.publicKey()), balance - 2000 + 1'000'000 * kCoin);
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(v, 1000, chain::TransferBody{f.accounts[0].publicKey(), balance + kCoin})}),
                                        payloadsPresent()));
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
    }

    // Evidence that the pool accepts in the last epoch of the window (the voter's only stake is unbonding and
    // due next epoch) still applies in the first block of the release epoch: the release comes after it.
    void evidenceAtTheReleaseBoundaryStillSlashes()
    {
        Fixture f;
        f.open();
        const std::uint64_t delay = networkParams(Network::Testnet).unbondingEpochs;
        const crypto::KeyPair &v = f.validators[3];
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(f.accounts[1], 1000, chain::TransferBody{v.publicKey(), 10 * kCoin})}), payloadsPresent()));
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(v, 1000, chain::UnstakeBody{1'000'000 * kCoin})}), payloadsPresent()));
        const Amount balance = *f.ledger->balance(v.publicKey());
        const std::uint64_t releaseSlot = delay * epochSlots();
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({}, releaseSlot - 1 - f.ledger->tip().slot - 1), payloadsPresent()));
        const chain::Transaction evidence =
            f.tx(f.accounts[2], 1000, chain::SlashEvidenceBody::of(vote(v, 0, 5, 1), vote(v, 0, 5, 7)));
        QVERIFY_OK(f.ledger->checkTransactionAgainstState(evidence, payloadsPresent()));
        const auto burnedBefore = f.ledger->supply()->burned;
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({evidence}), payloadsPresent()));
        QCOMPARE(f.ledger->tip().slot, releaseSlot);
        QVERIFY(f.ledger->supply()->burned >= burnedBefore + 1'000'000 * kCoin);
        QVERIFY(f.ledger->unbonding(v.publicKey())->empty());
        QCOMPARE(*f.ledger->balance(v.publicKey()), balance);  // nothing released: it was slashed
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
    }

    // Evidence burns what the voter has unbonding as well as its stake, even when it unstaked everything.
    void slashingReachesUnbondingStake()
    {
        Fixture f;
        f.open();
        const crypto::KeyPair &partly = f.validators[2], &fully = f.validators[3];
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(f.accounts[1], 1000, chain::TransferBody{partly.publicKey(), 10 * kCoin}),
                                                     f.tx(f.accounts[2], 1000, chain::TransferBody{fully.publicKey(), 10 * kCoin})}),
                                        payloadsPresent()));
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(partly, 1000, chain::UnstakeBody{500'000 * kCoin}),
                                                     f.tx(fully, 1000, chain::UnstakeBody{1'000'000 * kCoin})}),
                                        payloadsPresent()));
        QCOMPARE(*f.ledger->stake(fully.publicKey()), Amount(0));
        const auto before = *f.ledger->supply();
        const Amount fullyBalance = *f.ledger->balance(fully.publicKey());
        QVERIFY_OK(f.ledger->applyBlock(f.makeBlock({f.tx(f.accounts[3], 1000, chain::SlashEvidenceBody::of(vote(partly, 0, 5, 1), vote(partly, 0, 5, 7))),
                                                     f.tx(f.accounts[4], 1000, chain::SlashEvidenceBody::of(vote(fully, 0, 5, 1), vote(fully, 0, 5, 7)))}),
                                        payloadsPresent()));
        QCOMPARE(*f.ledger->stake(partly.publicKey()), Amount(0));
        QVERIFY(f.ledger->unbonding(partly.publicKey())->empty());
        QVERIFY(f.ledger->unbonding(fully.publicKey())->empty());
        QCOMPARE(*f.ledger->balance(fully.publicKey()), fullyBalance);  // the balance is not touched
        const Amount feeBurn = f.ledger->supply()->burned - before.burned - 3'000'000 * kCoin;
        QVERIFY2(feeBurn <= 2000, qPrintable(QString::number(feeBurn)));  // the rest: a share of the two fees
        QVERIFY_OK(f.ledger->checkSupplyIdentity());
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
        // Nothing left to slash: refused with the reason.
        auto again = f.ledger->checkTransactionAgainstState(
            f.tx(f.accounts[5], 1000, chain::SlashEvidenceBody::of(vote(fully, 1, 6, 1), vote(fully, 1, 6, 7))), payloadsPresent());
        QVERIFY(!again.ok());
        QVERIFY2(again.error().message.find("no stake or unbonding stake") != std::string::npos, again.error().message.c_str());
    }

    void undoLogRoundTripsAndRefusesDamage()
    {
        UndoLog u;
        u.accounts.emplace_back(crypto::KeyPair::generate().publicKey(), Account{5, 2});
        u.accounts.emplace_back(crypto::KeyPair::generate().publicKey(), std::nullopt);
        u.stakes.emplace_back(crypto::KeyPair::generate().publicKey(), Amount(7));
        u.addedObjects.push_back(crypto::blake2b256(asBytes(std::string_view("x"))));
        u.heads.emplace_back("layer0.expert1", std::nullopt);
        u.supply = Supply{1, 2, 3, 4};
        u.consensus = std::optional<ConsensusRow>(ConsensusRow{3, 2});
        u.validators.emplace_back(ValidatorKey{3, crypto::KeyPair::generate().publicKey()}, std::nullopt);
        u.addedSlashes.push_back(crypto::blake2b256(asBytes(std::string_view("y"))));
        u.unbondings.emplace_back(UnbondingKey{crypto::KeyPair::generate().publicKey(), 4}, Amount(9));
        u.unbondings.emplace_back(UnbondingKey{crypto::KeyPair::generate().publicKey(), 5}, std::nullopt);
        const Bytes enc = encodeUndo(u);
        auto back = decodeUndo(enc);
        QVERIFY_OK(back);
        QVERIFY(*back == u);
        for (std::size_t cut = 0; cut < enc.size(); ++cut) QVERIFY(!decodeUndo(ByteView(enc.data(), cut)).ok());
        Bytes longer = enc;
        longer.push_back(0);
        QVERIFY(!decodeUndo(longer).ok());
    }

    // A v4 database's undo rows (written before unbonding existed) decode after the v5 migration.
    void undoRowsSurviveTheUnbondingMigration()
    {
        auto opened = storage::Database::open(QStringLiteral(":memory:"));
        QVERIFY_OK(opened);
        storage::Database db = std::move(*opened);
        auto all = ledgerMigrations();
        QCOMPARE(all.size(), std::size_t(5));
        QVERIFY_OK(storage::migrate(db, std::vector<storage::Migration>(all.begin(), all.begin() + 4)));
        UndoLog u;
        u.stakes.emplace_back(crypto::KeyPair::generate().publicKey(), Amount(7));
        u.supply = Supply{1, 2, 3, 4};
        Bytes v4 = encodeUndo(u);
        QCOMPARE(v4.back(), std::uint8_t(0));  // the empty unbonding section v5 appended
        v4.pop_back();
        QVERIFY(!decodeUndo(v4).ok());
        auto insert = db.prepare("INSERT INTO undo (height, data) VALUES (1, ?1)");
        QVERIFY_OK(insert);
        QVERIFY_OK(insert->bindBlob(1, v4));
        QVERIFY_OK(insert->run());
        QVERIFY_OK(storage::migrate(db, all));
        auto st = db.prepare("SELECT data FROM undo WHERE height = 1");
        QVERIFY_OK(st);
        QVERIFY(*st->step());
        const ByteView data = st->columnBlobView(0);
        auto back = decodeUndo(data);
        QVERIFY_OK(back);
        QVERIFY(*back == u);
    }

    // 40 blocks of random transfers, stakes, unstakes, objects, an epoch switch and a slash; then every
    // block reverted one by one (each time every table equals its state at that height), then the same
    // blocks applied again to the same roots.
    void revertRestoresEveryRowAndTheRoot()
    {
        Fixture f;
        f.open();
        std::mt19937_64 rng(7);
        std::vector<std::vector<QByteArray>> snapshots{f.snapshot()};
        std::vector<chain::Block> blocks;
        for (int height = 1; height <= 40; ++height) {
            std::vector<chain::Transaction> txs;
            std::map<int, Amount> spent;
            for (int i = 0; i < 5; ++i) {
                const int from = static_cast<int>(rng() % f.accounts.size());
                if (spent.count(from)) continue;
                spent[from] = 1;
                const auto &k = f.accounts[static_cast<std::size_t>(from)];
                const Amount fee = 1000 + rng() % 1000;
                chain::Transaction t;
                switch (rng() % 4) {
                case 0: t = f.tx(k, fee, chain::TransferBody{f.accounts[(static_cast<std::size_t>(from) + 1 + rng() % 19) % 20].publicKey(), 1 + rng() % (1000 * kCoin)}); break;
                case 1: t = f.tx(k, fee, chain::StakeBody{20'000 * kCoin}); break;
                case 2:
                    if (*f.ledger->stake(k.publicKey()) == 0) continue;
                    t = f.tx(k, fee, chain::UnstakeBody{*f.ledger->stake(k.publicKey())});
                    break;
                default: t = f.tx(k, fee, chain::PublishObjectBody{expert("layer0.expert" + std::to_string(rng() % 4), height * 10 + i)}); break;
                }
                txs.push_back(t);
            }
            if (height == 20)
                txs.push_back(f.tx(f.accounts[19], 1000,
                                   chain::SlashEvidenceBody::of(vote(f.validators[3], 0, 9, 1), vote(f.validators[3], 0, 9, 5))));
            // Now and then a gap of a whole epoch: epoch switches, and unstakes of the first epochs released.
            const std::uint64_t skip = height % 9 == 0 ? epochSlots() : 0;
            chain::Block b = f.makeBlock(txs, skip);
            auto r = f.ledger->applyBlock(b, payloadsPresent());
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
            blocks.push_back(b);
            snapshots.push_back(f.snapshot());
        }
        QVERIFY(f.ledger->tip().slot / epochSlots() > networkParams(Network::Testnet).unbondingEpochs);
        for (int height = 40; height >= 1; --height) {
            auto reverted = f.ledger->revertTip();
            QVERIFY_OK(reverted);
            QVERIFY(*reverted == blocks[static_cast<std::size_t>(height - 1)]);
            const auto now = f.snapshot();
            for (std::size_t t = 0; t < now.size(); ++t)
                QVERIFY2(now[t] == snapshots[static_cast<std::size_t>(height - 1)][t],
                         qPrintable(QStringLiteral("height %1, table %2 differs after the revert").arg(height - 1).arg(t)));
            QVERIFY_OK(f.ledger->checkSupplyIdentity());
        }
        QVERIFY(!f.ledger->revertTip().ok());  // genesis stays
        for (const auto &b : blocks) QVERIFY_OK(f.ledger->applyBlock(b, payloadsPresent()));
        QCOMPARE(f.snapshot(), snapshots.back());
        QCOMPARE(*f.ledger->recomputeStateRoot(), f.ledger->stateRoot());
        // Final blocks lose their undo logs and can no longer be reverted.
        QVERIFY_OK(f.ledger->pruneUndo(40));
        QVERIFY(!f.ledger->revertTip().ok());
        // Reopening keeps the exact state.
        const auto before = f.snapshot();
        f.ledger.reset();
        f.db = storage::Database();
        f.open();
        QCOMPARE(f.snapshot(), before);
    }
};

QTEST_GUILESS_MAIN(TestLedgerConsensus)
#include "test_ledger_consensus.moc"
