// core/consensus: the block tree's fork choice and FFG finality from votes (issue 8), on real headers,
// real Ed25519 votes and validator sets like the ledger's.

#include "consensus/block_tree.h"
#include "consensus/finality.h"

#include <QTest>

using namespace blyan;
using namespace blyan::consensus;

namespace {

std::uint32_t net() { return networkParams(Network::Testnet).networkId; }

chain::BlockHeader child(const chain::BlockHeader &parent, std::uint64_t slotStep = 1, std::uint8_t salt = 0)
{
    chain::BlockHeader h;
    h.height = parent.height + 1;
    h.parent = chain::blockId(parent);
    h.slot = parent.slot + slotStep;
    h.timeMs = parent.timeMs + 2000;
    h.txRoot[0] = salt;  // different blocks at one height
    return h;
}

chain::Vote vote(const crypto::KeyPair &k, const chain::BlockHeader &source, const chain::BlockHeader &target)
{
    chain::Vote v;
    v.networkId = net();
    v.sourceHeight = source.height;
    v.source = chain::blockId(source);
    v.targetHeight = target.height;
    v.target = chain::blockId(target);
    chain::signVote(v, k);
    return v;
}

struct Validators {
    std::vector<crypto::KeyPair> keys;
    ledger::ValidatorSet set;
    explicit Validators(std::vector<chain::Amount> stakes)
    {
        for (auto s : stakes) {
            keys.push_back(crypto::KeyPair::generate());
            set.members.emplace_back(keys.back().publicKey(), s);
        }
        std::sort(set.members.begin(), set.members.end());
    }
    SetForBlock setFor() const
    {
        return [this](const chain::BlockHeader &) -> Expected<ledger::ValidatorSet> { return set; };
    }
};

}  // namespace

class TestConsensus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void treeForkChoiceFollowsBodiesAndHeight()
    {
        chain::BlockHeader g;
        BlockTree t;
        t.reset(g, chain::blockId(g));
        const auto a1 = child(g), a2 = child(a1), a3 = child(a2);
        const auto b2 = child(a1, 2, 9), b3 = child(b2), b4 = child(b3);
        for (const auto &h : {a1, a2, a3, b2, b3, b4}) QVERIFY(t.addHeader(h).ok());
        QVERIFY(!t.addHeader(child(child(b4))).ok());  // parent unknown
        chain::BlockHeader badSlot = child(a3, 0);
        QVERIFY(!t.addHeader(badSlot).ok());
        const BlockId A1 = chain::blockId(a1), A3 = chain::blockId(a3), B2 = chain::blockId(b2), B4 = chain::blockId(b4);
        // Headers alone: the longest header chain is the sync target; without bodies the head stays at the root.
        QCOMPARE(t.bestHeaderTip(t.rootId()), B4);
        QCOMPARE(t.bestTip(t.rootId(), t.rootId()), t.rootId());
        for (const auto &h : {a1, a2, a3}) t.setHasBody(chain::blockId(h));
        QCOMPARE(t.bestTip(t.rootId(), A3), A3);
        QCOMPARE(t.missingBodies(B4).size(), std::size_t(3));
        for (const auto &h : {b2, b3, b4}) t.setHasBody(chain::blockId(h), chain::Block{h, {}});
        QCOMPARE(t.bestTip(t.rootId(), A3), B4);  // longer
        QCOMPARE(t.commonAncestor(A3, B4), A1);
        QCOMPARE(t.path(A1, B4).size(), std::size_t(3));
        QVERIFY(t.isAncestor(A1, B4));
        QVERIFY(!t.isAncestor(A3, B4));
        // The highest justified block wins over length: justified a3 keeps the head on branch a.
        QCOMPARE(t.bestTip(A3, B4), A3);
        // An invalid block takes its descendants with it.
        t.markInvalid(B2);
        QCOMPARE(t.bestTip(t.rootId(), A3), A3);
        QVERIFY(t.storedBody(B4) == nullptr);
        // Pruning to a new final block drops the other branch.
        t.prune(chain::blockId(a2));
        QVERIFY(!t.contains(B2));
        QVERIFY(!t.contains(A1));
        QCOMPARE(t.size(), std::size_t(2));
    }

    void equalHeightsKeepTheCurrentTip()
    {
        chain::BlockHeader g;
        BlockTree t;
        t.reset(g, chain::blockId(g));
        const auto a = child(g, 1, 1), b = child(g, 1, 2);
        QVERIFY(t.addHeader(a).ok());
        QVERIFY(t.addHeader(b).ok());
        t.setHasBody(chain::blockId(a));
        t.setHasBody(chain::blockId(b));
        QCOMPARE(t.bestTip(t.rootId(), chain::blockId(a)), chain::blockId(a));
        QCOMPARE(t.bestTip(t.rootId(), chain::blockId(b)), chain::blockId(b));
        QCOMPARE(t.bestTip(t.rootId(), t.rootId()), std::min(chain::blockId(a), chain::blockId(b)));
    }

    void supermajorityLinksJustifyAndFinalize()
    {
        Validators v({10, 10, 10, 10});
        chain::BlockHeader g;
        BlockTree t;
        t.reset(g, chain::blockId(g));
        FinalityTracker f;
        f.reset({0, chain::blockId(g)});
        std::vector<chain::BlockHeader> chainHeaders{g};
        for (int i = 0; i < 5; ++i) {
            chainHeaders.push_back(child(chainHeaders.back()));
            QVERIFY(t.addHeader(chainHeaders.back()).ok());
            t.setHasBody(chain::blockId(chainHeaders.back()));
        }
        // Two of four (50 %) is not enough.
        for (int k = 0; k < 2; ++k) QVERIFY(f.add(vote(v.keys[static_cast<std::size_t>(k)], g, chainHeaders[1])).stored);
        QVERIFY(!f.update(t, v.setFor()));
        QCOMPARE(f.justified().height, std::uint64_t(0));
        // Three of four: block 1 justified; a direct child of the justified genesis, so genesis final (already).
        QVERIFY(f.add(vote(v.keys[2], g, chainHeaders[1])).stored);
        f.update(t, v.setFor());
        QCOMPARE(f.justified().height, std::uint64_t(1));
        QCOMPARE(f.finalized().height, std::uint64_t(0));
        // 1 -> 2 by three: 2 justified, 1 final.
        for (int k = 1; k < 4; ++k) f.add(vote(v.keys[static_cast<std::size_t>(k)], chainHeaders[1], chainHeaders[2]));
        QVERIFY(f.update(t, v.setFor()));
        QCOMPARE(f.finalized().height, std::uint64_t(1));
        QCOMPARE(f.justified().height, std::uint64_t(2));
        QCOMPARE(f.linkVotes(chain::blockId(chainHeaders[1]), chain::blockId(chainHeaders[2])).size(), std::size_t(3));
        // A link that skips (2 -> 4) justifies 4 but finalizes nothing; 4 -> 5 then finalizes 4.
        for (int k = 0; k < 3; ++k) f.add(vote(v.keys[static_cast<std::size_t>(k)], chainHeaders[2], chainHeaders[4]));
        QVERIFY(!f.update(t, v.setFor()));
        QCOMPARE(f.justified().height, std::uint64_t(4));
        for (int k = 0; k < 3; ++k) f.add(vote(v.keys[static_cast<std::size_t>(k)], chainHeaders[4], chainHeaders[5]));
        QVERIFY(f.update(t, v.setFor()));
        QCOMPARE(f.finalized().height, std::uint64_t(4));
        QCOMPARE(f.storedVotes(), std::size_t(3));  // only votes above the final height stay
    }

    void stakeWeightCountsNotHeads()
    {
        // One validator with 70 % of the stake justifies alone; the three others together cannot.
        Validators v({70, 10, 10, 10});
        chain::BlockHeader g;
        BlockTree t;
        t.reset(g, chain::blockId(g));
        const auto b1 = child(g);
        QVERIFY(t.addHeader(b1).ok());
        const crypto::KeyPair *big = nullptr;
        for (const auto &k : v.keys)
            if (v.set.stakeOf(k.publicKey()) == 70) big = &k;
        FinalityTracker f;
        f.reset({0, chain::blockId(g)});
        for (const auto &k : v.keys)
            if (&k != big) f.add(vote(k, g, b1));
        f.update(t, v.setFor());
        QCOMPARE(f.justified().height, std::uint64_t(0));
        f.add(vote(*big, g, b1));
        f.update(t, v.setFor());
        QCOMPARE(f.justified().height, std::uint64_t(1));
    }

    void conflictingVotesAreReported()
    {
        Validators v({10, 10, 10, 10});
        chain::BlockHeader g;
        const auto a1 = child(g, 1, 1), b1 = child(g, 1, 2), a2 = child(a1), a3 = child(a2), a4 = child(a3);
        FinalityTracker f;
        f.reset({0, chain::blockId(g)});
        const chain::Vote first = vote(v.keys[0], g, a1);
        QVERIFY(f.add(first).stored);
        QVERIFY(!f.add(first).stored);  // the same vote again: nothing
        const auto dbl = f.add(vote(v.keys[0], g, b1));
        QVERIFY(!dbl.stored);
        QVERIFY(dbl.conflict && *dbl.conflict == first);
        // Surround: (a1 -> a4) after (a2 -> a3) by the same voter.
        const chain::Vote inner = vote(v.keys[1], a2, a3);
        QVERIFY(f.add(inner).stored);
        const auto sur = f.add(vote(v.keys[1], a1, a4));
        QVERIFY(sur.conflict && *sur.conflict == inner);
        QCOMPARE(chain::voteConflict(inner, vote(v.keys[1], a1, a4)), chain::VoteConflict::SurroundVote);
        // Different voters never conflict.
        QVERIFY(!f.add(vote(v.keys[2], g, b1)).conflict);
    }

    void votesForAForkCountOnThatFork()
    {
        // Votes for a block on a side branch justify it there; fork choice then follows it.
        Validators v({10, 10, 10});
        chain::BlockHeader g;
        BlockTree t;
        t.reset(g, chain::blockId(g));
        const auto a1 = child(g, 1, 1), a2 = child(a1), b1 = child(g, 2, 2);
        for (const auto &h : {a1, a2, b1}) {
            QVERIFY(t.addHeader(h).ok());
            t.setHasBody(chain::blockId(h));
        }
        QCOMPARE(t.bestTip(t.rootId(), chain::blockId(a2)), chain::blockId(a2));
        FinalityTracker f;
        f.reset({0, chain::blockId(g)});
        for (const auto &k : v.keys) f.add(vote(k, g, b1));
        f.update(t, v.setFor());
        QCOMPARE(f.justified().id, chain::blockId(b1));
        QCOMPARE(t.bestTip(f.justified().id, chain::blockId(a2)), chain::blockId(b1));
    }

    void certificatesProveFinality()
    {
        Validators v({10, 10, 10, 10});
        chain::BlockHeader g;
        BlockTree t;
        t.reset(g, chain::blockId(g));
        std::vector<chain::BlockHeader> hs{g};
        for (int i = 0; i < 6; ++i) {
            hs.push_back(child(hs.back()));
            QVERIFY(t.addHeader(hs.back()).ok());
            t.setHasBody(chain::blockId(hs.back()));
        }
        // A node that synced blocks without their votes learns finality from the 4 -> 5 link.
        std::vector<chain::Vote> cert;
        for (int k = 0; k < 3; ++k) cert.push_back(vote(v.keys[static_cast<std::size_t>(k)], hs[4], hs[5]));
        FinalityTracker f;
        f.reset({0, chain::blockId(g)});
        QVERIFY(!f.adoptCertificate({cert[0], cert[1]}, t, v.setFor()));  // 2 of 4: no proof
        QVERIFY(f.adoptCertificate(cert, t, v.setFor()));
        QCOMPARE(f.finalized().height, std::uint64_t(4));
        QCOMPARE(f.justified().height, std::uint64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestConsensus)
#include "test_consensus.moc"
