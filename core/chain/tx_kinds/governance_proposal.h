#pragma once
// governance_proposal: opens a proposal that stakers vote on (DESIGN.md section 1; docs/protocol.md
// "Governance"). The sender locks `deposit` (at least the live proposal_deposit_bly), returned when the
// proposal closes unless it is vetoed. The proposal's id is this transaction's txid.
//   body = action (chain/governance.h) | title string | text string | deposit varint

#include "chain/governance.h"
#include "chain/tx_kind.h"

namespace blyan::chain {

inline constexpr std::size_t kMaxProposalTitle = 120;    // bytes of UTF-8
inline constexpr std::size_t kMaxProposalText = 16'384;  // bytes of UTF-8

struct GovernanceProposalBody {
    static constexpr TxKind kKind = TxKind::GovernanceProposal;
    static constexpr const char *kName = "governance_proposal";
    // action (1 + 32 + 10 at most) + title + text (each with a 3-byte varint length) + deposit
    static constexpr std::size_t kMaxSize = 1 + 32 + 10 + 3 + kMaxProposalTitle + 3 + kMaxProposalText + 10;

    ProposalAction action;
    std::string title;
    std::string text;
    Amount deposit = 0;

    Bytes encode() const;
    static Expected<GovernanceProposalBody> decode(ByteView body);
    // The action's rules; a title of 1..120 bytes without control characters or surrounding spaces; a
    // text of 1..16,384 bytes without control characters other than newline and tab; deposit > 0.
    Status check(const Transaction &tx) const;
    bool operator==(const GovernanceProposalBody &) const = default;
};

const TxKindHandler &governanceProposalHandler();

}  // namespace blyan::chain
