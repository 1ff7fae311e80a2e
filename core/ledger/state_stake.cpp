// stake: balance -> stake of the same account. The validator set reads stakes; which stakes count
// when (epochs) is consensus's business.
#include "chain/tx_kinds/stake.h"
#include "ledger/state_handler.h"

namespace blyan::ledger {

namespace {

class StakeState final : public TxStateHandler {
public:
    chain::TxKind kind() const override { return chain::TxKind::Stake; }
    Status apply(TxContext &ctx) const override
    {
        BLYAN_TRY(const auto body, chain::transactionBody<chain::StakeBody>(ctx.tx));
        BLYAN_TRY(const Amount staked, ctx.state.stake(ctx.tx.from));
        BLYAN_TRY(const Amount newStake, chain::checkedAdd(staked, body.amount, "stake"));
        BLYAN_CHECK(debitSender(ctx, body.amount, "stake"));
        BLYAN_CHECK(ctx.state.setStake(ctx.tx.from, newStake));
        return {};
    }
};

}  // namespace

const TxStateHandler &stakeStateHandler()
{
    static const StakeState handler;
    return handler;
}

}  // namespace blyan::ledger
