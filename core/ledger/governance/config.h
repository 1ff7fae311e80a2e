#pragma once
// Governance rules from config/governance.json (compiled in): quorum and threshold per proposal kind,
// the veto share, per-network voting periods and default deposit, and the dataset tiers. Consensus:
// every node of a network must read the same file. Parsed strictly (unknown or missing keys refused).

#include "chain/amount.h"
#include "chain/governance.h"
#include "util/error.h"
#include "util/network.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::ledger {

struct KindRule {
    std::uint32_t quorumPercent = 0;     // of all stake at the snapshot that must vote
    std::uint32_t thresholdPercent = 0;  // of yes + no + veto that yes must reach
};

struct NetworkGovernance {
    std::uint64_t votingPeriodSeconds = 0;
    std::uint64_t pactReviewSeconds = 0;  // a pact amendment's voting period (its review)
    chain::Amount proposalDeposit = 0;    // default until governance changes proposal_deposit_bly
};

struct DatasetTier {
    std::uint8_t tier = 0;
    std::string name;
    std::uint32_t qualityPermille = 0;
    std::string description;
};

struct GovernanceConfig {
    std::uint32_t vetoPercent = 0;
    std::array<KindRule, chain::kProposalKindCount + 1> rules{};  // indexed by ProposalKind
    NetworkGovernance devnet, testnet;
    std::vector<DatasetTier> tiers;                                // tiers 1..3, in order

    const KindRule &rule(chain::ProposalKind k) const { return rules[static_cast<std::size_t>(k)]; }
    const NetworkGovernance &network(Network n) const { return n == Network::Devnet ? devnet : testnet; }
    // The kind's voting period in blocks on `n`: its seconds over the slot length, rounded up (a block
    // per slot at most, so the period lasts at least that long).
    std::uint64_t votingBlocks(Network n, chain::ProposalKind k) const;
    const DatasetTier *tier(std::uint8_t t) const;

    static Expected<GovernanceConfig> fromJson(std::string_view json);
    static const GovernanceConfig &defaults();  // config/governance.json
};

}  // namespace blyan::ledger
