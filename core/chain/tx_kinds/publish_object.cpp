#include "chain/tx_kinds/publish_object.h"

namespace blyan::chain {

Bytes PublishObjectBody::encode() const { return encodeObjectRecord(record); }

Expected<PublishObjectBody> PublishObjectBody::decode(ByteView body)
{
    BLYAN_TRY(auto rec, decodeObjectRecord(body));
    return PublishObjectBody{std::move(rec)};
}

Status PublishObjectBody::check(const Transaction &) const { return checkObjectRecord(record); }

const TxKindHandler &publishObjectHandler()
{
    static const BodyHandler<PublishObjectBody> handler;
    return handler;
}

}  // namespace blyan::chain
