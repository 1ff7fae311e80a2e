#pragma once
// transfer: move `amount` from the sender to the account `to`.
//   body = to [32] | amount varint

#include "chain/tx_kind.h"

namespace blyan::chain {

struct TransferBody {
    static constexpr TxKind kKind = TxKind::Transfer;
    static constexpr const char *kName = "transfer";
    static constexpr std::size_t kMaxSize = 32 + 10;

    PublicKey to{};
    Amount amount = 0;

    Bytes encode() const;
    static Expected<TransferBody> decode(ByteView body);
    // amount > 0 and to != from (a self-transfer only burns a fee and clutters blocks).
    Status check(const Transaction &tx) const;
    bool operator==(const TransferBody &) const = default;
};

const TxKindHandler &transferHandler();

}  // namespace blyan::chain
