#include "chain/tx_kinds/unstake.h"

#include "chain/field.h"

namespace blyan::chain {

Bytes UnstakeBody::encode() const
{
    Writer w;
    w.varint(amount);
    return w.take();
}

Expected<UnstakeBody> UnstakeBody::decode(ByteView body)
{
    Reader r(body);
    UnstakeBody b;
    BLYAN_TRY(b.amount, detail::field(r.varint(), "amount"));
    BLYAN_CHECK(r.finish());
    return b;
}

Status UnstakeBody::check(const Transaction &) const
{
    if (amount == 0) return detail::fieldError(ErrorCode::InvalidArgument, "amount", "must be more than 0 BLY");
    return {};
}

const TxKindHandler &unstakeHandler()
{
    static const BodyHandler<UnstakeBody> handler;
    return handler;
}

}  // namespace blyan::chain
