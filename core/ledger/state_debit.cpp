#include "ledger/state_handler.h"

namespace blyan::ledger {

Status debitSender(TxContext &ctx, Amount amount, const char *what)
{
    BLYAN_TRY(const Amount total, chain::checkedAdd(amount, ctx.tx.fee, std::string(what) + " + fee"));
    BLYAN_TRY(Account sender, ctx.state.account(ctx.tx.from));
    if (sender.balance < amount)
        return makeError(ErrorCode::InvalidArgument, "balance " + chain::formatAmount(sender.balance + ctx.tx.fee) +
                                                         " of " + ctx.address(ctx.tx.from) + " is less than " + what +
                                                         " + fee " + chain::formatAmount(total));
    sender.balance -= amount;
    return ctx.state.setAccount(ctx.tx.from, sender);
}

}  // namespace blyan::ledger
