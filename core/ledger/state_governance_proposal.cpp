// governance_proposal: locks the deposit and opens a proposal whose id is the txid (docs/protocol.md
// "Governance"). Stateful rules: the deposit reaches the live proposal_deposit_bly; the object a
// dataset approval, model-spec upgrade or pact amendment names is published and of the right chain and
// kind; a change would change something; somebody has stake to vote with. The snapshot is the stake as
// it stood after the previous block (ledger/governance/engine.h explains how it stays fixed).
#include "chain/tx_kinds/governance_proposal.h"
#include "ledger/state_handler.h"

namespace blyan::ledger {

namespace {

using chain::ProposalKind;

Status checkObject(State &state, const chain::ObjectId &id, chain::ObjectChain chain, const char *kind)
{
    BLYAN_TRY(const auto o, state.object(id));
    if (!o)
        return makeError(ErrorCode::NotFound, "object " + crypto::hashToHex(id) + " is not published; publish it first");
    if (o->record.chain != chain || o->record.kind != kind)
        return makeError(ErrorCode::InvalidArgument,
                         "object " + crypto::hashToHex(id) + " ('" + o->record.name + "') is a chain " +
                             std::string(1, chain::objectChainLetter(o->record.chain)) + " " + o->record.kind +
                             ", not a chain " + std::string(1, chain::objectChainLetter(chain)) + " " + kind);
    return {};
}

Status checkHeadMoves(State &state, std::string_view head, const chain::ObjectId &to)
{
    BLYAN_TRY(const auto current, state.head(std::string(head)));
    if (current && *current == to)
        return makeError(ErrorCode::InvalidArgument, "object " + crypto::hashToHex(to) + " already is the " +
                                                         std::string(head) + " head: nothing would change");
    return {};
}

Status checkAction(TxContext &ctx, const chain::ProposalAction &a)
{
    State &state = ctx.state;
    switch (a.kind) {
    case ProposalKind::Signal: return {};
    case ProposalKind::ParameterChange: {
        BLYAN_TRY(const auto values, paramValues(state, ctx.network, ctx.params.tokenomics, ctx.governance));
        for (const auto &v : values)
            if (static_cast<std::uint8_t>(v.info->id) == a.param && v.value == a.value)
                return makeError(ErrorCode::InvalidArgument, std::string(v.info->name) + " already is " +
                                                                 std::to_string(a.value) + " " + v.info->unit +
                                                                 ": nothing would change");
        return {};
    }
    case ProposalKind::DatasetApproval: {
        BLYAN_CHECK(checkObject(state, a.object, chain::ObjectChain::D, "dataset"));
        BLYAN_TRY(const auto current, state.dataset(a.object));
        if (a.tier == 0 && !current)
            return makeError(ErrorCode::InvalidArgument, "dataset " + crypto::hashToHex(a.object) +
                                                             " is not approved: there is no approval to withdraw");
        if (current && current->tier == a.tier)
            return makeError(ErrorCode::InvalidArgument, "dataset " + crypto::hashToHex(a.object) + " already is tier " +
                                                             std::to_string(a.tier) + ": nothing would change");
        return {};
    }
    case ProposalKind::ModelSpecUpgrade:
        BLYAN_CHECK(checkObject(state, a.object, chain::ObjectChain::A, "model_spec"));
        return checkHeadMoves(state, chain::kModelSpecHeadName, a.object);
    case ProposalKind::PactAmendment:
        BLYAN_CHECK(checkObject(state, a.object, chain::ObjectChain::A, "genesis_pact"));
        return checkHeadMoves(state, chain::kPactHeadName, a.object);
    case ProposalKind::TreasurySpend: {
        BLYAN_TRY(const Supply s, state.supply());
        if (a.amount > s.rewardPool)
            return makeError(ErrorCode::InvalidArgument, "the reward pool holds " + chain::formatAmount(s.rewardPool) +
                                                             ", less than the " + chain::formatAmount(a.amount) +
                                                             " to spend");
        return {};
    }
    }
    return makeError(ErrorCode::InvalidArgument, "unknown proposal kind");
}

class GovernanceProposalState final : public TxStateHandler {
public:
    chain::TxKind kind() const override { return chain::TxKind::GovernanceProposal; }
    Status apply(TxContext &ctx) const override
    {
        BLYAN_TRY(const auto body, chain::transactionBody<chain::GovernanceProposalBody>(ctx.tx));
        if (body.deposit < ctx.params.proposalDeposit)
            return makeError(ErrorCode::InvalidArgument,
                             "deposit " + chain::formatAmount(body.deposit) + " is below the " +
                                 chain::formatAmount(ctx.params.proposalDeposit) +
                                 " a proposal must lock (proposal_deposit_bly); lock at least that much");
        BLYAN_CHECK(checkAction(ctx, body.action));
        BLYAN_TRY(const Amount total, ctx.state.totalStakeBeforeBlock());
        if (total == 0)
            return makeError(ErrorCode::InvalidArgument,
                             "nobody has stake at height " + std::to_string(ctx.height - 1) +
                                 ", so no vote could reach quorum; stake BLY first");
        BLYAN_CHECK(debitSender(ctx, body.deposit, "deposit"));
        BLYAN_TRY(const std::uint64_t count, ctx.state.proposalCount());
        const GovernanceConfig &config = ctx.governance;
        ProposalRow p;
        p.number = count + 1;
        p.proposer = ctx.tx.from;
        p.action = body.action;
        p.deposit = body.deposit;
        p.createdHeight = ctx.height;
        p.snapshotHeight = ctx.height - 1;
        p.endHeight = ctx.height + config.votingBlocks(ctx.network, body.action.kind);
        p.totalStake = total;
        const crypto::Hash256 id = chain::transactionId(ctx.tx);
        BLYAN_CHECK(ctx.state.setProposal(id, p));
        GovernanceEvent e;
        e.proposal = id;
        e.height = ctx.height;
        e.kind = GovernanceEventKind::Created;
        e.actor = ctx.tx.from;
        e.weight = body.deposit;
        e.txid = id;
        ctx.state.addEvent(e);
        return {};
    }
};

}  // namespace

const TxStateHandler &governanceProposalStateHandler()
{
    static const GovernanceProposalState handler;
    return handler;
}

}  // namespace blyan::ledger
