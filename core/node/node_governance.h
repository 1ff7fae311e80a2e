#pragma once
// The governance RPC methods' work on the node worker thread (docs/rpc.md "Governance"): the live
// parameters and rules, proposals as JSON (list, detail with votes and history), and building a
// proposal body from the JSON a caller sends. The wallet methods that sign proposals and votes
// (createproposal, voteproposal, listmyvotes) are NodeWallet's (node_governance_wallet.cpp); the RPC
// registration of both is node_governance_rpc.cpp.

#include "chain/tx_kinds/governance_proposal.h"
#include "ledger/governance/types.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <utility>

namespace blyan::node {

class NodeChain;

namespace governance {

Expected<QJsonValue> info(NodeChain &c);
// filter: "all", "open" or "closed"; newest first, numbers below `beforeNumber` (0: from the newest).
Expected<QJsonValue> listProposals(NodeChain &c, const QString &filter, int count, std::uint64_t beforeNumber);
Expected<QJsonValue> getProposal(NodeChain &c, const QString &which, int votes);

// "12", "#12" or the proposal's id (64 hex digits).
Expected<std::pair<crypto::Hash256, ledger::ProposalRow>> findProposal(NodeChain &c, const QString &which);
// The summary the list, the wallet's votes and the detail share.
Expected<QJsonObject> proposalJson(NodeChain &c, const crypto::Hash256 &id, const ledger::ProposalRow &p);

// A proposal body from a caller's JSON: kind name, title, text, and `details` by kind
// (parameter_change {param (name or id), value}; dataset_approval {object, tier};
// model_spec_upgrade / pact_amendment {object}; treasury_spend {to (address), amount}).
// `deposit` empty: the live minimum. Stateless rules are checked here, stateful ones by the ledger.
Expected<chain::GovernanceProposalBody> bodyFromJson(NodeChain &c, const QString &kind, const QString &title,
                                                     const QString &text, const QJsonObject &details,
                                                     const QString &deposit);

}  // namespace governance
}  // namespace blyan::node
