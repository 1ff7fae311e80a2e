// Consensus RPC methods (docs/rpc.md "Consensus"): the validator set, justified and final blocks, sync
// state, and submitvote (a signed vote from outside, handled like one from a peer: how an operator or a
// test shows the network a vote, e.g. the two halves of a double vote).

#include "chain/vote.h"
#include "node/node.h"
#include "node/node_chain.h"
#include "node/node_consensus.h"
#include "node/node_rpc.h"
#include "node/rpc/rpc_table.h"

namespace blyan::node {

void registerConsensusRpcMethods(RpcTable &table, Node *node)
{
    const QString cat = QStringLiteral("consensus");
    table.add({QStringLiteral("getconsensusinfo"), cat,
               QStringLiteral("Returns the consensus state: role, epoch and validator set, head, justified and final blocks, "
                              "our last vote, sync progress and peers' heights."),
               {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callChain([](NodeChain &c) -> Expected<QJsonValue> {
                       if (!c.consensus()) return makeError(ErrorCode::Unavailable, "consensus is not running");
                       return QJsonValue(c.consensus()->info());
                   });
               }});
    table.add({QStringLiteral("submitvote"), cat,
               QStringLiteral("Takes a signed finality vote (185 bytes, hex) as if a peer had sent it: counted, relayed, "
                              "and checked against the voter's other votes (a conflict becomes slashing evidence)."),
               {QStringLiteral("hex")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   if (!params[0].isString()) return makeError(ErrorCode::InvalidArgument, "submitvote: 'hex' must be a string");
                   BLYAN_TRY(const Bytes raw, fromHex(params[0].toString().toStdString()));
                   auto vote = chain::decodeVote(raw);
                   if (!vote) return vote.error().context("submitvote");
                   return node->callChain([v = *vote](NodeChain &c) -> Expected<QJsonValue> {
                       if (!c.consensus()) return makeError(ErrorCode::Unavailable, "consensus is not running");
                       BLYAN_CHECK(c.consensus()->submitVote(v));
                       return QJsonValue(QString::fromStdString(crypto::hashToHex(chain::voteId(v))));
                   });
               }});
}

}  // namespace blyan::node
