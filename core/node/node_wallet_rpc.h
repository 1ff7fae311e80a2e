#pragma once
// The wallet methods of docs/rpc.md "Wallet" as one table, used by both the RPC server (registered in
// registerWalletRpcMethods) and the GUI (Node::callWallet): one code path for both.

#include "util/error.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace blyan::node {

class NodeWallet;

struct WalletMethod {
    QString name;
    QString summary;
    QStringList params;  // positional names (named params map onto them)
    int minParams = 0;
    bool changesWallet = false;  // listeners are told (Node::walletChanged) after it ran
    std::function<Expected<QJsonValue>(NodeWallet &, const QJsonArray &)> run;
    // Instead of `run`, for the few that answer later (OS keychain jobs) or replace the wallet object
    // (importbackup): gets the owner's pointer and must call `reply` exactly once.
    std::function<void(std::unique_ptr<NodeWallet> &, const QJsonArray &,
                       std::function<void(Expected<QJsonValue>)> reply)>
        runOwner;
};

const std::vector<WalletMethod> &walletMethods();
const WalletMethod *findWalletMethod(const QString &name);
// The governance rows (createproposal, voteproposal, listmyvotes), from node_governance_rpc.cpp.
void appendGovernanceWalletMethods(std::vector<WalletMethod> &methods);
// Count check against the method's declared parameters.
Status checkWalletParams(const WalletMethod &m, const QJsonArray &params);

}  // namespace blyan::node
