#include "chain/tx_kinds/transfer.h"

#include "chain/field.h"

namespace blyan::chain {

using detail::field;
using detail::fieldError;

Bytes TransferBody::encode() const
{
    // Built from the key rather than Writer::raw into an empty buffer: GCC 12 misreports that as an
    // overflow (-Wstringop-overflow false positive).
    Writer w;
    w.varint(amount);
    Bytes out(to.begin(), to.end());
    out.insert(out.end(), w.data().begin(), w.data().end());
    return out;
}

Expected<TransferBody> TransferBody::decode(ByteView body)
{
    Reader r(body);
    TransferBody b;
    BLYAN_TRY(b.to, field(r.fixedArray<32>("to"), "to"));
    BLYAN_TRY(b.amount, field(r.varint(), "amount"));
    BLYAN_CHECK(r.finish());
    return b;
}

Status TransferBody::check(const Transaction &tx) const
{
    if (amount == 0) return fieldError(ErrorCode::InvalidArgument, "amount", "must be more than 0 BLY");
    if (to == tx.from)
        return fieldError(ErrorCode::InvalidArgument, "to", "is the sender's own address: send to another account");
    return {};
}

const TxKindHandler &transferHandler()
{
    static const BodyHandler<TransferBody> handler;
    return handler;
}

}  // namespace blyan::chain
