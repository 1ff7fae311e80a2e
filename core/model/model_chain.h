#pragma once
// What the model subsystem needs from the chain, as an interface so that core/model does not depend on the
// node that owns the ledger (the node implements it over its worker thread; node/node_model_chain.cpp).
// Calls may block (they wait for the node worker) and are made from model threads only, never the UI.

#include "chain/object.h"
#include "chain/transaction.h"
#include "storage/object_store.h"
#include "util/error.h"

#include <optional>
#include <string>
#include <vector>

namespace blyan::model {

struct HeadObject {
    chain::ObjectId id{};
    chain::ObjectRecord record;
    std::uint64_t publishedHeight = 0;
};

enum class TxState { Pending, Included, Unknown };

class ModelChain {
public:
    virtual ~ModelChain() = default;
    // The head object of each name (nullopt where the name has none), in one round trip.
    virtual Expected<std::vector<std::optional<HeadObject>>> heads(const std::vector<std::string> &names) = 0;
    // Whether each object id is stored on the chain.
    virtual Expected<std::vector<bool>> published(const std::vector<chain::ObjectId> &ids) = 0;
    // Signs a publish_object transaction with the node key and adds it to the mempool.
    virtual Expected<chain::TxId> publish(const chain::ObjectRecord &record) = 0;
    virtual Expected<TxState> txState(const chain::TxId &txid) = 0;
    // The node's object store (a handle to the same shared state the chain checks payloads against).
    virtual Expected<storage::ObjectStore> objectStore() = 0;
};

}  // namespace blyan::model
