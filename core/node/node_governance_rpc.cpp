// The governance RPC methods (docs/rpc.md "Governance"). Reading ones run on the node worker through
// Node::callChain; the ones that sign (createproposal, voteproposal) and listmyvotes are wallet methods,
// so the GUI reaches them through Node::callWallet exactly as RPC callers do.

#include "node/node.h"
#include "node/node_chain.h"
#include "node/node_governance.h"
#include "node/node_rpc.h"
#include "node/node_wallet.h"
#include "node/node_wallet_rpc.h"
#include "node/rpc/rpc_table.h"

#include <QJsonObject>

namespace blyan::node {

namespace {

constexpr qint64 kMaxNumber = qint64(1) << 53;

Error bad(const std::string &m) { return Error(ErrorCode::InvalidArgument, m); }

WalletMethod method(QString name, QString summary, QStringList params, int minParams,
                    std::function<Expected<QJsonValue>(NodeWallet &, const QJsonArray &)> run)
{
    WalletMethod m;
    m.name = std::move(name);
    m.summary = std::move(summary);
    m.params = std::move(params);
    m.minParams = minParams;
    m.changesWallet = true;  // history rows (pending proposals and votes)
    m.run = std::move(run);
    return m;
}

}  // namespace

void appendGovernanceWalletMethods(std::vector<WalletMethod> &m)
{
    m.push_back(method(QStringLiteral("createproposal"),
                       QStringLiteral("Opens a governance proposal signed by the wallet and locks its deposit; returns the txid (the proposal's id)."),
                       {QStringLiteral("kind"), QStringLiteral("title"), QStringLiteral("text"), QStringLiteral("details"),
                        QStringLiteral("deposit"), QStringLiteral("fee")}, 3,
                       [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                           BLYAN_TRY(const QString kind, numberTextParam(p, 0, "createproposal", "kind"));
                           BLYAN_TRY(const QString title, numberTextParam(p, 1, "createproposal", "title"));
                           BLYAN_TRY(const QString body, numberTextParam(p, 2, "createproposal", "text"));
                           QJsonObject details;
                           if (p.size() > 3 && !p[3].isNull()) {
                               if (!p[3].isObject()) return bad("createproposal: 'details' must be an object");
                               details = p[3].toObject();
                           }
                           BLYAN_TRY(const QString deposit, numberTextParam(p, 4, "createproposal", "deposit", true));
                           BLYAN_TRY(const QString fee, numberTextParam(p, 5, "createproposal", "fee", true));
                           return w.createProposal(kind, title, body, details, deposit, fee);
                       }));
    m.push_back(method(QStringLiteral("voteproposal"),
                       QStringLiteral("Votes yes, no, abstain or veto on a proposal with every wallet address that had stake at its snapshot."),
                       {QStringLiteral("proposal"), QStringLiteral("choice"), QStringLiteral("fee")}, 2,
                       [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                           BLYAN_TRY(const QString which, numberTextParam(p, 0, "voteproposal", "proposal"));
                           BLYAN_TRY(const QString choice, numberTextParam(p, 1, "voteproposal", "choice"));
                           BLYAN_TRY(const QString fee, numberTextParam(p, 2, "voteproposal", "fee", true));
                           return w.voteProposal(which, choice, fee);
                       }));
    WalletMethod mine = method(QStringLiteral("listmyvotes"),
                               QStringLiteral("The wallet's votes, newest first (pending ones first), with each proposal's state."),
                               {QStringLiteral("count")}, 0, [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                                   BLYAN_TRY(const qint64 n, intParamOr(p, 0, "listmyvotes", "count", 1, 1000, 100));
                                   return w.listMyVotes(static_cast<int>(n));
                               });
    mine.changesWallet = false;
    m.push_back(std::move(mine));
}

void registerGovernanceRpcMethods(RpcTable &table, Node *node)
{
    const QString cat = QStringLiteral("governance");
    table.add({QStringLiteral("getgovernanceinfo"), cat,
               QStringLiteral("Live parameters with their bounds, quorum and threshold per kind, voting periods, dataset tiers."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return node->callChain([](NodeChain &c) { return governance::info(c); });
               }});
    table.add({QStringLiteral("listproposals"), cat,
               QStringLiteral("Proposals newest first with status, tally and countdown; filter all, open or closed."),
               {QStringLiteral("filter"), QStringLiteral("count"), QStringLiteral("before_number")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 3));
                   BLYAN_TRY(QString filter, numberTextParam(params, 0, "listproposals", "filter", true));
                   if (filter.isEmpty()) filter = QStringLiteral("all");
                   BLYAN_TRY(const qint64 count, intParamOr(params, 1, "listproposals", "count", 1, 500, 50));
                   BLYAN_TRY(const qint64 before, intParamOr(params, 2, "listproposals", "before_number", 0, kMaxNumber, 0));
                   return node->callChain([filter, count, before](NodeChain &c) {
                       return governance::listProposals(c, filter, static_cast<int>(count), static_cast<std::uint64_t>(before));
                   });
               }});
    table.add({QStringLiteral("getproposal"), cat,
               QStringLiteral("One proposal by number (#12) or id: full text, action, tally, votes (heaviest first) and history."),
               {QStringLiteral("proposal"), QStringLiteral("votes")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 2));
                   BLYAN_TRY(const QString which, numberTextParam(params, 0, "getproposal", "proposal"));
                   BLYAN_TRY(const qint64 votes, intParamOr(params, 1, "getproposal", "votes", 0, 10000, 100));
                   return node->callChain([which, votes](NodeChain &c) {
                       return governance::getProposal(c, which, static_cast<int>(votes));
                   });
               }});
}

}  // namespace blyan::node
