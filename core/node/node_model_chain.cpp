#include "node/node_model_chain.h"

#include "node/node.h"
#include "node/node_chain.h"

namespace blyan::node {

// callChain carries a QJsonValue; these requests hand their typed answers back through captures instead
// (the call waits, so the captured locals outlive the request).

Expected<std::vector<std::optional<model::HeadObject>>> NodeModelChain::heads(const std::vector<std::string> &names)
{
    std::vector<std::optional<model::HeadObject>> out;
    BLYAN_TRY(const auto ignored, node_->callChain([&](NodeChain &c) -> Expected<QJsonValue> {
        for (const auto &name : names) {
            BLYAN_TRY(const auto id, c.ledger().head(name));
            if (!id) {
                out.emplace_back();
                continue;
            }
            BLYAN_TRY(const auto o, c.ledger().object(*id));
            if (!o) return makeError(ErrorCode::Corrupt, "the head of " + name + " points to a missing object");
            out.push_back(model::HeadObject{*id, o->record, o->publishedHeight});
        }
        return QJsonValue();
    }));
    (void)ignored;
    return out;
}

Expected<std::vector<bool>> NodeModelChain::published(const std::vector<chain::ObjectId> &ids)
{
    std::vector<bool> out;
    BLYAN_TRY(const auto ignored, node_->callChain([&](NodeChain &c) -> Expected<QJsonValue> {
        for (const auto &id : ids) {
            BLYAN_TRY(const auto o, c.ledger().object(id));
            out.push_back(o.has_value());
        }
        return QJsonValue();
    }));
    (void)ignored;
    return out;
}

Expected<chain::TxId> NodeModelChain::publish(const chain::ObjectRecord &record)
{
    chain::TxId txid{};
    BLYAN_TRY(const auto ignored, node_->callChain([&](NodeChain &c) -> Expected<QJsonValue> {
        BLYAN_TRY(txid, c.publishObject(record));
        return QJsonValue();
    }));
    (void)ignored;
    return txid;
}

Expected<model::TxState> NodeModelChain::txState(const chain::TxId &txid)
{
    model::TxState state = model::TxState::Unknown;
    BLYAN_TRY(const auto ignored, node_->callChain([&](NodeChain &c) -> Expected<QJsonValue> {
        BLYAN_TRY(const auto stored, c.ledger().transaction(txid));
        if (stored) state = model::TxState::Included;
        else if (c.mempool().get(txid)) state = model::TxState::Pending;
        return QJsonValue();
    }));
    (void)ignored;
    return state;
}

Expected<storage::ObjectStore> NodeModelChain::objectStore()
{
    storage::ObjectStore store;
    BLYAN_TRY(const auto ignored, node_->callChain([&](NodeChain &c) -> Expected<QJsonValue> {
        store = c.objects();
        return QJsonValue();
    }));
    (void)ignored;
    return store;
}

}  // namespace blyan::node
