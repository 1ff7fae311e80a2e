// slash_evidence: the voter of two conflicting votes loses its whole stake and everything it has unbonding
// (burned: the supply identity holds as stakes go down by what burned goes up) and leaves the active and
// previous validator sets at once, so its votes stop counting before the next epoch. The same evidence
// applies once (its id is stored); evidence against a key with nothing staked or unbonding is refused, so
// a submitter learns at once that it slashes nothing. Unbonding (ledger/unbonding.h) keeps an unstake
// slashable for `unbonding_epochs` epochs, the window for evidence to reach a block.
#include "chain/tx_kinds/slash_evidence.h"
#include "ledger/state_handler.h"

namespace blyan::ledger {

namespace {

class SlashEvidenceState final : public TxStateHandler {
public:
    chain::TxKind kind() const override { return chain::TxKind::SlashEvidence; }
    Status apply(TxContext &ctx) const override
    {
        BLYAN_TRY(const auto body, chain::transactionBody<chain::SlashEvidenceBody>(ctx.tx));
        const crypto::Hash256 id = body.evidenceId();
        BLYAN_TRY(const auto already, ctx.state.slash(id));
        if (already)
            return makeError(ErrorCode::AlreadyExists, "this evidence was already applied at height " +
                                                           std::to_string(already->height));
        const PublicKey &voter = body.a.voter;
        BLYAN_TRY(Amount slashed, ctx.state.stake(voter));
        BLYAN_TRY(const auto unbonding, ctx.state.unbondingsOf(voter));
        for (const auto &[k, amount] : unbonding) {
            BLYAN_TRY(slashed, chain::checkedAdd(slashed, amount, "slashed amount"));
            BLYAN_CHECK(ctx.state.setUnbonding(k, 0));
        }
        if (slashed == 0)
            return makeError(ErrorCode::InvalidArgument, ctx.address(voter) + " has no stake or unbonding stake to slash");
        BLYAN_CHECK(ctx.state.setStake(voter, 0));
        BLYAN_TRY(Supply s, ctx.state.supply());
        BLYAN_TRY(s.burned, chain::checkedAdd(s.burned, slashed, "burned supply"));
        BLYAN_CHECK(ctx.state.setSupply(s));
        BLYAN_TRY(const auto consensus, ctx.state.consensus());
        if (consensus) {
            BLYAN_CHECK(ctx.state.setValidator(ValidatorKey{consensus->epoch, voter}, 0));
            BLYAN_CHECK(ctx.state.setValidator(ValidatorKey{consensus->previousEpoch, voter}, 0));
        }
        return ctx.state.addSlash(id, SlashRecord{voter, ctx.height, slashed});
    }
};

}  // namespace

const TxStateHandler &slashEvidenceStateHandler()
{
    static const SlashEvidenceState handler;
    return handler;
}

}  // namespace blyan::ledger
