#pragma once
// Read-only governance queries over the committed state and history, for the RPC methods (one page or
// one proposal at a time, never a whole table).

#include "ledger/governance/types.h"
#include "storage/database.h"

#include <optional>
#include <vector>

namespace blyan::ledger::governance {

struct ProposalEntry {
    crypto::Hash256 id{};
    ProposalRow row;
};

// Newest first; `open` keeps voting proposals only (nullopt: all, false: closed ones); numbers below
// `beforeNumber` (0: from the newest).
Expected<std::vector<ProposalEntry>> listProposals(storage::Database &db, std::optional<bool> open,
                                                   std::uint64_t beforeNumber, int limit);
Expected<std::optional<ProposalEntry>> proposalByNumber(storage::Database &db, std::uint64_t number);

struct VoteEntry {
    crypto::Hash256 proposal{};
    crypto::PublicKey voter{};
    VoteRow vote;
};
// The votes on a proposal, heaviest first, and how many there are.
Expected<std::vector<VoteEntry>> proposalVotes(storage::Database &db, const crypto::Hash256 &proposal, int limit);
Expected<std::uint64_t> proposalVoteCount(storage::Database &db, const crypto::Hash256 &proposal);
// Every vote of `voter`, newest first.
Expected<std::vector<VoteEntry>> votesBy(storage::Database &db, const crypto::PublicKey &voter, int limit);
// A proposal's history, oldest first.
Expected<std::vector<GovernanceEvent>> proposalEvents(storage::Database &db, const crypto::Hash256 &proposal, int limit);
Expected<std::vector<std::pair<crypto::Hash256, DatasetApproval>>> datasetApprovals(storage::Database &db, int limit);

}  // namespace blyan::ledger::governance
