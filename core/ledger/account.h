#pragma once
// An account's spendable state: what the ledger stores and what the mempool checks against.
// Its own header so that the mempool does not depend on the SQLite-backed state.

#include "chain/amount.h"

#include <cstdint>

namespace blyan::ledger {

struct Account {
    chain::Amount balance = 0;
    std::uint64_t nonce = 0;  // the nonce the account's next transaction must carry
    bool operator==(const Account &) const = default;
};

}  // namespace blyan::ledger
