#pragma once
// stake: lock `amount` of the sender's balance as validator stake (DESIGN.md section 5).
//   body = amount varint

#include "chain/tx_kind.h"

namespace blyan::chain {

struct StakeBody {
    static constexpr TxKind kKind = TxKind::Stake;
    static constexpr const char *kName = "stake";
    static constexpr std::size_t kMaxSize = 10;

    Amount amount = 0;

    Bytes encode() const;
    static Expected<StakeBody> decode(ByteView body);
    Status check(const Transaction &tx) const;  // amount > 0
    bool operator==(const StakeBody &) const = default;
};

const TxKindHandler &stakeHandler();

}  // namespace blyan::chain
