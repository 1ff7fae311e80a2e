#pragma once
// The mempool's AccountView (mempool.h) over the ledger's committed state, so the node can hand its
// Mempool the same accounts that blocks are applied to.

#include "ledger/ledger.h"
#include "ledger/mempool.h"

namespace blyan::ledger {

class LedgerAccountView final : public AccountView {
public:
    // `ledger` must outlive the view; both are used from the node's validation thread only.
    explicit LedgerAccountView(Ledger &ledger) : ledger_(&ledger) {}

    Expected<AccountState> account(const PublicKey &key) const override
    {
        // Reading does not change the ledger; its queries are non-const only because a SQLite read
        // steps a prepared statement.
        BLYAN_TRY(const Amount balance, ledger_->balance(key));
        BLYAN_TRY(const std::uint64_t nonce, ledger_->nonce(key));
        return AccountState{balance, nonce};
    }

private:
    Ledger *ledger_;
};

}  // namespace blyan::ledger
