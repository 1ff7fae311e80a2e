#pragma once
// publish_object: anchor an object record (chain A/B/D, object.h) on the chain. The ledger checks its
// dependencies and the cycle rule (object_dag.h) and that the payload is present and matches.
//   body = object record encoding

#include "chain/object.h"
#include "chain/tx_kind.h"

namespace blyan::chain {

struct PublishObjectBody {
    static constexpr TxKind kKind = TxKind::PublishObject;
    static constexpr const char *kName = "publish_object";
    static constexpr std::size_t kMaxSize = kMaxObjectRecordSize;

    ObjectRecord record;

    Bytes encode() const;
    static Expected<PublishObjectBody> decode(ByteView body);
    Status check(const Transaction &tx) const;  // checkObjectRecord
    bool operator==(const PublishObjectBody &) const = default;
};

const TxKindHandler &publishObjectHandler();

}  // namespace blyan::chain
