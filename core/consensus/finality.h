#pragma once
// Finality from validators' votes: Casper FFG with every block a checkpoint (DESIGN.md section 5,
// chain/vote.h, docs/protocol.md "Finality").
//
//   - The last final block is justified. A block T is justified when validators holding more than 2/3
//     of the stake of T's epoch set voted source S -> target T for one justified ancestor S of T (a
//     supermajority link).
//   - A justified block S becomes final when a supermajority link S -> T exists with T S's direct child.
//     Everything below a final block is final too, and a final block is never reverted.
//
// Accountable safety: two conflicting final blocks need more than 1/3 of the stake to have signed a
// double or surround vote, which anyone can prove with two signed votes (slash_evidence).
//
// The tracker keeps the votes for targets above the final height (bounded per voter) and detects
// conflicting pairs as votes arrive, so the node can submit evidence.

#include "chain/vote.h"
#include "consensus/block_tree.h"
#include "ledger/validator_set.h"

#include <functional>
#include <map>
#include <set>

namespace blyan::consensus {

struct Checkpoint {
    std::uint64_t height = 0;
    BlockId id{};
    bool operator==(const Checkpoint &) const = default;
};

// The validator set that counts votes on the block `header` (the set of its epoch).
using SetForBlock = std::function<Expected<ledger::ValidatorSet>(const chain::BlockHeader &header)>;

class FinalityTracker {
public:
    // Votes a voter may have stored at once (targets above the final height); older ones go first.
    static constexpr std::size_t kMaxVotesPerVoter = 256;

    void reset(const Checkpoint &finalized);

    struct Added {
        bool stored = false;                    // new and kept
        std::optional<chain::Vote> conflict;    // an earlier vote of the same voter it conflicts with
    };
    // A vote whose signature the caller checked (chain::checkVote). Votes for targets at or below the
    // final height are not kept (they cannot change anything) but are still checked for conflicts.
    Added add(const chain::Vote &vote);

    // Recomputes justification and finality over the stored votes and the tree. Returns true when the
    // final block moved (then prune the tree and the ledger's undo logs up to it).
    bool update(const BlockTree &tree, const SetForBlock &setFor);

    const Checkpoint &justified() const { return justified_; }
    const Checkpoint &finalized() const { return final_; }
    // The votes of the supermajority link that justified `target` from `source` (for a certificate).
    std::vector<chain::Vote> linkVotes(const BlockId &source, const BlockId &target) const;
    std::size_t storedVotes() const { return byId_.size(); }
    std::vector<chain::Vote> votes() const;  // every stored vote (for a peer that missed them)
    struct LinkInfo {
        std::uint64_t sourceHeight = 0, targetHeight = 0;
        BlockId source{}, target{};
        std::size_t votes = 0;
        bool sourceJustified = false, targetJustified = false;
    };
    // The links that have votes, for getconsensusinfo (how close each is to a supermajority).
    std::vector<LinkInfo> links() const;

    // Adopts a certificate: votes (checked by the caller) proving `finalized` final, if they do.
    bool adoptCertificate(const std::vector<chain::Vote> &votes, const BlockTree &tree, const SetForBlock &setFor);

private:
    void forget(const chain::Hash256 &voteId);
    void dropBelow(std::uint64_t height);

    Checkpoint final_, justified_;
    std::map<BlockId, std::uint64_t> justifiedSet_;                // id -> height, descendants of final
    std::map<chain::Hash256, chain::Vote> byId_;                   // every stored vote
    std::map<chain::PublicKey, std::map<std::uint64_t, chain::Hash256>> byVoter_;  // target height -> vote
    std::map<std::pair<BlockId, BlockId>, std::set<chain::Hash256>> links_;     // (source, target) -> votes
};

}  // namespace blyan::consensus
