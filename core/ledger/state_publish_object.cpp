// publish_object: store an object record of chain A/B/D and move its name's head to it.
//   - no duplicate id (the same record twice would anchor nothing new);
//   - every dependency already stored, no cycle (object_dag.h, walking the stored graph through the
//     State, so objects published earlier in the same block count);
//   - the payload is present and matches (the caller's PayloadCheck: the ledger has no object store);
//   - not under the pact's name: the genesis pact changes only by a pact amendment (governance).
#include "chain/governance.h"
#include "chain/object_dag.h"
#include "chain/tx_kinds/publish_object.h"
#include "ledger/state_handler.h"

namespace blyan::ledger {

namespace {

class PublishObjectState final : public TxStateHandler {
public:
    chain::TxKind kind() const override { return chain::TxKind::PublishObject; }
    Status apply(TxContext &ctx) const override
    {
        BLYAN_TRY(auto body, chain::transactionBody<chain::PublishObjectBody>(ctx.tx));
        if (body.record.name == chain::kPactHeadName)
            return makeError(ErrorCode::InvalidArgument,
                             "the genesis pact changes only by a pact amendment proposal: publish the new text under "
                             "another name (e.g. genesis_pact.v2) and propose it");
        const ObjectId id = chain::objectId(body.record);
        BLYAN_TRY(const auto existing, ctx.state.object(id));
        if (existing)
            return makeError(ErrorCode::AlreadyExists,
                             "object " + crypto::hashToHex(id) + " ('" + body.record.name +
                                 "') was already published at height " + std::to_string(existing->publishedHeight));
        State &state = ctx.state;
        const chain::DependencyLookup lookup =
            [&state](const ObjectId &dep) -> Expected<std::optional<std::vector<ObjectId>>> {
            BLYAN_TRY(const auto o, state.object(dep));
            if (!o) return std::optional<std::vector<ObjectId>>();
            return std::optional<std::vector<ObjectId>>(o->record.dependsOn);
        };
        BLYAN_CHECK(chain::checkObjectDependencies(id, body.record.dependsOn, lookup));
        if (!ctx.payloadAvailable)
            return makeError(ErrorCode::Unavailable, "the node gave the ledger no way to check object payloads");
        if (auto st = ctx.payloadAvailable(body.record); !st)
            return st.error().context("payload of object '" + body.record.name + "'");
        const std::string name = body.record.name;
        BLYAN_CHECK(ctx.state.addObject(id, StoredObject{std::move(body.record), ctx.height, ctx.tx.from}));
        BLYAN_CHECK(ctx.state.setHead(name, id));
        return {};
    }
};

}  // namespace

const TxStateHandler &publishObjectStateHandler()
{
    static const PublishObjectState handler;
    return handler;
}

}  // namespace blyan::ledger
