// transfer: amount moves from the sender to `to`; the recipient account springs into existence.
#include "chain/tx_kinds/transfer.h"
#include "ledger/state_handler.h"

namespace blyan::ledger {

namespace {

class TransferState final : public TxStateHandler {
public:
    chain::TxKind kind() const override { return chain::TxKind::Transfer; }
    Status apply(TxContext &ctx) const override
    {
        BLYAN_TRY(const auto body, chain::transactionBody<chain::TransferBody>(ctx.tx));
        BLYAN_TRY(const Amount total, chain::checkedAdd(body.amount, ctx.tx.fee, "amount + fee"));
        BLYAN_TRY(Account sender, ctx.state.account(ctx.tx.from));
        if (sender.balance < body.amount)
            return makeError(ErrorCode::InvalidArgument,
                             "balance " + chain::formatAmount(sender.balance + ctx.tx.fee) + " of " +
                                 ctx.address(ctx.tx.from) + " is less than amount + fee " +
                                 chain::formatAmount(total));
        sender.balance -= body.amount;
        BLYAN_CHECK(ctx.state.setAccount(ctx.tx.from, sender));
        BLYAN_TRY(Account recipient, ctx.state.account(body.to));
        // The address is formatted only on failure: Bech32m per transfer would be a measurable cost.
        auto credited = chain::checkedAdd(recipient.balance, body.amount, "balance");
        if (!credited) return credited.error().context("crediting " + ctx.address(body.to));
        recipient.balance = *credited;
        BLYAN_CHECK(ctx.state.setAccount(body.to, recipient));
        return {};
    }
};

}  // namespace

const TxStateHandler &transferStateHandler()
{
    static const TransferState handler;
    return handler;
}

}  // namespace blyan::ledger
