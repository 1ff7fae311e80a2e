#pragma once
// governance_vote: the sender's vote on an open proposal, weighted by its stake at the proposal's
// snapshot height. A later vote of the same sender replaces the earlier one until voting ends.
//   body = proposal [32] (the proposal's txid) | choice u8 (1 yes, 2 no, 3 abstain, 4 veto)

#include "chain/governance.h"
#include "chain/tx_kind.h"

namespace blyan::chain {

struct GovernanceVoteBody {
    static constexpr TxKind kKind = TxKind::GovernanceVote;
    static constexpr const char *kName = "governance_vote";
    static constexpr std::size_t kMaxSize = 33;

    Hash256 proposal{};
    VoteChoice choice = VoteChoice::Yes;

    Bytes encode() const;
    static Expected<GovernanceVoteBody> decode(ByteView body);  // a known choice
    Status check(const Transaction &tx) const;                   // nothing beyond decode
    bool operator==(const GovernanceVoteBody &) const = default;
};

const TxKindHandler &governanceVoteHandler();

}  // namespace blyan::chain
