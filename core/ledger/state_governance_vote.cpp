// governance_vote: records or changes the sender's vote on an open proposal, weighted by its stake at the
// proposal's snapshot height, and moves the running tally (the old choice loses the weight, the new one
// gains it). Refused: an unknown or closed proposal, a sender without stake at the snapshot, the same
// choice again.
#include "chain/tx_kinds/governance_vote.h"
#include "ledger/state_handler.h"

namespace blyan::ledger {

namespace {

Amount &tallyOf(ProposalRow &p, chain::VoteChoice c)
{
    switch (c) {
    case chain::VoteChoice::Yes: return p.yes;
    case chain::VoteChoice::No: return p.no;
    case chain::VoteChoice::Abstain: return p.abstain;
    case chain::VoteChoice::Veto: break;
    }
    return p.veto;
}

class GovernanceVoteState final : public TxStateHandler {
public:
    chain::TxKind kind() const override { return chain::TxKind::GovernanceVote; }
    Status apply(TxContext &ctx) const override
    {
        BLYAN_TRY(const auto body, chain::transactionBody<chain::GovernanceVoteBody>(ctx.tx));
        BLYAN_TRY(const auto row, ctx.state.proposal(body.proposal));
        if (!row)
            return makeError(ErrorCode::NotFound, "there is no proposal " + crypto::hashToHex(body.proposal) +
                                                      "; listproposals shows the proposals and their ids");
        ProposalRow p = *row;
        const std::string label = "proposal #" + std::to_string(p.number);
        if (p.status != ProposalStatus::Voting || ctx.height >= p.endHeight)
            return makeError(ErrorCode::InvalidArgument, "voting on " + label + " ended at height " +
                                                             std::to_string(p.endHeight) + "; votes no longer change it");
        BLYAN_TRY(const Amount weight, votingWeight(ctx.state, p, ctx.tx.from));
        if (weight == 0)
            return makeError(ErrorCode::InvalidArgument,
                             ctx.address(ctx.tx.from) + " had no stake at height " + std::to_string(p.snapshotHeight) +
                                 ", the snapshot of " + label + ": only stake held then votes on it");
        const VoteKey key{body.proposal, ctx.tx.from};
        BLYAN_TRY(const auto previous, ctx.state.vote(key));
        if (previous && previous->choice == body.choice)
            return makeError(ErrorCode::AlreadyExists, ctx.address(ctx.tx.from) + " already votes " +
                                                           std::string(chain::voteChoiceName(body.choice)) + " on " +
                                                           label + "; choose another answer to change the vote");
        if (previous) {
            Amount &old = tallyOf(p, previous->choice);
            BLYAN_TRY(old, chain::checkedSub(old, previous->weight, "tally"));
        }
        Amount &now = tallyOf(p, body.choice);
        BLYAN_TRY(now, chain::checkedAdd(now, weight, "tally"));
        BLYAN_CHECK(ctx.state.setVote(key, VoteRow{body.choice, weight, ctx.height}));
        BLYAN_CHECK(ctx.state.setProposal(body.proposal, p));
        GovernanceEvent e;
        e.proposal = body.proposal;
        e.height = ctx.height;
        e.kind = GovernanceEventKind::Vote;
        e.actor = ctx.tx.from;
        e.choice = static_cast<std::uint8_t>(body.choice);
        e.weight = weight;
        e.txid = chain::transactionId(ctx.tx);
        ctx.state.addEvent(e);
        return {};
    }
};

}  // namespace

const TxStateHandler &governanceVoteStateHandler()
{
    static const GovernanceVoteState handler;
    return handler;
}

}  // namespace blyan::ledger
