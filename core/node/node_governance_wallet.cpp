// NodeWallet's governance methods (docs/rpc.md "Governance"): a proposal or a vote is built here, signed
// with the wallet's key like sendtoaddress, checked against the ledger's rules on the tip (so a vote on a
// closed proposal is refused now, with the reason, not dropped later) and put in the pool.
#include "chain/address.h"
#include "chain/tx_kinds/governance_vote.h"
#include "ledger/governance/engine.h"
#include "ledger/governance/queries.h"
#include "node/node_chain.h"
#include "node/node_governance.h"
#include "node/node_wallet.h"

#include <QJsonArray>

#include <algorithm>

namespace blyan::node {

namespace {

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }
QJsonObject amountJson(chain::Amount a)
{
    return QJsonObject{{QStringLiteral("bly"), QString::fromStdString(chain::formatAmount(a))},
                       {QStringLiteral("units"), QString::number(a)}};
}

Error locked() { return makeError(ErrorCode::WalletLocked, "the wallet is locked; unlock it first (walletpassphrase)"); }

}  // namespace

Expected<QJsonValue> NodeWallet::createProposal(const QString &kind, const QString &title, const QString &text,
                                                const QJsonObject &details, const QString &deposit, const QString &fee)
{
    BLYAN_CHECK(requireWallet());
    BLYAN_CHECK(requireChain());
    if (!keys_->unlocked()) return locked();
    BLYAN_TRY(const auto body, governance::bodyFromJson(*chain_, kind, title, text, details, deposit));
    chain::Transaction tx = chain::makeTransaction(networkParams(network_).networkId, 0, 0, body);
    BLYAN_TRY(tx.fee, parseFee(fee, chain::encodeTransaction(tx).size() + 8));
    BLYAN_TRY(const chain::Amount total, chain::checkedAdd(body.deposit, tx.fee, "deposit + fee"));
    // The first address that covers deposit + fee (the staking address first: it is the one people
    // know), else the one with the most.
    BLYAN_TRY(const auto addrs, handedOut());
    std::optional<std::uint32_t> from;
    chain::Amount best = 0;
    for (const auto &a : addrs) {
        BLYAN_TRY(const chain::Amount bal, chain_->ledger().balance(a.key));
        BLYAN_TRY(const chain::Amount pending, pendingSpend(a.key));
        const chain::Amount avail = bal > pending ? bal - pending : 0;
        if (avail < total) continue;
        if (a.index == 0) {
            from = 0;
            break;
        }
        if (!from || avail > best) {
            from = a.index;
            best = avail;
        }
    }
    if (!from)
        return makeError(ErrorCode::InvalidArgument, "no wallet address holds " + chain::formatAmount(total) +
                                                         " (deposit " + chain::formatAmount(body.deposit) + " + fee)");
    tx.from = keys_->publicKey(*from);
    BLYAN_TRY(tx.nonce, chain_->nextNonce(tx.from));
    NodeChain *chain = chain_;
    const ledger::PayloadCheck payloads = [chain](const chain::ObjectRecord &r) { return chain->payloadAvailable(r); };
    BLYAN_CHECK(chain_->ledger().checkTransactionRules(tx, payloads));
    BLYAN_TRY(const QJsonValue txid, submit(std::move(tx), *from, {}));
    return QJsonValue(QJsonObject{{QStringLiteral("txid"), txid},
                                  {QStringLiteral("proposal"), txid},
                                  {QStringLiteral("address"), address(keys_->publicKey(*from))},
                                  {QStringLiteral("deposit"), amountJson(body.deposit)}});
}

Expected<QJsonValue> NodeWallet::voteProposal(const QString &which, const QString &choiceText, const QString &fee)
{
    BLYAN_CHECK(requireWallet());
    BLYAN_CHECK(requireChain());
    const auto choice = chain::parseVoteChoice(choiceText.trimmed().toLower().toStdString());
    if (!choice) return makeError(ErrorCode::InvalidArgument, "choice '" + choiceText.toStdString() + "' is not yes, no, abstain or veto");
    if (!keys_->unlocked()) return locked();
    BLYAN_TRY(const auto found, governance::findProposal(*chain_, which));
    const auto &[id, p] = found;
    const std::string label = "proposal #" + std::to_string(p.number);
    if (p.status != ledger::ProposalStatus::Voting || chain_->height() + 1 >= p.endHeight)
        return makeError(ErrorCode::InvalidArgument, "voting on " + label + " has ended (end height " + std::to_string(p.endHeight) + ")");
    // Every wallet address that held stake at the snapshot votes, each with its own transaction.
    ledger::State state(chain_->database());  // never flushed
    BLYAN_TRY(const auto addrs, handedOut());
    QJsonArray votes;
    chain::Amount weight = 0;
    bool already = false;
    NodeChain *chain = chain_;
    const ledger::PayloadCheck payloads = [chain](const chain::ObjectRecord &r) { return chain->payloadAvailable(r); };
    for (const auto &a : addrs) {
        BLYAN_TRY(const chain::Amount w, ledger::votingWeight(state, p, a.key));
        if (w == 0) continue;
        BLYAN_TRY(const auto current, state.vote(ledger::VoteKey{id, a.key}));
        if (current && current->choice == *choice) {
            already = true;
            continue;
        }
        chain::GovernanceVoteBody body;
        body.proposal = id;
        body.choice = *choice;
        chain::Transaction tx = chain::makeTransaction(networkParams(network_).networkId, 0, 0, body);
        BLYAN_TRY(tx.fee, parseFee(fee, chain::encodeTransaction(tx).size() + 8));
        tx.from = a.key;
        BLYAN_TRY(tx.nonce, chain_->nextNonce(a.key));
        BLYAN_CHECK(chain_->ledger().checkTransactionRules(tx, payloads));
        BLYAN_TRY(const QJsonValue txid, submit(std::move(tx), a.index, {}));
        votes.append(QJsonObject{{QStringLiteral("address"), address(a.key)},
                                 {QStringLiteral("weight"), amountJson(w)},
                                 {QStringLiteral("txid"), txid}});
        weight += w;  // bounded by the supply
    }
    if (votes.isEmpty()) {
        if (already)
            return makeError(ErrorCode::AlreadyExists, "this wallet already votes " + choiceText.toStdString() + " on " + label);
        return makeError(ErrorCode::InvalidArgument, "none of this wallet's addresses had stake at height " +
                                                         std::to_string(p.snapshotHeight) + ", the snapshot of " + label +
                                                         ": only stake held then votes on it");
    }
    return QJsonValue(QJsonObject{{QStringLiteral("proposal"), hex(id)},
                                  {QStringLiteral("number"), static_cast<qint64>(p.number)},
                                  {QStringLiteral("choice"), choiceText.trimmed().toLower()},
                                  {QStringLiteral("weight"), amountJson(weight)},
                                  {QStringLiteral("votes"), votes}});
}

Expected<QJsonValue> NodeWallet::listMyVotes(int count)
{
    BLYAN_CHECK(requireWallet());
    BLYAN_CHECK(requireChain());
    BLYAN_TRY(const auto addrs, handedOut());
    struct Row {
        QJsonObject json;
        std::uint64_t height;  // pending: above every block
    };
    std::vector<Row> rows;
    auto add = [&](const crypto::Hash256 &proposal, const crypto::PublicKey &voter, chain::VoteChoice choice,
                   std::optional<chain::Amount> weight, std::optional<std::uint64_t> height, const QString &txid) -> Status {
        BLYAN_TRY(const auto found, governance::findProposal(*chain_, hex(proposal)));
        BLYAN_TRY(const QJsonObject summary, governance::proposalJson(*chain_, proposal, found.second));
        QJsonObject o{{QStringLiteral("proposal"), summary},
                      {QStringLiteral("address"), address(voter)},
                      {QStringLiteral("choice"), QString::fromLatin1(chain::voteChoiceName(choice).data())},
                      {QStringLiteral("weight"), weight ? QJsonValue(amountJson(*weight)) : QJsonValue()},
                      {QStringLiteral("height"), height ? QJsonValue(static_cast<qint64>(*height)) : QJsonValue()},
                      {QStringLiteral("status"), height ? QStringLiteral("recorded") : QStringLiteral("pending")}};
        if (!txid.isEmpty()) o.insert(QStringLiteral("txid"), txid);
        rows.push_back(Row{o, height.value_or(UINT64_MAX)});
        return {};
    };
    for (const auto &a : addrs) {
        BLYAN_TRY(const auto recorded, ledger::governance::votesBy(chain_->database(), a.key, count));
        for (const auto &v : recorded) BLYAN_CHECK(add(v.proposal, a.key, v.vote.choice, v.vote.weight, v.vote.height, {}));
        // Votes still waiting for a block.
        for (const auto &tx : chain_->mempool().pending(a.key))
            if (auto body = chain::transactionBody<chain::GovernanceVoteBody>(tx))
                BLYAN_CHECK(add(body->proposal, a.key, body->choice, std::nullopt, std::nullopt, hex(chain::transactionId(tx))));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row &x, const Row &y) { return x.height > y.height; });
    QJsonArray out;
    for (std::size_t i = 0; i < rows.size() && static_cast<int>(i) < count; ++i) out.append(rows[i].json);
    return QJsonValue(out);
}

}  // namespace blyan::node
