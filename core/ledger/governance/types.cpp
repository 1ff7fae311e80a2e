#include "ledger/governance/types.h"

namespace blyan::ledger {

const char *proposalStatusName(ProposalStatus s)
{
    switch (s) {
    case ProposalStatus::Voting: return "voting";
    case ProposalStatus::Passed: return "passed";
    case ProposalStatus::Rejected: return "rejected";
    case ProposalStatus::NoQuorum: return "no_quorum";
    case ProposalStatus::Vetoed: return "vetoed";
    case ProposalStatus::Failed: return "failed";
    }
    return "unknown";
}

void ProposalRow::encode(Writer &w) const
{
    w.u64(number);
    w.raw(proposer);
    w.bytes(action.encode());
    w.u64(deposit);
    w.u64(createdHeight);
    w.u64(snapshotHeight);
    w.u64(endHeight);
    w.u64(totalStake);
    w.u64(yes);
    w.u64(no);
    w.u64(abstain);
    w.u64(veto);
    w.u8(static_cast<std::uint8_t>(status));
    w.u64(closedHeight);
}

Expected<ProposalRow> ProposalRow::decode(Reader &r)
{
    ProposalRow p;
    BLYAN_TRY(p.number, r.u64());
    BLYAN_TRY(p.proposer, r.fixedArray<32>("proposal proposer"));
    BLYAN_TRY(const Bytes action, r.bytes(64, "proposal action"));
    BLYAN_TRY(p.action, chain::ProposalAction::decode(action));
    BLYAN_TRY(p.deposit, r.u64());
    BLYAN_TRY(p.createdHeight, r.u64());
    BLYAN_TRY(p.snapshotHeight, r.u64());
    BLYAN_TRY(p.endHeight, r.u64());
    BLYAN_TRY(p.totalStake, r.u64());
    BLYAN_TRY(p.yes, r.u64());
    BLYAN_TRY(p.no, r.u64());
    BLYAN_TRY(p.abstain, r.u64());
    BLYAN_TRY(p.veto, r.u64());
    BLYAN_TRY(const std::uint8_t status, r.u8());
    if (status > static_cast<std::uint8_t>(ProposalStatus::Failed))
        return makeError(ErrorCode::Malformed, "proposal status " + std::to_string(status) + " is unknown");
    p.status = static_cast<ProposalStatus>(status);
    BLYAN_TRY(p.closedHeight, r.u64());
    return p;
}

}  // namespace blyan::ledger
