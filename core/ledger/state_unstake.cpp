// unstake: stake -> unbonding on a validator-set network (ledger/unbonding.h: released to the balance
// `unbonding_epochs` epochs later, slashable until then); stake -> balance at once on a devnet, which has
// no validator set and so nothing to slash.
#include "chain/tx_kinds/unstake.h"
#include "ledger/state_handler.h"
#include "ledger/unbonding.h"

namespace blyan::ledger {

namespace {

class UnstakeState final : public TxStateHandler {
public:
    chain::TxKind kind() const override { return chain::TxKind::Unstake; }
    Status apply(TxContext &ctx) const override
    {
        BLYAN_TRY(const auto body, chain::transactionBody<chain::UnstakeBody>(ctx.tx));
        BLYAN_TRY(const Amount staked, ctx.state.stake(ctx.tx.from));
        if (staked < body.amount)
            return makeError(ErrorCode::InvalidArgument,
                             "stake " + chain::formatAmount(staked) + " of " + ctx.address(ctx.tx.from) +
                                 " is less than the " + chain::formatAmount(body.amount) + " to unstake");
        BLYAN_CHECK(ctx.state.setStake(ctx.tx.from, staked - body.amount));
        const std::uint64_t delay = networkParams(ctx.network).unbondingEpochs;
        BLYAN_TRY(const auto consensus, ctx.state.consensus());
        if (consensus && delay > 0) {
            const UnbondingKey k{ctx.tx.from, unbondingReleaseEpoch(consensus->epoch, delay)};
            BLYAN_TRY(const Amount pending, ctx.state.unbonding(k));
            BLYAN_TRY(const Amount sum, chain::checkedAdd(pending, body.amount, "unbonding amount"));
            return ctx.state.setUnbonding(k, sum);
        }
        BLYAN_TRY(Account sender, ctx.state.account(ctx.tx.from));
        BLYAN_TRY(sender.balance, chain::checkedAdd(sender.balance, body.amount, "balance"));
        return ctx.state.setAccount(ctx.tx.from, sender);
    }
};

}  // namespace

const TxStateHandler &unstakeStateHandler()
{
    static const UnstakeState handler;
    return handler;
}

}  // namespace blyan::ledger
