// Governance (issue 9) in the ledger, on real SQLite files: the proposal and vote bodies (round trips,
// strict decoding, stateless rules), config/governance.json, and on a devnet ledger with several stakers:
// a parameter change that passes, executes at its end height and changes what the ledger does; a proposal
// below quorum; stake moved after the snapshot counting once; a pact amendment failing at 74 % and passing
// at 76 %; a veto burning the deposit; treasury spends (one failing on an emptied pool), dataset
// approval and a model-spec upgrade. On a testnet ledger (which keeps undo logs) every governance row and
// the state root go back exactly when the blocks are reverted, and the same blocks apply again.

#include "chain/tx_kinds/governance_proposal.h"
#include "chain/tx_kinds/governance_vote.h"
#include "ledger/governance/engine.h"
#include "ledger/governance/queries.h"
#include "ledger/governance/store.h"
#include "test_ledger_fixture.h"
#include "util/embedded.h"

#include <QtTest>

#include <set>

using namespace blyan;
using namespace blyan::ledger;
using namespace blyan::ledger::testing;
using chain::kCoin;
using chain::ProposalKind;
using chain::VoteChoice;

#define QVERIFY_OK(expr)                                                              \
    do {                                                                              \
        const auto &r_ = (expr);                                                      \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str());                 \
    } while (0)

namespace {

bool contains(const std::string &text, const char *part) { return text.find(part) != std::string::npos; }

chain::GovernanceProposalBody proposalBody(chain::ProposalAction action, Amount deposit = 10 * kCoin)
{
    chain::GovernanceProposalBody b;
    b.action = action;
    b.title = "A proposal";
    b.text = "Why this matters.\nSecond line.";
    b.deposit = deposit;
    return b;
}

chain::ProposalAction paramChange(chain::GovParam p, std::uint64_t value)
{
    chain::ProposalAction a;
    a.kind = ProposalKind::ParameterChange;
    a.param = static_cast<std::uint8_t>(p);
    a.value = value;
    return a;
}

chain::ProposalAction objectAction(ProposalKind k, const chain::ObjectId &id, std::uint8_t tier = 0)
{
    chain::ProposalAction a;
    a.kind = k;
    a.object = id;
    a.tier = tier;
    return a;
}

chain::ObjectRecord record(chain::ObjectChain c, const std::string &kind, const std::string &name)
{
    chain::ObjectRecord r;
    r.chain = c;
    r.kind = kind;
    r.name = name;
    r.payloadHash = crypto::blake2b256(asBytes(std::string_view(name)));
    r.size = name.size();
    r.chunkMerkleRoot = r.payloadHash;
    return r;
}

// A devnet ledger (the shared fixture: 50 funded keys) with helpers for proposals and votes.
struct Gov : LedgerFixture {
    Gov() { open(); }

    template <typename Body>
    chain::Transaction signedTx(const crypto::KeyPair &k, const Body &body, Amount fee = 1000)
    {
        return tx(k, nonceOf(k), fee, body);
    }
    // Applies a block of `txs` (nonces taken in order per sender).
    Status apply(std::vector<chain::Transaction> txs)
    {
        auto r = ledger->applyBlock(makeBlock(std::move(txs)), payloadsPresent());
        if (!r) return r.error();
        return {};
    }
    crypto::Hash256 propose(const crypto::KeyPair &from, const chain::ProposalAction &a, Amount deposit = 10 * kCoin)
    {
        const chain::Transaction t = signedTx(from, proposalBody(a, deposit));
        const auto id = chain::transactionId(t);
        auto s = apply({t});
        if (!s) qWarning("propose: %s", s.error().message.c_str());
        return id;
    }
    chain::Transaction voteTx(const crypto::KeyPair &from, const crypto::Hash256 &id, VoteChoice c, std::uint64_t nonceAdd = 0)
    {
        chain::GovernanceVoteBody v;
        v.proposal = id;
        v.choice = c;
        return tx(from, nonceOf(from) + nonceAdd, 1000, v);
    }
    ProposalRow row(const crypto::Hash256 &id)
    {
        auto p = store::readProposal(db, id);
        return p && *p ? **p : ProposalRow{};
    }
    // Empty blocks until the next block has height `h`.
    void advanceTo(std::uint64_t h)
    {
        while (ledger->tip().height + 1 < h) QVERIFY_OK(apply({}));
    }
    void stakeAll(const std::vector<std::pair<std::size_t, Amount>> &stakes)
    {
        std::vector<chain::Transaction> txs;
        for (const auto &[i, a] : stakes) txs.push_back(signedTx(keys[i], chain::StakeBody{a}));
        QVERIFY_OK(apply(std::move(txs)));
    }
    void checkIntegrity()
    {
        QVERIFY_OK(ledger->checkSupplyIdentity());
        auto root = ledger->recomputeStateRoot();
        QVERIFY_OK(root);
        QCOMPARE(*root, ledger->stateRoot());
    }
    std::uint64_t votingBlocks(ProposalKind k) { return GovernanceConfig::defaults().votingBlocks(Network::Devnet, k); }
};

}  // namespace

class TestGovernance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bodiesRoundTripAndRefuseDamage()
    {
        const auto key = crypto::KeyPair::generate();
        std::vector<chain::ProposalAction> actions;
        actions.push_back(chain::ProposalAction{});
        actions.push_back(paramChange(chain::GovParam::FeeBurnPercent, 60));
        actions.push_back(objectAction(ProposalKind::DatasetApproval, crypto::blake2b256(asBytes(std::string_view("d"))), 2));
        actions.push_back(objectAction(ProposalKind::ModelSpecUpgrade, crypto::blake2b256(asBytes(std::string_view("m")))));
        actions.push_back(objectAction(ProposalKind::PactAmendment, crypto::blake2b256(asBytes(std::string_view("p")))));
        chain::ProposalAction spend;
        spend.kind = ProposalKind::TreasurySpend;
        spend.to = key.publicKey();
        spend.amount = 5 * kCoin;
        actions.push_back(spend);
        for (const auto &a : actions) {
            const auto body = proposalBody(a);
            const Bytes enc = body.encode();
            auto back = chain::GovernanceProposalBody::decode(enc);
            QVERIFY_OK(back);
            QVERIFY(*back == body);
            QVERIFY(back->encode() == enc);
            chain::Transaction t = chain::makeTransaction(devnetId(), 0, 1000, body);
            chain::signTransaction(t, key);
            QVERIFY_OK(chain::checkTransaction(t, devnetId()));
            for (std::size_t cut = 0; cut < enc.size(); ++cut)
                QVERIFY(!chain::GovernanceProposalBody::decode(ByteView(enc.data(), cut)).ok());
            Bytes longer = enc;
            longer.push_back(0);
            QVERIFY(!chain::GovernanceProposalBody::decode(longer).ok());
        }
        // Unknown kind, unknown choice.
        Bytes bad = proposalBody(chain::ProposalAction{}).encode();
        bad[0] = 9;
        auto r = chain::GovernanceProposalBody::decode(bad);
        QVERIFY(!r.ok() && contains(r.error().message, "proposal.kind"));
        chain::GovernanceVoteBody v;
        v.proposal[0] = 1;
        v.choice = VoteChoice::Veto;
        Bytes venc = v.encode();
        QCOMPARE(venc.size(), std::size_t(33));
        QVERIFY(*chain::GovernanceVoteBody::decode(venc) == v);
        venc[32] = 5;
        QVERIFY(!chain::GovernanceVoteBody::decode(venc).ok());
        venc[32] = 0;
        QVERIFY(!chain::GovernanceVoteBody::decode(venc).ok());
    }

    void statelessRulesNameTheField()
    {
        auto refusal = [](chain::GovernanceProposalBody b) {
            chain::Transaction t = chain::makeTransaction(devnetId(), 0, 1000, b);
            auto s = b.check(t);
            return s.ok() ? std::string("(accepted)") : s.error().message;
        };
        QVERIFY(contains(refusal(proposalBody(paramChange(chain::GovParam::FeeBurnPercent, 95))), "hard bounds"));
        QVERIFY(contains(refusal(proposalBody(paramChange(chain::GovParam::AnnualEmissionPercent, 11))), "0..10"));
        QVERIFY(contains(refusal(proposalBody(paramChange(static_cast<chain::GovParam>(77), 1))), "not a governable parameter"));
        QVERIFY(contains(refusal(proposalBody(objectAction(ProposalKind::DatasetApproval, crypto::Hash256{1}, 4))), "proposal.tier"));
        QVERIFY(contains(refusal(proposalBody(objectAction(ProposalKind::PactAmendment, crypto::Hash256{}))), "proposal.object"));
        chain::ProposalAction spend;
        spend.kind = ProposalKind::TreasurySpend;
        QVERIFY(contains(refusal(proposalBody(spend)), "proposal.amount"));
        auto b = proposalBody(chain::ProposalAction{});
        b.title = "Bad\x1b[2J title";
        QVERIFY(contains(refusal(b), "control character 0x1b"));
        b = proposalBody(chain::ProposalAction{});
        b.title = " padded";
        QVERIFY(contains(refusal(b), "white space"));
        b = proposalBody(chain::ProposalAction{});
        b.text = "";
        QVERIFY(contains(refusal(b), "proposal.text: must not be empty"));
        b = proposalBody(chain::ProposalAction{});
        b.text = "line\rover";
        QVERIFY(contains(refusal(b), "only newlines and tabs"));
        b = proposalBody(chain::ProposalAction{}, 0);
        QVERIFY(contains(refusal(b), "proposal.deposit"));
        b = proposalBody(chain::ProposalAction{});
        b.title = std::string(121, 'x');
        QVERIFY(!chain::GovernanceProposalBody::decode(b.encode()).ok());  // over the limit: refused while decoding
    }

    void configIsStrictAndPeriodsArePerNetwork()
    {
        const GovernanceConfig &c = GovernanceConfig::defaults();
        QCOMPARE(c.rule(ProposalKind::PactAmendment).thresholdPercent, 75u);
        // The pact's review is 30 days on testnet (2 s slots); a devnet's periods are short enough for tests.
        QCOMPARE(c.votingBlocks(Network::Testnet, ProposalKind::PactAmendment), std::uint64_t(30) * 86400 / 2);
        QCOMPARE(c.votingBlocks(Network::Devnet, ProposalKind::Signal), std::uint64_t(20));
        QCOMPARE(c.votingBlocks(Network::Devnet, ProposalKind::PactAmendment), std::uint64_t(40));
        QCOMPARE(c.tiers.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(c.tier(1)->name), QStringLiteral("gold"));
        const std::string good(embeddedFile("governance.json"));
        QVERIFY_OK(GovernanceConfig::fromJson(good));
        std::string bad = good;
        bad.replace(bad.find("\"veto_percent\""), 14, "\"veto_percents\"");
        auto r = GovernanceConfig::fromJson(bad);
        QVERIFY(!r.ok() && contains(r.error().message, "veto_percent"));
        bad = good;
        bad.replace(bad.find("\"threshold_percent\": 75"), 23, "\"threshold_percent\": 40");
        r = GovernanceConfig::fromJson(bad);
        QVERIFY(!r.ok() && contains(r.error().message, "kinds.pact_amendment"));
    }

    void parameterChangePassesAndExecutesAtItsEndHeight()
    {
        Gov g;
        g.stakeAll({{0, 400'000 * kCoin}, {1, 300'000 * kCoin}, {2, 200'000 * kCoin}, {3, 100'000 * kCoin}});
        const crypto::KeyPair &proposer = g.keys[10];
        const Amount balanceBefore = *g.ledger->balance(proposer.publicKey());
        const auto id = g.propose(proposer, paramChange(chain::GovParam::FeeBurnPercent, 80));
        const std::uint64_t created = g.ledger->tip().height;
        ProposalRow p = g.row(id);
        QCOMPARE(p.number, std::uint64_t(1));
        QCOMPARE(p.status, ProposalStatus::Voting);
        QCOMPARE(p.snapshotHeight, created - 1);
        QCOMPARE(p.endHeight, created + g.votingBlocks(ProposalKind::ParameterChange));
        QCOMPARE(p.totalStake, 1'000'000 * kCoin);
        QCOMPARE(p.deposit, 10 * kCoin);
        QCOMPARE(*g.ledger->balance(proposer.publicKey()), balanceBefore - 10 * kCoin - 1000);  // deposit locked
        g.checkIntegrity();

        // Two stakers for, one against, one silent: 90 % turnout, 78 % yes.
        QVERIFY_OK(g.apply({g.voteTx(g.keys[0], id, VoteChoice::Yes), g.voteTx(g.keys[1], id, VoteChoice::Yes),
                            g.voteTx(g.keys[2], id, VoteChoice::No)}));
        p = g.row(id);
        QCOMPARE(p.yes, 700'000 * kCoin);
        QCOMPARE(p.no, 200'000 * kCoin);
        QCOMPARE(*governance::proposalVoteCount(g.db, id), std::uint64_t(3));

        // Up to the block before the end nothing changes: fees burn 50 %.
        g.advanceTo(p.endHeight - 1);
        Amount burned = g.ledger->supply()->burned;
        QVERIFY_OK(g.apply({g.signedTx(g.keys[20], chain::TransferBody{g.keys[21].publicKey(), kCoin}, 10'000)}));
        QCOMPARE(g.ledger->supply()->burned - burned, Amount(5'000));
        QCOMPARE(g.row(id).status, ProposalStatus::Voting);
        QCOMPARE(g.ledger->tip().height, p.endHeight - 1);

        // The end block tallies before its transactions: the fee in it already burns 80 %.
        burned = g.ledger->supply()->burned;
        QVERIFY_OK(g.apply({g.signedTx(g.keys[20], chain::TransferBody{g.keys[21].publicKey(), kCoin}, 10'000)}));
        QCOMPARE(g.ledger->supply()->burned - burned, Amount(8'000));
        p = g.row(id);
        QCOMPARE(p.status, ProposalStatus::Passed);
        QCOMPARE(p.closedHeight, p.endHeight);
        QCOMPARE(p.deposit, Amount(0));
        QCOMPARE(*g.ledger->balance(proposer.publicKey()), balanceBefore - 1000);  // deposit back
        QCOMPARE(g.ledger->liveParams()->tokenomics.feeBurnPercent, 80u);
        QCOMPARE(*store::readParam(g.db, 1), std::optional<std::uint64_t>(80));
        // History: created, three votes, closed.
        const auto events = *governance::proposalEvents(g.db, id, 100);
        QCOMPARE(events.size(), std::size_t(5));
        QCOMPARE(events.back().kind, GovernanceEventKind::Closed);
        QCOMPARE(events.back().height, p.endHeight);
        g.checkIntegrity();

        // A vote after the end is refused with the reason.
        auto late = g.ledger->checkTransactionAgainstState(g.voteTx(g.keys[3], id, VoteChoice::Yes), payloadsPresent());
        QVERIFY(!late.ok());
        QVERIFY2(contains(late.error().message, "ended at height"), late.error().message.c_str());
        // The same value again would change nothing: refused at creation.
        auto same = g.ledger->checkTransactionAgainstState(
            g.signedTx(proposer, proposalBody(paramChange(chain::GovParam::FeeBurnPercent, 80))), payloadsPresent());
        QVERIFY(!same.ok() && contains(same.error().message, "nothing would change"));
    }

    void belowQuorumFailsAndReturnsTheDeposit()
    {
        Gov g;
        g.stakeAll({{0, 400'000 * kCoin}, {1, 300'000 * kCoin}, {2, 200'000 * kCoin}, {3, 100'000 * kCoin}});
        const Amount before = *g.ledger->balance(g.keys[3].publicKey());
        const auto id = g.propose(g.keys[3], paramChange(chain::GovParam::AnnualEmissionPercent, 5));
        // 10 % of the stake votes (quorum 33 %), all yes.
        QVERIFY_OK(g.apply({g.voteTx(g.keys[3], id, VoteChoice::Yes)}));
        g.advanceTo(g.row(id).endHeight + 1);
        const ProposalRow p = g.row(id);
        QCOMPARE(p.status, ProposalStatus::NoQuorum);
        QCOMPARE(p.yes, 100'000 * kCoin);
        QCOMPARE(*g.ledger->balance(g.keys[3].publicKey()), before - 2000);  // two fees; the deposit came back
        QVERIFY(!store::readParam(g.db, 2)->has_value());
        QCOMPARE(g.ledger->liveParams()->tokenomics.annualEmission, TokenomicsParams::defaults().annualEmission);
        g.checkIntegrity();
    }

    void stakeMovedAfterTheSnapshotCountsOnce()
    {
        Gov g;
        const crypto::KeyPair &a = g.keys[0], &b = g.keys[1], &f = g.keys[2], &late = g.keys[3];
        g.stakeAll({{0, 400'000 * kCoin}, {1, 100'000 * kCoin}});
        // `late` stakes in the proposal's own block, before the proposal: after the snapshot (the parent).
        const chain::Transaction lateStake = g.signedTx(late, chain::StakeBody{50'000 * kCoin});
        const chain::Transaction prop = g.signedTx(g.keys[9], proposalBody(chain::ProposalAction{}));
        const auto id = chain::transactionId(prop);
        QVERIFY_OK(g.apply({lateStake, prop}));
        const ProposalRow p0 = g.row(id);
        QCOMPARE(p0.totalStake, 500'000 * kCoin);
        // a moves its whole stake to f, who stakes it: the same 400,000 BLY now sits with f.
        QVERIFY_OK(g.apply({g.signedTx(a, chain::UnstakeBody{400'000 * kCoin}),
                            g.tx(a, g.nonceOf(a) + 1, 1000, chain::TransferBody{f.publicKey(), 400'000 * kCoin})}));
        QVERIFY_OK(g.apply({g.signedTx(f, chain::StakeBody{400'000 * kCoin})}));
        QCOMPARE(*g.ledger->stake(f.publicKey()), 400'000 * kCoin);
        QCOMPARE(*g.ledger->stake(a.publicKey()), Amount(0));
        // Each key's first change after the snapshot left a checkpoint: its stake before that block.
        const std::uint64_t created = p0.createdHeight;
        QCOMPARE(*store::readCheckpoint(g.db, CheckpointKey{late.publicKey(), created}), std::optional<Amount>(0));
        QCOMPARE(*store::readCheckpoint(g.db, CheckpointKey{a.publicKey(), created + 1}), std::optional<Amount>(400'000 * kCoin));
        QCOMPARE(*store::readCheckpoint(g.db, CheckpointKey{f.publicKey(), created + 2}), std::optional<Amount>(0));
        QCOMPARE(store::readCheckpoints(g.db)->size(), std::size_t(3));

        // a still votes with its 400,000 (held at the snapshot); f and late cannot vote at all.
        QVERIFY_OK(g.apply({g.voteTx(a, id, VoteChoice::Yes), g.voteTx(b, id, VoteChoice::No)}));
        for (const crypto::KeyPair *k : {&f, &late}) {
            auto r = g.ledger->checkTransactionAgainstState(g.voteTx(*k, id, VoteChoice::Yes), payloadsPresent());
            QVERIFY(!r.ok());
            QVERIFY2(contains(r.error().message, "had no stake at height"), r.error().message.c_str());
        }
        ProposalRow p = g.row(id);
        QCOMPARE(p.yes, 400'000 * kCoin);
        QCOMPARE(p.no, 100'000 * kCoin);
        QVERIFY(p.yes + p.no + p.abstain + p.veto <= p.totalStake);
        // Changing the vote moves the weight, it does not add it again.
        QVERIFY_OK(g.apply({g.voteTx(a, id, VoteChoice::Abstain)}));
        p = g.row(id);
        QCOMPARE(p.yes, Amount(0));
        QCOMPARE(p.abstain, 400'000 * kCoin);
        auto again = g.ledger->checkTransactionAgainstState(g.voteTx(a, id, VoteChoice::Abstain), payloadsPresent());
        QVERIFY(!again.ok() && contains(again.error().message, "already votes abstain"));
        g.checkIntegrity();
        // Once the last open proposal closes, no checkpoint is kept.
        g.advanceTo(p.endHeight + 1);
        QCOMPARE(g.row(id).status, ProposalStatus::Rejected);  // 100,000 no against 0 yes
        QVERIFY(store::readCheckpoints(g.db)->empty());
        g.checkIntegrity();
    }

    void pactAmendmentNeedsThreeQuarters()
    {
        Gov g;
        // Stakes 74 / 2 / 24 (thousand BLY): with the 2 voting no, yes is 74 %; voting yes, 76 %.
        g.stakeAll({{0, 74'000 * kCoin}, {1, 2'000 * kCoin}, {2, 24'000 * kCoin}});
        const auto v2 = record(chain::ObjectChain::A, "genesis_pact", "genesis_pact.v2");
        const auto v3 = record(chain::ObjectChain::A, "genesis_pact", "genesis_pact.v3");
        QVERIFY_OK(g.apply({g.signedTx(g.keys[5], chain::PublishObjectBody{v2}),
                            g.tx(g.keys[5], g.nonceOf(g.keys[5]) + 1, 1000, chain::PublishObjectBody{v3})}));
        // The pact's head moves only through governance.
        auto direct = g.ledger->checkTransactionAgainstState(
            g.signedTx(g.keys[5], chain::PublishObjectBody{record(chain::ObjectChain::A, "genesis_pact", "genesis_pact")}),
            payloadsPresent());
        QVERIFY(!direct.ok() && contains(direct.error().message, "pact amendment"));
        // The fixture's pact is named genesis.pact; the governed head is genesis_pact, set by the amendment.
        const chain::Transaction p74 = g.signedTx(g.keys[6], proposalBody(objectAction(ProposalKind::PactAmendment, chain::objectId(v2))));
        const chain::Transaction p76 = g.signedTx(g.keys[7], proposalBody(objectAction(ProposalKind::PactAmendment, chain::objectId(v3))));
        QVERIFY_OK(g.apply({p74, p76}));
        const auto id74 = chain::transactionId(p74), id76 = chain::transactionId(p76);
        QCOMPARE(g.row(id74).endHeight, g.ledger->tip().height + g.votingBlocks(ProposalKind::PactAmendment));
        QVERIFY(g.votingBlocks(ProposalKind::PactAmendment) > g.votingBlocks(ProposalKind::Signal));
        QVERIFY_OK(g.apply({g.voteTx(g.keys[0], id74, VoteChoice::Yes), g.voteTx(g.keys[1], id74, VoteChoice::No, 0),
                            g.voteTx(g.keys[2], id74, VoteChoice::No)}));
        QVERIFY_OK(g.apply({g.voteTx(g.keys[0], id76, VoteChoice::Yes), g.voteTx(g.keys[1], id76, VoteChoice::Yes),
                            g.voteTx(g.keys[2], id76, VoteChoice::No)}));
        g.advanceTo(g.row(id76).endHeight + 1);
        QCOMPARE(g.row(id74).status, ProposalStatus::Rejected);
        QCOMPARE(g.row(id76).status, ProposalStatus::Passed);
        QCOMPARE(*g.ledger->head("genesis_pact"), std::optional<chain::ObjectId>(chain::objectId(v3)));
        g.checkIntegrity();
    }

    void vetoBurnsTheDeposit()
    {
        Gov g;
        g.stakeAll({{0, 400'000 * kCoin}, {1, 600'000 * kCoin}});
        const Amount before = *g.ledger->balance(g.keys[8].publicKey());
        const auto id = g.propose(g.keys[8], chain::ProposalAction{}, 50 * kCoin);
        QVERIFY_OK(g.apply({g.voteTx(g.keys[0], id, VoteChoice::Veto), g.voteTx(g.keys[1], id, VoteChoice::Yes)}));
        const Amount burned = g.ledger->supply()->burned;
        g.advanceTo(g.row(id).endHeight);
        QVERIFY_OK(g.apply({}));
        QCOMPARE(g.row(id).status, ProposalStatus::Vetoed);  // 40 % veto > 33 %
        QCOMPARE(*g.ledger->balance(g.keys[8].publicKey()), before - 50 * kCoin - 1000);
        QVERIFY(g.ledger->supply()->burned >= burned + 50 * kCoin);
        g.checkIntegrity();
    }

    void treasuryDatasetAndModelSpec()
    {
        Gov g;
        g.stakeAll({{0, 600'000 * kCoin}, {1, 400'000 * kCoin}});
        const auto dataset = record(chain::ObjectChain::D, "dataset", "data.wiki");
        const auto spec1 = record(chain::ObjectChain::A, "model_spec", "model.spec");
        const auto spec2 = record(chain::ObjectChain::A, "model_spec", "model.spec_v2");
        QVERIFY_OK(g.apply({g.signedTx(g.keys[5], chain::PublishObjectBody{dataset}),
                            g.tx(g.keys[5], g.nonceOf(g.keys[5]) + 1, 1000, chain::PublishObjectBody{spec1}),
                            g.tx(g.keys[5], g.nonceOf(g.keys[5]) + 2, 1000, chain::PublishObjectBody{spec2})}));
        // The pool holds fees and emission (about 3.2 BLY a block here); two spends of 60 % each pass, and
        // the pool's growth during the vote is too small to pay the second.
        g.advanceTo(g.ledger->tip().height + 200);
        const Amount pool = g.ledger->supply()->rewardPool;
        chain::ProposalAction spend;
        spend.kind = ProposalKind::TreasurySpend;
        spend.to = g.keys[30].publicKey();
        spend.amount = pool * 6 / 10;
        chain::ProposalAction tooMuch = spend;
        tooMuch.amount = pool + 1;
        auto refused = g.ledger->checkTransactionAgainstState(g.signedTx(g.keys[6], proposalBody(tooMuch)), payloadsPresent());
        QVERIFY(!refused.ok() && contains(refused.error().message, "reward pool holds"));
        // A dataset approval naming an object of the wrong chain is refused.
        refused = g.ledger->checkTransactionAgainstState(
            g.signedTx(g.keys[6], proposalBody(objectAction(ProposalKind::DatasetApproval, chain::objectId(spec2), 1))), payloadsPresent());
        QVERIFY(!refused.ok() && contains(refused.error().message, "not a chain D dataset"));
        const chain::Transaction t1 = g.signedTx(g.keys[6], proposalBody(spend));
        const chain::Transaction t2 = g.signedTx(g.keys[7], proposalBody(spend));
        const chain::Transaction t3 = g.signedTx(g.keys[8], proposalBody(objectAction(ProposalKind::DatasetApproval, chain::objectId(dataset), 1)));
        const chain::Transaction t4 = g.signedTx(g.keys[9], proposalBody(objectAction(ProposalKind::ModelSpecUpgrade, chain::objectId(spec2))));
        QVERIFY_OK(g.apply({t1, t2, t3, t4}));
        // One block per proposal (each voter's nonce follows from the ledger).
        for (const auto *t : {&t1, &t2, &t3, &t4})
            QVERIFY_OK(g.apply({g.voteTx(g.keys[0], chain::transactionId(*t), VoteChoice::Yes),
                                g.voteTx(g.keys[1], chain::transactionId(*t), VoteChoice::Yes)}));
        const Amount recipient = *g.ledger->balance(g.keys[30].publicKey());
        g.advanceTo(g.row(chain::transactionId(t4)).endHeight + 1);
        QCOMPARE(g.row(chain::transactionId(t1)).status, ProposalStatus::Passed);
        QCOMPARE(g.row(chain::transactionId(t2)).status, ProposalStatus::Failed);  // the pool no longer held it
        QCOMPARE(*g.ledger->balance(g.keys[30].publicKey()), recipient + spend.amount);
        QCOMPARE(g.row(chain::transactionId(t3)).status, ProposalStatus::Passed);
        const auto approval = *store::readDataset(g.db, chain::objectId(dataset));
        QVERIFY(approval.has_value());
        QCOMPARE(approval->tier, std::uint8_t(1));
        QCOMPARE(approval->proposal, chain::transactionId(t3));
        QCOMPARE(*g.ledger->head("model.spec"), std::optional<chain::ObjectId>(chain::objectId(spec2)));
        g.checkIntegrity();
    }

    // Review: the thresholds are exact integer comparisons at their boundaries, and the tally cannot
    // overflow however large the stakes.
    void tallyBoundariesAreExact()
    {
        const GovernanceConfig &c = GovernanceConfig::defaults();
        ProposalRow p;
        p.action = objectAction(ProposalKind::PactAmendment, crypto::Hash256{1});
        p.totalStake = 1000;
        auto with = [&](Amount yes, Amount no, Amount abstain, Amount veto) {
            ProposalRow q = p;
            q.yes = yes, q.no = no, q.abstain = abstain, q.veto = veto;
            return tally(q, c);
        };
        QVERIFY(with(750, 250, 0, 0).passes);    // exactly 75 %: passes ("at least")
        QVERIFY(!with(749, 251, 0, 0).passes);   // 74.9 %
        QVERIFY(with(760, 240, 0, 0).passes);
        QVERIFY(with(300, 100, 0, 0).quorum);    // exactly 40 % turnout
        QVERIFY(!with(300, 99, 0, 0).quorum);
        QVERIFY(!with(300, 99, 0, 0).passes);
        p.action = chain::ProposalAction{};      // signal: 50 % means a strict majority
        QVERIFY(!with(670, 0, 0, 330).vetoed);   // exactly 33 % veto: not more than the share
        QVERIFY(with(670, 0, 0, 330).passes);
        QVERIFY(with(669, 0, 0, 331).vetoed);
        QVERIFY(!with(669, 0, 0, 331).passes);
        QVERIFY(!with(500, 500, 0, 0).passes);
        QVERIFY(with(501, 499, 0, 0).passes);
        QVERIFY(with(200, 0, 800, 0).passes);    // abstain counts for quorum only
        p.totalStake = UINT64_MAX;               // 128-bit products: no wrap
        QVERIFY(with(UINT64_MAX, 0, 0, 0).passes);
        QVERIFY(!with(UINT64_MAX / 2, UINT64_MAX / 2 + 1, 0, 0).passes);
    }

    // Review: proposals in one block take numbers 1, 2, 3... in transaction order and share the stake
    // total of the block's start (both read once per block).
    void proposalsInOneBlockNumberInOrder()
    {
        Gov g;
        g.stakeAll({{0, 400'000 * kCoin}, {1, 100'000 * kCoin}});
        std::vector<chain::Transaction> txs;
        txs.push_back(g.signedTx(g.keys[2], chain::StakeBody{50'000 * kCoin}));  // after the snapshot
        for (std::size_t i = 10; i < 15; ++i) txs.push_back(g.signedTx(g.keys[i], proposalBody(chain::ProposalAction{})));
        QVERIFY_OK(g.apply(txs));
        for (std::size_t i = 1; i < txs.size(); ++i) {
            const ProposalRow p = g.row(chain::transactionId(txs[i]));
            QCOMPARE(p.number, std::uint64_t(i));
            QCOMPARE(p.totalStake, 500'000 * kCoin);
        }
        const auto next = g.propose(g.keys[15], chain::ProposalAction{});
        QCOMPARE(g.row(next).number, std::uint64_t(6));
        QCOMPARE(g.row(next).totalStake, 550'000 * kCoin);
        g.checkIntegrity();
    }

    // Review: the pool checks a transaction against the state the next block applies it to, i.e. after
    // the proposals ending there are carried out. Before, a proposal with the old (lower) deposit passed
    // the pool and failed the block, and the producer, seeing every transaction pass alone, dropped the
    // whole block's worth of transactions from its pool.
    void poolChecksSeeTheNextBlocksCloses()
    {
        Gov g;
        g.stakeAll({{0, 600'000 * kCoin}, {1, 400'000 * kCoin}});
        const auto id = g.propose(g.keys[10], paramChange(chain::GovParam::ProposalDepositBly, 20));
        QVERIFY_OK(g.apply({g.voteTx(g.keys[0], id, VoteChoice::Yes), g.voteTx(g.keys[1], id, VoteChoice::Yes)}));
        g.advanceTo(g.row(id).endHeight);  // the next block closes it
        const chain::Transaction cheap = g.signedTx(g.keys[11], proposalBody(chain::ProposalAction{}, 10 * kCoin));
        auto r = g.ledger->checkTransactionAgainstState(cheap, payloadsPresent());
        QVERIFY(!r.ok());
        QVERIFY2(contains(r.error().message, "proposal_deposit_bly"), r.error().message.c_str());
        QVERIFY(!g.ledger->checkTransactionRules(cheap, payloadsPresent()).ok());
        QVERIFY(!g.apply({cheap}).ok());  // the block agrees
        // The same change again would change nothing once the next block has made it.
        auto same = g.ledger->checkTransactionAgainstState(
            g.signedTx(g.keys[11], proposalBody(paramChange(chain::GovParam::ProposalDepositBly, 20), 20 * kCoin)),
            payloadsPresent());
        QVERIFY(!same.ok() && contains(same.error().message, "nothing would change"));
        const chain::Transaction enough = g.signedTx(g.keys[11], proposalBody(chain::ProposalAction{}, 20 * kCoin));
        QVERIFY_OK(g.ledger->checkTransactionAgainstState(enough, payloadsPresent()));
        QVERIFY_OK(g.apply({enough}));
        QCOMPARE(g.row(id).status, ProposalStatus::Passed);
        g.checkIntegrity();
    }

    // Review: the undo log's entry counts are bounded by the bytes left, not by a fixed 4 M cap that a
    // block with many rows could pass (it would then apply but never revert).
    void undoCountsAreBoundedByTheBytes()
    {
        UndoLog u;
        for (std::uint8_t i = 0; i < 3; ++i) {
            CheckpointKey k{crypto::PublicKey{}, i + 1u};
            k.key[0] = i;
            u.checkpoints.emplace_back(k, i ? std::optional<Amount>(i * kCoin) : std::nullopt);
        }
        const Bytes enc = encodeUndo(u);
        auto back = decodeUndo(enc);
        QVERIFY_OK(back);
        QVERIFY(*back == u);
        Bytes bad = enc;
        bad[0] = 0x7f;  // 127 accounts claimed, far fewer bytes left
        QVERIFY(!decodeUndo(bad).ok());
    }


    // F1: a block changing many stakes while many proposals with distinct snapshot heights are open writes
    // one checkpoint per changed key (one row per key per open snapshot height before: millions in a
    // full block); a second change of the same keys writes none, and a proposal opened later gets its own.
    void oneCheckpointPerChangedKeyPerBlock()
    {
        Gov g;
        g.stakeAll({{0, 400'000 * kCoin}});
        std::vector<crypto::Hash256> ids;
        for (std::size_t i = 10; i < 20; ++i) ids.push_back(g.propose(g.keys[i], chain::ProposalAction{}));  // a block each
        std::set<std::uint64_t> snapshots;
        for (const auto &id : ids) {
            QCOMPARE(g.row(id).status, ProposalStatus::Voting);
            snapshots.insert(g.row(id).snapshotHeight);
        }
        QCOMPARE(snapshots.size(), ids.size());
        QVERIFY(store::readCheckpoints(g.db)->empty());  // no stake changed yet

        std::vector<chain::Transaction> txs;
        for (std::size_t i = 20; i < 50; ++i) txs.push_back(g.signedTx(g.keys[i], chain::StakeBody{(i + 1) * kCoin}));
        txs.push_back(g.signedTx(g.keys[0], chain::UnstakeBody{1000 * kCoin}));
        QVERIFY_OK(g.apply(txs));
        const std::uint64_t h = g.ledger->tip().height;
        auto rows = *store::readCheckpoints(g.db);
        QCOMPARE(rows.size(), std::size_t(31));  // 31 changed keys; 10 open snapshot heights made it 310 rows
        for (const auto &[k, amount] : rows) {
            QCOMPARE(k.height, h);
            QCOMPARE(amount, k.key == g.keys[0].publicKey() ? 400'000 * kCoin : Amount(0));  // before the block
        }
        // The same keys change again: each already has a checkpoint above every open snapshot.
        txs.clear();
        for (std::size_t i = 20; i < 50; ++i) txs.push_back(g.signedTx(g.keys[i], chain::StakeBody{kCoin}));
        QVERIFY_OK(g.apply(txs));
        QCOMPARE(store::readCheckpoints(g.db)->size(), std::size_t(31));
        // A proposal opened now snapshots above those checkpoints: the next change of a key is its first after it.
        const auto later = g.propose(g.keys[20], chain::ProposalAction{});
        QVERIFY_OK(g.apply({g.signedTx(g.keys[21], chain::StakeBody{kCoin}), g.signedTx(g.keys[22], chain::UnstakeBody{kCoin})}));
        QCOMPARE(store::readCheckpoints(g.db)->size(), std::size_t(33));
        {
            State st(g.db);  // never flushed
            QCOMPARE(*votingWeight(st, g.row(ids[0]), g.keys[21].publicKey()), Amount(0));  // staked after
            QCOMPARE(*votingWeight(st, g.row(later), g.keys[21].publicKey()), 23 * kCoin);   // 22 + 1
            QCOMPARE(*votingWeight(st, g.row(later), g.keys[22].publicKey()), 24 * kCoin);   // 23 + 1, before the unstake
            QCOMPARE(*votingWeight(st, g.row(ids[9]), g.keys[0].publicKey()), 400'000 * kCoin);
            QCOMPARE(*votingWeight(st, g.row(later), g.keys[0].publicKey()), 399'000 * kCoin);
        }
        g.checkIntegrity();
        // The first ten close: what remains is above `later`'s snapshot; once it closes too, nothing.
        g.advanceTo(g.row(ids.back()).endHeight + 1);
        QCOMPARE(g.row(later).status, ProposalStatus::Voting);
        rows = *store::readCheckpoints(g.db);
        QCOMPARE(rows.size(), std::size_t(2));
        for (const auto &[k, amount] : rows) QVERIFY(k.height > g.row(later).snapshotHeight);
        g.checkIntegrity();
        g.advanceTo(g.row(later).endHeight + 1);
        QVERIFY(store::readCheckpoints(g.db)->empty());
        g.checkIntegrity();
    }

    // A key that changed several times between snapshots votes on each proposal with its stake at that
    // proposal's snapshot height (also when it changes in the proposal's own block and in the voting
    // block), and the checkpoints go as the proposals close.
    void weightAtEachSnapshotIsTheStakeThen()
    {
        Gov g;
        const crypto::KeyPair &k = g.keys[0];
        const PublicKey key = k.publicKey();
        g.stakeAll({{0, 100 * kCoin}});                                                   // 100
        const auto p1 = g.propose(g.keys[10], chain::ProposalAction{});                   // snapshot: 100
        QVERIFY_OK(g.apply({g.signedTx(k, chain::StakeBody{50 * kCoin})}));               // 150: checkpoint 100
        const std::uint64_t c1 = g.ledger->tip().height;
        QVERIFY_OK(g.apply({g.signedTx(k, chain::StakeBody{10 * kCoin})}));               // 160: none (c1 is above p1's)
        // p2 snapshots 160; k unstakes in p2's own block, after it: a checkpoint of 160.
        const chain::Transaction t2 = g.signedTx(g.keys[11], proposalBody(chain::ProposalAction{}));
        const auto p2 = chain::transactionId(t2);
        QVERIFY_OK(g.apply({t2, g.signedTx(k, chain::UnstakeBody{40 * kCoin})}));         // 120
        const std::uint64_t c2 = g.ledger->tip().height;
        const auto p3 = g.propose(g.keys[12], chain::ProposalAction{});                   // snapshot: 120
        QVERIFY_OK(g.apply({g.signedTx(k, chain::StakeBody{380 * kCoin})}));              // 500: checkpoint 120
        const std::uint64_t c3 = g.ledger->tip().height;
        QVERIFY_OK(g.apply({g.signedTx(k, chain::UnstakeBody{100 * kCoin})}));            // 400: none
        QCOMPARE(g.row(p1).snapshotHeight, c1 - 2);
        QCOMPARE(g.row(p2).snapshotHeight, c2 - 1);
        QCOMPARE(g.row(p3).snapshotHeight, c2);
        using Rows = std::vector<std::pair<CheckpointKey, Amount>>;
        QCOMPARE(*store::readCheckpoints(g.db),
                 (Rows{{CheckpointKey{key, c1}, 100 * kCoin}, {CheckpointKey{key, c2}, 160 * kCoin}, {CheckpointKey{key, c3}, 120 * kCoin}}));
        {
            State st(g.db);
            QCOMPARE(*votingWeight(st, g.row(p1), key), 100 * kCoin);
            QCOMPARE(*votingWeight(st, g.row(p2), key), 160 * kCoin);
            QCOMPARE(*votingWeight(st, g.row(p3), key), 120 * kCoin);
        }
        // The votes, in a block that changes k's stake first: each weighs the stake at its snapshot.
        QVERIFY_OK(g.apply({g.signedTx(k, chain::StakeBody{kCoin}), g.voteTx(k, p1, VoteChoice::Yes, 1),
                            g.voteTx(k, p2, VoteChoice::Yes, 2), g.voteTx(k, p3, VoteChoice::No, 3)}));
        QCOMPARE((*store::readVote(g.db, VoteKey{p1, key}))->weight, 100 * kCoin);
        QCOMPARE((*store::readVote(g.db, VoteKey{p2, key}))->weight, 160 * kCoin);
        QCOMPARE((*store::readVote(g.db, VoteKey{p3, key}))->weight, 120 * kCoin);
        QCOMPARE(g.row(p3).no, 120 * kCoin);
        QCOMPARE(store::readCheckpoints(g.db)->size(), std::size_t(3));  // c3 is above every open snapshot
        g.checkIntegrity();

        // Each close drops the checkpoints at or below the lowest snapshot still open.
        g.advanceTo(g.row(p1).endHeight + 1);
        QCOMPARE(g.row(p1).status, ProposalStatus::Passed);
        QCOMPARE(*store::readCheckpoints(g.db), (Rows{{CheckpointKey{key, c2}, 160 * kCoin}, {CheckpointKey{key, c3}, 120 * kCoin}}));
        g.checkIntegrity();
        g.advanceTo(g.row(p2).endHeight + 1);
        QCOMPARE(*store::readCheckpoints(g.db), (Rows{{CheckpointKey{key, c3}, 120 * kCoin}}));
        {
            State st(g.db);
            QCOMPARE(*votingWeight(st, g.row(p3), key), 120 * kCoin);
        }
        g.advanceTo(g.row(p3).endHeight + 1);
        QVERIFY(store::readCheckpoints(g.db)->empty());
        g.checkIntegrity();
    }

    void revertRestoresEveryGovernanceRow();
    void revertRestoresCheckpoints();
};

namespace {

// A testnet ledger (undo logs are kept on networks with a validator set) with a single validator and a
// governance config whose periods are a few blocks.
struct TestnetGov {
    QTemporaryDir dir;
    storage::Database db;
    std::unique_ptr<Ledger> ledger;
    crypto::KeyPair validator = crypto::KeyPair::generate();
    std::vector<crypto::KeyPair> keys;

    explicit TestnetGov(std::uint64_t votingSeconds = 8)
    {
        for (int i = 0; i < 6; ++i) keys.push_back(crypto::KeyPair::generate());
        storage::DatabaseOptions o;
        o.synchronous = storage::DatabaseOptions::Synchronous::Normal;
        auto d = storage::Database::open(dir.filePath(QStringLiteral("node.sqlite")), o);
        db = std::move(*d);
        (void)storage::migrate(db, ledgerMigrations());
        GovernanceConfig config = GovernanceConfig::defaults();
        config.testnet.votingPeriodSeconds = votingSeconds;  // 8: 4 blocks of 2 s
        auto l = Ledger::open(db, LedgerOptions{Network::Testnet, TokenomicsParams::defaults(), config});
        ledger = std::make_unique<Ledger>(std::move(*l));
        GenesisSpec spec;
        const Amount supply = TokenomicsParams::defaults().genesisSupply;
        spec.stakes.emplace_back(validator.publicKey(), 1'000'000 * kCoin);
        const Amount each = (supply - 1'000'000 * kCoin) / keys.size();
        for (std::size_t i = 0; i < keys.size(); ++i)
            spec.allocations.emplace_back(keys[i].publicKey(), i + 1 < keys.size() ? each : supply - 1'000'000 * kCoin - each * (keys.size() - 1));
        spec.pact = pactRecord();
        spec.timeMs = 1'790'000'000'000ULL;
        (void)ledger->applyGenesis(spec);
    }
    template <typename Body>
    chain::Transaction tx(const crypto::KeyPair &k, const Body &body, std::uint64_t nonceAdd = 0)
    {
        chain::Transaction t = chain::makeTransaction(networkParams(Network::Testnet).networkId,
                                                      *ledger->nonce(k.publicKey()) + nonceAdd, 1000, body);
        chain::signTransaction(t, k);
        return t;
    }
    Status apply(std::vector<chain::Transaction> txs)
    {
        chain::Block b;
        b.header.height = ledger->tip().height + 1;
        b.header.parent = ledger->tipId();
        b.header.slot = ledger->tip().slot + 1;
        b.header.timeMs = ledger->tip().timeMs + 2000;
        b.header.proposer = validator.publicKey();
        b.transactions = std::move(txs);
        b.header.txRoot = chain::computeTxRoot(b.transactions);
        BLYAN_TRY(b.header.stateRoot, ledger->previewStateRoot(b, payloadsPresent()));
        chain::signBlock(b.header, validator);
        auto r = ledger->applyBlock(b, payloadsPresent());
        if (!r) return r.error();
        return {};
    }
    // Every governance table, the supply, balances and stakes, and the state root.
    QByteArray snapshot()
    {
        QByteArray out;
        for (const char *sql : {"SELECT * FROM proposals ORDER BY id", "SELECT * FROM proposal_votes ORDER BY 1, 2",
                                "SELECT * FROM stake_checkpoints ORDER BY 1, 2", "SELECT * FROM params ORDER BY 1",
                                "SELECT * FROM dataset_approvals ORDER BY 1", "SELECT * FROM governance_events ORDER BY seq",
                                "SELECT * FROM accounts ORDER BY 1", "SELECT * FROM stakes ORDER BY 1",
                                "SELECT genesis, minted, burned, reward_pool FROM supply"}) {
            auto st = db.prepare(sql);
            for (;;) {
                auto r = st->step();
                if (!r.ok() || !*r) break;
                for (int c = 0; c < st->columnCount(); ++c) {
                    const ByteView blob = st->columnBlobView(c);
                    out += QByteArray::number(st->columnInt64(c)) + '/' +
                           QByteArray(reinterpret_cast<const char *>(blob.data()), static_cast<qsizetype>(blob.size())) + '|';
                }
                out += '\n';
            }
            out += "--\n";
        }
        out += QByteArray(reinterpret_cast<const char *>(ledger->stateRoot().data()), 32);
        return out;
    }
};

}  // namespace

void TestGovernance::revertRestoresEveryGovernanceRow()
{
    TestnetGov t;
    std::vector<QByteArray> states{t.snapshot()};
    std::vector<chain::Block> applied;
    auto step = [&](std::vector<chain::Transaction> txs) {
        QVERIFY_OK(t.apply(std::move(txs)));
        states.push_back(t.snapshot());
    };
    step({t.tx(t.keys[0], chain::StakeBody{300'000 * kCoin}), t.tx(t.keys[1], chain::StakeBody{200'000 * kCoin})});
    const chain::Transaction prop = t.tx(t.keys[2], proposalBody(paramChange(chain::GovParam::MinValidatorStakeBly, 5000), 1000 * kCoin));
    step({prop});
    const auto id = chain::transactionId(prop);
    chain::GovernanceVoteBody yes{id, VoteChoice::Yes}, no{id, VoteChoice::No};
    // Votes, a stake moving after the snapshot (a checkpoint), a changed vote.
    step({t.tx(t.keys[0], yes), t.tx(t.keys[1], no), t.tx(t.keys[1], chain::UnstakeBody{100'000 * kCoin}, 1)});
    step({t.tx(t.keys[1], yes)});
    // The end block: passes (validator 1 M + 500 k stake, 500 k voting yes is 33 %+ turnout), executes.
    auto row = store::readProposal(t.db, id);
    QVERIFY(row.ok() && row->has_value());
    while (t.ledger->tip().height < (*row)->endHeight) step({});
    row = store::readProposal(t.db, id);
    QCOMPARE((*row)->status, ProposalStatus::Passed);
    QCOMPARE(t.ledger->liveParams()->minValidatorStake, 5000 * kCoin);
    QVERIFY(store::readCheckpoints(t.db)->empty());
    QVERIFY_OK(t.ledger->checkSupplyIdentity());
    QCOMPARE(*t.ledger->recomputeStateRoot(), t.ledger->stateRoot());

    // Revert block by block: every row and the root are as they were at each height.
    std::vector<chain::Block> reverted;
    while (t.ledger->tip().height > 0) {
        auto b = t.ledger->revertTip();
        QVERIFY_OK(b);
        reverted.push_back(*b);
        QVERIFY2(t.snapshot() == states[t.ledger->tip().height],
                 qPrintable(QStringLiteral("after reverting to height %1").arg(t.ledger->tip().height)));
        QCOMPARE(*t.ledger->recomputeStateRoot(), t.ledger->stateRoot());
    }
    // The same blocks apply again to the same state.
    for (auto it = reverted.rbegin(); it != reverted.rend(); ++it) QVERIFY_OK(t.ledger->applyBlock(*it, payloadsPresent()));
    QCOMPARE(t.snapshot(), states.back());
}

// F1's checkpoints on a testnet ledger: three proposals with distinct snapshot heights open, one block
// changing five stakes (five checkpoints), a later change (none), the closes that prune them; every
// block reverts to the exact rows and root, and the same blocks apply again.
void TestGovernance::revertRestoresCheckpoints()
{
    TestnetGov t(16);  // 8-block voting periods
    std::vector<QByteArray> states{t.snapshot()};
    auto step = [&](std::vector<chain::Transaction> txs) {
        QVERIFY_OK(t.apply(std::move(txs)));
        states.push_back(t.snapshot());
    };
    auto checkpoints = [&] { return store::readCheckpoints(t.db)->size(); };
    // Stakes stay below testnet's validator minimum, so the validator set never changes.
    step({t.tx(t.keys[0], chain::StakeBody{1000 * kCoin}), t.tx(t.keys[1], chain::StakeBody{2000 * kCoin})});
    std::vector<crypto::Hash256> ids;
    for (std::size_t i = 2; i < 5; ++i) {
        const chain::Transaction p = t.tx(t.keys[i], proposalBody(chain::ProposalAction{}, 1000 * kCoin));
        ids.push_back(chain::transactionId(p));
        step({p});
    }
    QCOMPARE(checkpoints(), std::size_t(0));
    const std::size_t before = states.size();
    step({t.tx(t.keys[0], chain::StakeBody{10 * kCoin}), t.tx(t.keys[1], chain::UnstakeBody{500 * kCoin}),
          t.tx(t.keys[2], chain::StakeBody{300 * kCoin}), t.tx(t.keys[3], chain::StakeBody{400 * kCoin}),
          t.tx(t.keys[5], chain::StakeBody{600 * kCoin})});
    QCOMPARE(checkpoints(), std::size_t(5));  // three open snapshot heights made it 15 rows
    step({t.tx(t.keys[0], chain::StakeBody{10 * kCoin}), t.tx(t.keys[0], chain::GovernanceVoteBody{ids[0], VoteChoice::Yes}, 1),
          t.tx(t.keys[1], chain::GovernanceVoteBody{ids[2], VoteChoice::No})});
    QCOMPARE(checkpoints(), std::size_t(5));
    QCOMPARE((*store::readVote(t.db, VoteKey{ids[0], t.keys[0].publicKey()}))->weight, 1000 * kCoin);
    QCOMPARE((*store::readVote(t.db, VoteKey{ids[2], t.keys[1].publicKey()}))->weight, 2000 * kCoin);
    const auto last = store::readProposal(t.db, ids.back());
    QVERIFY(last.ok() && last->has_value());
    while (t.ledger->tip().height < (*last)->endHeight) step({});
    QCOMPARE(checkpoints(), std::size_t(0));
    QVERIFY_OK(t.ledger->checkSupplyIdentity());
    QCOMPARE(*t.ledger->recomputeStateRoot(), t.ledger->stateRoot());

    std::vector<chain::Block> reverted;
    while (t.ledger->tip().height > 0) {
        auto b = t.ledger->revertTip();
        QVERIFY_OK(b);
        reverted.push_back(*b);
        QVERIFY2(t.snapshot() == states[t.ledger->tip().height],
                 qPrintable(QStringLiteral("after reverting to height %1").arg(t.ledger->tip().height)));
        QCOMPARE(*t.ledger->recomputeStateRoot(), t.ledger->stateRoot());
        if (t.ledger->tip().height == before) QCOMPARE(checkpoints(), std::size_t(5));  // the pruned rows are back
        if (t.ledger->tip().height == before - 1) QCOMPARE(checkpoints(), std::size_t(0));
    }
    for (auto it = reverted.rbegin(); it != reverted.rend(); ++it) QVERIFY_OK(t.ledger->applyBlock(*it, payloadsPresent()));
    QCOMPARE(t.snapshot(), states.back());
}

QTEST_GUILESS_MAIN(TestGovernance)
#include "test_governance.moc"
