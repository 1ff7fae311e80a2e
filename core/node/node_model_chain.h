#pragma once
// The model subsystem's view of the chain (model/model_chain.h), over Node::callChain: every call runs on
// the node worker thread, where the ledger and the mempool live, and waits for the answer. Used from the
// model threads only (import, inference), never from the UI thread.

#include "model/model_chain.h"

namespace blyan::node {

class Node;

class NodeModelChain final : public model::ModelChain {
public:
    explicit NodeModelChain(Node *node) : node_(node) {}
    Expected<std::vector<std::optional<model::HeadObject>>> heads(const std::vector<std::string> &names) override;
    Expected<std::vector<bool>> published(const std::vector<chain::ObjectId> &ids) override;
    Expected<chain::TxId> publish(const chain::ObjectRecord &record) override;
    Expected<model::TxState> txState(const chain::TxId &txid) override;
    Expected<storage::ObjectStore> objectStore() override;

private:
    Node *node_;
};

}  // namespace blyan::node
