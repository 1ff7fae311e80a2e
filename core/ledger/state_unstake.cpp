// unstake: stake -> balance, immediately. Epoch-delayed unbonding (stake stays slashable until the
// validator set changes) arrives with consensus (DESIGN.md section 5); until then there is no slashing
// for a delay to protect, and an immediate unstake keeps the supply identity simple.
#include "chain/tx_kinds/unstake.h"
#include "ledger/state_handler.h"

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
        BLYAN_TRY(Account sender, ctx.state.account(ctx.tx.from));
        BLYAN_TRY(sender.balance, chain::checkedAdd(sender.balance, body.amount, "balance"));
        BLYAN_CHECK(ctx.state.setStake(ctx.tx.from, staked - body.amount));
        BLYAN_CHECK(ctx.state.setAccount(ctx.tx.from, sender));
        return {};
    }
};

}  // namespace

const TxStateHandler &unstakeStateHandler()
{
    static const UnstakeState handler;
    return handler;
}

}  // namespace blyan::ledger
