#include "chain/tx_kinds/governance_vote.h"

#include "chain/field.h"

namespace blyan::chain {

Bytes GovernanceVoteBody::encode() const
{
    Bytes out(proposal.begin(), proposal.end());
    out.push_back(static_cast<std::uint8_t>(choice));
    return out;
}

Expected<GovernanceVoteBody> GovernanceVoteBody::decode(ByteView body)
{
    Reader r(body);
    GovernanceVoteBody b;
    BLYAN_TRY(b.proposal, detail::readHash(r, "vote.proposal"));
    BLYAN_TRY(const std::uint8_t choice, detail::field(r.u8(), "vote.choice"));
    if (choice < 1 || choice > 4)
        return detail::fieldError(ErrorCode::InvalidArgument, "vote.choice",
                                  std::to_string(choice) + " is not a choice (1 yes, 2 no, 3 abstain, 4 veto)");
    b.choice = static_cast<VoteChoice>(choice);
    BLYAN_CHECK(r.finish());
    return b;
}

Status GovernanceVoteBody::check(const Transaction &) const { return {}; }

const TxKindHandler &governanceVoteHandler()
{
    static const BodyHandler<GovernanceVoteBody> handler;
    return handler;
}

}  // namespace blyan::chain
