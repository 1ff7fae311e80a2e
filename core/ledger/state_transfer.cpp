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
        BLYAN_CHECK(debitSender(ctx, body.amount, "amount"));
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
