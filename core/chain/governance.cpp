#include "chain/governance.h"

#include "chain/field.h"

#include <array>

namespace blyan::chain {

namespace {

// Hard bounds: no vote can take a parameter outside them. They keep the economy within DESIGN.md
// section 6 (emission at most 10 % of the cap a year; some of every fee burned and some paid to the
// pool) and keep validation and proposals reachable (a minimum stake nobody can reach would stop the
// validator set from ever changing; a deposit of millions would end governance).
constexpr std::array<GovParamInfo, 4> kParams{{
    {GovParam::FeeBurnPercent, "fee_burn_percent", "percent", 10, 90, "share of every fee that is burned"},
    {GovParam::AnnualEmissionPercent, "annual_emission_percent_of_cap", "percent", 0, 10,
     "new BLY minted per year, as a share of the supply cap"},
    {GovParam::MinValidatorStakeBly, "min_validator_stake_bly", "BLY", 100, 10'000'000,
     "smallest stake that joins the validator set at the next epoch"},
    {GovParam::ProposalDepositBly, "proposal_deposit_bly", "BLY", 1, 1'000'000,
     "smallest deposit a new proposal must lock"},
}};

constexpr std::array<std::string_view, kProposalKindCount + 1> kKindNames{
    "", "signal", "parameter_change", "dataset_approval", "model_spec_upgrade", "treasury_spend", "pact_amendment"};
constexpr std::array<std::string_view, 5> kChoiceNames{"", "yes", "no", "abstain", "veto"};

bool needsObject(ProposalKind k)
{
    return k == ProposalKind::DatasetApproval || k == ProposalKind::ModelSpecUpgrade || k == ProposalKind::PactAmendment;
}

}  // namespace

std::span<const GovParamInfo> govParams() { return kParams; }

const GovParamInfo *findGovParam(std::uint8_t id)
{
    for (const auto &p : kParams)
        if (static_cast<std::uint8_t>(p.id) == id) return &p;
    return nullptr;
}

const GovParamInfo *findGovParam(std::string_view name)
{
    for (const auto &p : kParams)
        if (name == p.name) return &p;
    return nullptr;
}

std::string_view proposalKindName(ProposalKind k)
{
    const auto i = static_cast<std::size_t>(k);
    return i >= 1 && i < kKindNames.size() ? kKindNames[i] : std::string_view("unknown");
}

std::optional<ProposalKind> parseProposalKind(std::string_view name)
{
    for (std::size_t i = 1; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<ProposalKind>(i);
    return std::nullopt;
}

std::string_view voteChoiceName(VoteChoice c)
{
    const auto i = static_cast<std::size_t>(c);
    return i >= 1 && i < kChoiceNames.size() ? kChoiceNames[i] : std::string_view("unknown");
}

std::optional<VoteChoice> parseVoteChoice(std::string_view name)
{
    for (std::size_t i = 1; i < kChoiceNames.size(); ++i)
        if (kChoiceNames[i] == name) return static_cast<VoteChoice>(i);
    return std::nullopt;
}

void ProposalAction::encode(Writer &w) const
{
    w.u8(static_cast<std::uint8_t>(kind));
    switch (kind) {
    case ProposalKind::Signal: break;
    case ProposalKind::ParameterChange:
        w.u8(param);
        w.varint(value);
        break;
    case ProposalKind::DatasetApproval:
        w.raw(object);
        w.u8(tier);
        break;
    case ProposalKind::ModelSpecUpgrade:
    case ProposalKind::PactAmendment: w.raw(object); break;
    case ProposalKind::TreasurySpend:
        w.raw(to);
        w.varint(amount);
        break;
    }
}

Bytes ProposalAction::encode() const
{
    Writer w;
    encode(w);
    return w.take();
}

Expected<ProposalAction> ProposalAction::decode(Reader &r)
{
    ProposalAction a;
    BLYAN_TRY(const std::uint8_t kind, detail::field(r.u8(), "proposal.kind"));
    if (kind < 1 || kind > kProposalKindCount)
        return detail::fieldError(ErrorCode::InvalidArgument, "proposal.kind",
                                  std::to_string(kind) + " is not a proposal kind (1 signal .. 6 pact_amendment)");
    a.kind = static_cast<ProposalKind>(kind);
    switch (a.kind) {
    case ProposalKind::Signal: break;
    case ProposalKind::ParameterChange: {
        BLYAN_TRY(a.param, detail::field(r.u8(), "proposal.param"));
        BLYAN_TRY(a.value, detail::field(r.varint(), "proposal.value"));
        break;
    }
    case ProposalKind::DatasetApproval: {
        BLYAN_TRY(a.object, detail::readHash(r, "proposal.object"));
        BLYAN_TRY(a.tier, detail::field(r.u8(), "proposal.tier"));
        break;
    }
    case ProposalKind::ModelSpecUpgrade:
    case ProposalKind::PactAmendment: {
        BLYAN_TRY(a.object, detail::readHash(r, "proposal.object"));
        break;
    }
    case ProposalKind::TreasurySpend: {
        BLYAN_TRY(a.to, detail::field(r.fixedArray<32>("proposal.to"), "proposal.to"));
        BLYAN_TRY(a.amount, detail::field(r.varint(), "proposal.amount"));
        break;
    }
    }
    return a;
}

Expected<ProposalAction> ProposalAction::decode(ByteView bytes)
{
    Reader r(bytes);
    BLYAN_TRY(ProposalAction a, decode(r));
    BLYAN_CHECK(r.finish());
    return a;
}

Status ProposalAction::check() const
{
    if (kind == ProposalKind::ParameterChange) {
        const GovParamInfo *p = findGovParam(param);
        if (!p) {
            std::string known;
            for (const auto &i : kParams) known += (known.empty() ? "" : ", ") + std::to_string(int(i.id)) + " " + i.name;
            return detail::fieldError(ErrorCode::InvalidArgument, "proposal.param",
                                      std::to_string(param) + " is not a governable parameter (" + known + ")");
        }
        if (value < p->min || value > p->max)
            return detail::fieldError(ErrorCode::InvalidArgument, "proposal.value",
                                      std::string(p->name) + " must stay within " + std::to_string(p->min) + ".." +
                                          std::to_string(p->max) + " " + p->unit + " (hard bounds); " +
                                          std::to_string(value) + " is outside");
    }
    if (needsObject(kind) && object == crypto::Hash256{})
        return detail::fieldError(ErrorCode::InvalidArgument, "proposal.object", "must name a published object (not zero)");
    if (kind == ProposalKind::DatasetApproval && tier > kMaxDatasetTier)
        return detail::fieldError(ErrorCode::InvalidArgument, "proposal.tier",
                                  std::to_string(tier) + " is not a tier (1.." + std::to_string(kMaxDatasetTier) +
                                      ", or 0 to withdraw an approval)");
    if (kind == ProposalKind::TreasurySpend && amount == 0)
        return detail::fieldError(ErrorCode::InvalidArgument, "proposal.amount", "must be more than 0 BLY");
    return {};
}

}  // namespace blyan::chain
