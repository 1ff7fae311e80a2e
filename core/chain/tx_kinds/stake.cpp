#include "chain/tx_kinds/stake.h"

#include "chain/field.h"

namespace blyan::chain {

Bytes StakeBody::encode() const
{
    Writer w;
    w.varint(amount);
    return w.take();
}

Expected<StakeBody> StakeBody::decode(ByteView body)
{
    Reader r(body);
    StakeBody b;
    BLYAN_TRY(b.amount, detail::field(r.varint(), "amount"));
    BLYAN_CHECK(r.finish());
    return b;
}

Status StakeBody::check(const Transaction &) const
{
    if (amount == 0) return detail::fieldError(ErrorCode::InvalidArgument, "amount", "must be more than 0 BLY");
    return {};
}

const TxKindHandler &stakeHandler()
{
    static const BodyHandler<StakeBody> handler;
    return handler;
}

}  // namespace blyan::chain
