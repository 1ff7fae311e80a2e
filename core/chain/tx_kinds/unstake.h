#pragma once
// unstake: ask to unlock `amount` of the sender's stake (the ledger applies the unbonding rules).
//   body = amount varint

#include "chain/tx_kind.h"

namespace blyan::chain {

struct UnstakeBody {
    static constexpr TxKind kKind = TxKind::Unstake;
    static constexpr const char *kName = "unstake";
    static constexpr std::size_t kMaxSize = 10;

    Amount amount = 0;

    Bytes encode() const;
    static Expected<UnstakeBody> decode(ByteView body);
    Status check(const Transaction &tx) const;  // amount > 0
    bool operator==(const UnstakeBody &) const = default;
};

const TxKindHandler &unstakeHandler();

}  // namespace blyan::chain
