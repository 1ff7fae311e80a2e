#pragma once
// Governance vocabulary shared by the transaction kinds (tx_kinds/governance_*) and the ledger: what a
// proposal may do (its action), the vote choices, and the parameters governance may change with their
// hard bounds. Everything here is consensus: numbers are never reused or renumbered.
//
// A proposal's action, encoded inside the proposal body and again in the ledger's proposal row:
//   kind u8 | per kind:
//     signal              (nothing)
//     parameter_change    param u8 | value varint          (value in the parameter's unit, within its bounds)
//     dataset_approval    object [32] | tier u8             (a chain-D dataset; tier 0 withdraws the approval)
//     model_spec_upgrade  object [32]                       (a chain-A model_spec object: model.spec's new head)
//     treasury_spend      to [32] | amount varint           (paid from the reward pool)
//     pact_amendment      object [32]                       (a chain-A genesis_pact object: the pact's new head)

#include "chain/amount.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/codec.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace blyan::chain {

enum class ProposalKind : std::uint8_t {
    Signal = 1,
    ParameterChange = 2,
    DatasetApproval = 3,
    ModelSpecUpgrade = 4,
    TreasurySpend = 5,
    PactAmendment = 6,
};
inline constexpr std::uint8_t kProposalKindCount = 6;  // numbered 1..6

enum class VoteChoice : std::uint8_t { Yes = 1, No = 2, Abstain = 3, Veto = 4 };

// Governable parameters. Only parameters the ledger really reads are here (docs/protocol.md
// "Governance" says why the others are not): a change that nothing reads would be a promise the chain
// does not keep.
enum class GovParam : std::uint8_t {
    FeeBurnPercent = 1,            // share of each fee burned (the rest goes to the reward pool)
    AnnualEmissionPercent = 2,     // yearly emission, percent of the supply cap
    MinValidatorStakeBly = 3,      // smallest stake that enters the validator set (networks with one)
    ProposalDepositBly = 4,        // smallest deposit a proposal must lock
};

struct GovParamInfo {
    GovParam id;
    const char *name;   // "fee_burn_percent"
    const char *unit;   // "percent" or "BLY"
    std::uint64_t min;  // hard bounds, inclusive, in the unit
    std::uint64_t max;
    const char *what;   // one line for people
};

std::span<const GovParamInfo> govParams();
const GovParamInfo *findGovParam(std::uint8_t id);
const GovParamInfo *findGovParam(std::string_view name);

// Dataset tiers 1..kMaxDatasetTier (their names and quality weights are config/governance.json's);
// tier 0 in an approval proposal withdraws an approval.
inline constexpr std::uint8_t kMaxDatasetTier = 3;

// The heads governance moves (a publish_object under these names is refused after genesis for the pact).
inline constexpr std::string_view kPactHeadName = "genesis_pact";
inline constexpr std::string_view kModelSpecHeadName = "model.spec";

std::string_view proposalKindName(ProposalKind k);
std::optional<ProposalKind> parseProposalKind(std::string_view name);
std::string_view voteChoiceName(VoteChoice c);
std::optional<VoteChoice> parseVoteChoice(std::string_view name);

struct ProposalAction {
    ProposalKind kind = ProposalKind::Signal;
    std::uint8_t param = 0;       // parameter_change
    std::uint64_t value = 0;      // parameter_change
    crypto::Hash256 object{};     // dataset_approval, model_spec_upgrade, pact_amendment
    std::uint8_t tier = 0;        // dataset_approval
    crypto::PublicKey to{};       // treasury_spend
    Amount amount = 0;            // treasury_spend

    void encode(Writer &w) const;
    Bytes encode() const;
    // Structural decode: a known kind and its fields. Fields of other kinds stay zero.
    static Expected<ProposalAction> decode(Reader &r);
    static Expected<ProposalAction> decode(ByteView bytes);  // whole buffer, no trailing bytes
    // Stateless rules: a known parameter within its bounds, tier 0..3, amount > 0, a zero object id refused.
    Status check() const;
    bool operator==(const ProposalAction &) const = default;
};

}  // namespace blyan::chain
