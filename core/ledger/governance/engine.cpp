#include "ledger/governance/engine.h"

#include "chain/address.h"

namespace blyan::ledger {

namespace {

__extension__ typedef unsigned __int128 u128;

using chain::GovParam;
using chain::ProposalKind;

std::uint64_t defaultValue(GovParam p, Network network, const TokenomicsParams &base, const GovernanceConfig &config)
{
    switch (p) {
    case GovParam::FeeBurnPercent: return base.feeBurnPercent;
    case GovParam::AnnualEmissionPercent:
        return base.supplyCap ? static_cast<std::uint64_t>(static_cast<u128>(base.annualEmission) * 100 / base.supplyCap) : 0;
    case GovParam::MinValidatorStakeBly: return networkParams(network).minValidatorStakeBly;
    case GovParam::ProposalDepositBly: return config.network(network).proposalDeposit / chain::kCoin;
    }
    return 0;
}

// Carries out a passed proposal. An Error here is a defect or corruption (the block fails); a
// proposal that cannot be carried out returns false (status Failed).
Expected<bool> execute(State &state, const crypto::Hash256 &id, const ProposalRow &p, std::uint64_t height)
{
    const chain::ProposalAction &a = p.action;
    switch (a.kind) {
    case ProposalKind::Signal: return true;
    case ProposalKind::ParameterChange:
        BLYAN_CHECK(state.setParam(a.param, a.value));
        return true;
    case ProposalKind::DatasetApproval:
        if (a.tier == 0) BLYAN_CHECK(state.setDataset(a.object, std::nullopt));
        else BLYAN_CHECK(state.setDataset(a.object, DatasetApproval{a.tier, id, height}));
        return true;
    case ProposalKind::ModelSpecUpgrade:
        BLYAN_CHECK(state.setHead(std::string(chain::kModelSpecHeadName), a.object));
        return true;
    case ProposalKind::PactAmendment:
        BLYAN_CHECK(state.setHead(std::string(chain::kPactHeadName), a.object));
        return true;
    case ProposalKind::TreasurySpend: {
        BLYAN_TRY(Supply s, state.supply());
        if (s.rewardPool < a.amount) return false;  // the pool was spent or is smaller than voted
        BLYAN_TRY(Account to, state.account(a.to));
        BLYAN_TRY(to.balance, chain::checkedAdd(to.balance, a.amount, "treasury spend recipient balance"));
        s.rewardPool -= a.amount;
        BLYAN_CHECK(state.setSupply(s));
        BLYAN_CHECK(state.setAccount(a.to, to));
        return true;
    }
    }
    return makeError(ErrorCode::Corrupt, "proposal " + crypto::hashToHex(id) + " has an unknown kind");
}

}  // namespace

Expected<std::vector<ParamValue>> paramValues(State &state, Network network, const TokenomicsParams &base,
                                              const GovernanceConfig &config)
{
    std::vector<ParamValue> out;
    for (const auto &info : chain::govParams()) {
        ParamValue v;
        v.info = &info;
        v.defaultValue = defaultValue(info.id, network, base, config);
        BLYAN_TRY(const auto stored, state.param(static_cast<std::uint8_t>(info.id)));
        v.value = stored.value_or(v.defaultValue);
        v.changed = stored.has_value();
        out.push_back(v);
    }
    return out;
}

Expected<LiveParams> liveParams(State &state, Network network, const TokenomicsParams &base,
                                const GovernanceConfig &config)
{
    LiveParams live;
    live.tokenomics = base;
    BLYAN_TRY(const auto values, paramValues(state, network, base, config));
    for (const ParamValue &v : values) {
        switch (v.info->id) {
        case GovParam::FeeBurnPercent: live.tokenomics.feeBurnPercent = static_cast<std::uint32_t>(v.value); break;
        case GovParam::AnnualEmissionPercent:
            // Only a changed value is recomputed, so the config's own figure stays exact.
            if (v.changed) live.tokenomics.annualEmission = static_cast<Amount>(static_cast<u128>(base.supplyCap) * v.value / 100);
            break;
        case GovParam::MinValidatorStakeBly: {
            BLYAN_TRY(live.minValidatorStake, chain::checkedMul(v.value, chain::kCoin, "min_validator_stake_bly"));
            break;
        }
        case GovParam::ProposalDepositBly: {
            BLYAN_TRY(live.proposalDeposit, chain::checkedMul(v.value, chain::kCoin, "proposal_deposit_bly"));
            break;
        }
        }
    }
    return live;
}

TallyResult tally(const ProposalRow &p, const GovernanceConfig &config)
{
    const KindRule &rule = config.rule(p.action.kind);
    const u128 cast = u128(p.yes) + p.no + p.abstain + p.veto;
    const u128 decisive = u128(p.yes) + p.no + p.veto;  // abstain counts for quorum only
    TallyResult r;
    r.quorum = p.totalStake > 0 && cast * 100 >= u128(rule.quorumPercent) * p.totalStake;
    r.vetoed = r.quorum && u128(p.veto) * 100 > u128(config.vetoPercent) * cast;
    // "At least the threshold, and always more than half": 50 means a strict majority, 75 at least 75 %.
    r.passes = r.quorum && !r.vetoed && decisive > 0 && u128(p.yes) * 100 >= u128(rule.thresholdPercent) * decisive &&
               u128(p.yes) * 2 > decisive;
    return r;
}

Status closeProposals(State &state, std::uint64_t height, const GovernanceConfig &config, bool pruneCheckpoints)
{
    BLYAN_TRY(const auto ending, state.proposalsEndingBy(height));
    if (ending.empty()) return {};
    for (const crypto::Hash256 &id : ending) {
        BLYAN_TRY(auto row, state.proposal(id));
        if (!row) return makeError(ErrorCode::Corrupt, "proposal " + crypto::hashToHex(id) + " vanished while closing");
        ProposalRow p = *row;
        const TallyResult t = tally(p, config);
        if (!t.quorum) p.status = ProposalStatus::NoQuorum;
        else if (t.vetoed) p.status = ProposalStatus::Vetoed;
        else if (!t.passes) p.status = ProposalStatus::Rejected;
        else {
            BLYAN_TRY(const bool done, execute(state, id, p, height));
            p.status = done ? ProposalStatus::Passed : ProposalStatus::Failed;
        }
        // The deposit goes back unless the proposal was vetoed (spam, or an attack on the network): then
        // it is burned, which keeps the supply identity (held deposits are part of it).
        if (p.status == ProposalStatus::Vetoed) {
            BLYAN_TRY(Supply s, state.supply());
            BLYAN_TRY(s.burned, chain::checkedAdd(s.burned, p.deposit, "burned supply"));
            BLYAN_CHECK(state.setSupply(s));
        } else {
            BLYAN_TRY(Account proposer, state.account(p.proposer));
            BLYAN_TRY(proposer.balance, chain::checkedAdd(proposer.balance, p.deposit, "returned deposit"));
            BLYAN_CHECK(state.setAccount(p.proposer, proposer));
        }
        GovernanceEvent e;
        e.proposal = id;
        e.height = height;
        e.kind = GovernanceEventKind::Closed;
        e.choice = static_cast<std::uint8_t>(p.status);
        e.weight = p.deposit;
        state.addEvent(e);
        p.deposit = 0;
        p.closedHeight = height;
        BLYAN_CHECK(state.setProposal(id, p));
    }
    if (!pruneCheckpoints) return {};
    // Checkpoints at or below the lowest open snapshot height can no longer be the first above any open
    // snapshot (later proposals snapshot higher still); with no proposal open, none are needed. Only a
    // close raises the lowest open snapshot height, so this is the one place rows fall out of use, and
    // each row is deleted once.
    BLYAN_TRY(const auto open, state.openSnapshotHeights());
    const std::uint64_t upTo = open.empty() ? UINT64_MAX : *open.begin();
    BLYAN_TRY(const auto stale, state.stakeCheckpointsUpTo(upTo));
    for (const CheckpointKey &k : stale) BLYAN_CHECK(state.setStakeCheckpoint(k, std::nullopt));
    return {};
}

Status recordStakeCheckpoints(State &state, std::uint64_t height)
{
    const auto changed = state.changedStakes();  // key order
    if (changed.empty()) return {};
    BLYAN_TRY(const auto open, state.openSnapshotHeights());
    if (open.empty()) return {};
    // A key needs a checkpoint here when some open snapshot s < height has none of it in (s, height]:
    // this is its first change after s. The highest open s is the one most likely to lack one, so the
    // test is a single look-up per key: is there a checkpoint above it? (Every open s is below height:
    // a proposal of this block snapshots height - 1.) At most one row per changed key per block.
    const std::uint64_t highest = *open.rbegin();
    for (const auto &[key, before] : changed) {
        BLYAN_TRY(const auto above, state.firstStakeCheckpointAbove(key, highest));
        if (!above) BLYAN_CHECK(state.setStakeCheckpoint(CheckpointKey{key, height}, before));
    }
    return {};
}

Expected<Amount> votingWeight(State &state, const ProposalRow &p, const PublicKey &voter)
{
    // The first checkpoint above the snapshot holds the stake as it was at the snapshot (nothing changed
    // it in between, or that change would have left an earlier checkpoint). None: it has not changed
    // since, and the stake at the start of this block is the one at the snapshot.
    BLYAN_TRY(const auto above, state.firstStakeCheckpointAbove(voter, p.snapshotHeight));
    if (above) return above->second;
    return state.stakeBeforeBlock(voter);
}

}  // namespace blyan::ledger
