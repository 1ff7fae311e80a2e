#include "node/node_explorer.h"

#include "chain/address.h"
#include "chain/tx_kind.h"
#include "chain/tx_kinds/governance_proposal.h"
#include "chain/tx_kinds/governance_vote.h"
#include "chain/tx_kinds/publish_object.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "chain/tx_kinds/unstake.h"
#include "ledger/history_queries.h"
#include "node/node_chain.h"

#include <QJsonArray>

#include <map>

namespace blyan::node::explorer {

namespace {

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }
QString qs(const std::string &s) { return QString::fromStdString(s); }
QJsonValue num(std::uint64_t v) { return QJsonValue(static_cast<qint64>(v)); }

QJsonObject amountJson(chain::Amount a)
{
    return QJsonObject{{QStringLiteral("bly"), qs(chain::formatAmount(a))}, {QStringLiteral("units"), QString::number(a)}};
}

QString address(Network n, const chain::PublicKey &k) { return qs(chain::formatAddress(n, k)); }

QJsonObject refJson(const ledger::ObjectRef &r)
{
    return QJsonObject{{QStringLiteral("id"), hex(r.id)},
                       {QStringLiteral("name"), qs(r.name)},
                       {QStringLiteral("kind"), qs(r.kind)},
                       {QStringLiteral("published_height"), num(r.publishedHeight)}};
}

// The same base fields as gettransaction, plus the details.
QJsonObject txJson(const chain::Transaction &tx, Network n)
{
    const auto kind = chain::txKindName(tx.kind);
    QJsonObject o{{QStringLiteral("txid"), hex(chain::transactionId(tx))},
                  {QStringLiteral("kind"), QString::fromUtf8(kind.data(), static_cast<qsizetype>(kind.size()))},
                  {QStringLiteral("from"), address(n, tx.from)},
                  {QStringLiteral("nonce"), QString::number(tx.nonce)},
                  {QStringLiteral("fee"), amountJson(tx.fee)},
                  {QStringLiteral("size"), static_cast<qint64>(chain::encodeTransaction(tx).size())}};
    addTransactionDetails(o, tx, n);
    return o;
}

bool isDigits(const QString &s)
{
    for (QChar c : s)
        if (c < QLatin1Char('0') || c > QLatin1Char('9')) return false;
    return !s.isEmpty();
}

bool isHex(const QString &s)
{
    for (QChar c : s)
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    return !s.isEmpty();
}

// Characters of object names (object.h's grammar), so that a prefix like "layer0." can be searched.
bool isNameText(const QString &s)
{
    for (QChar c : s)
        if (!((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
              c == QLatin1Char('_') || c == QLatin1Char('.')))
            return false;
    return !s.isEmpty() && s.size() <= static_cast<qsizetype>(chain::kMaxObjectNameLength) && s.at(0).isLetter();
}

Error notFound(const QString &m) { return Error(ErrorCode::NotFound, m.toStdString()); }
Error invalid(const QString &m) { return Error(ErrorCode::InvalidArgument, m.toStdString()); }

QJsonObject typed(const char *type, QJsonObject o)
{
    o.insert(QStringLiteral("type"), QLatin1String(type));
    return o;
}

// The object an id or a name (its head) resolves to.
Expected<std::optional<std::pair<chain::ObjectId, ledger::StoredObject>>> resolveObject(NodeChain &c, const QString &idOrName)
{
    using Found = std::optional<std::pair<chain::ObjectId, ledger::StoredObject>>;
    if (idOrName.size() == 64) {
        if (auto id = crypto::hashFromHex(idOrName.toLower().toStdString()); id.ok()) {
            BLYAN_TRY(auto o, c.ledger().object(*id));
            if (o) return Found(std::make_pair(*id, std::move(*o)));
        }
    }
    BLYAN_TRY(const auto head, c.ledger().head(idOrName.toStdString()));
    if (!head) return Found();
    BLYAN_TRY(auto o, c.ledger().object(*head));
    if (!o) return makeError(ErrorCode::Corrupt, "the head of " + idOrName.toStdString() + " points to a missing object");
    return Found(std::make_pair(*head, std::move(*o)));
}

}  // namespace

void addTransactionDetails(QJsonObject &o, const chain::Transaction &tx, Network n)
{
    o.insert(QStringLiteral("version"), tx.version);
    o.insert(QStringLiteral("network_id"), static_cast<qint64>(tx.networkId));
    o.insert(QStringLiteral("signature"), qs(toHex(tx.signature)));
    o.insert(QStringLiteral("body_hex"), qs(toHex(tx.body)));
    using chain::TxKind;
    switch (static_cast<TxKind>(tx.kind)) {
    case TxKind::Transfer:
        if (auto b = chain::TransferBody::decode(tx.body); b.ok()) {
            o.insert(QStringLiteral("to"), address(n, b->to));
            o.insert(QStringLiteral("amount"), amountJson(b->amount));
        }
        break;
    case TxKind::Stake:
        if (auto b = chain::StakeBody::decode(tx.body); b.ok()) o.insert(QStringLiteral("amount"), amountJson(b->amount));
        break;
    case TxKind::Unstake:
        if (auto b = chain::UnstakeBody::decode(tx.body); b.ok()) o.insert(QStringLiteral("amount"), amountJson(b->amount));
        break;
    case TxKind::PublishObject:
        if (auto b = chain::PublishObjectBody::decode(tx.body); b.ok()) {
            const chain::ObjectRecord &r = b->record;
            QJsonArray deps;
            for (const auto &d : r.dependsOn) deps.append(hex(d));
            o.insert(QStringLiteral("object"),
                     QJsonObject{{QStringLiteral("id"), hex(chain::objectId(r))},
                                 {QStringLiteral("chain"), QString(QLatin1Char(chain::objectChainLetter(r.chain)))},
                                 {QStringLiteral("kind"), qs(r.kind)},
                                 {QStringLiteral("name"), qs(r.name)},
                                 {QStringLiteral("depends_on"), deps},
                                 {QStringLiteral("payload_hash"), hex(r.payloadHash)},
                                 {QStringLiteral("size"), num(r.size)},
                                 {QStringLiteral("chunk_merkle_root"), hex(r.chunkMerkleRoot)}});
        }
        break;
    case TxKind::GovernanceProposal:
        if (auto b = chain::GovernanceProposalBody::decode(tx.body); b.ok()) {
            // The proposal's id is this txid; getproposal has its state, tally and history.
            o.insert(QStringLiteral("proposal"), QJsonObject{{QStringLiteral("kind"), qs(std::string(chain::proposalKindName(b->action.kind)))},
                                                             {QStringLiteral("title"), qs(b->title)},
                                                             {QStringLiteral("deposit"), amountJson(b->deposit)}});
        }
        break;
    case TxKind::GovernanceVote:
        if (auto b = chain::GovernanceVoteBody::decode(tx.body); b.ok()) {
            o.insert(QStringLiteral("proposal"), hex(b->proposal));
            o.insert(QStringLiteral("choice"), qs(std::string(chain::voteChoiceName(b->choice))));
        }
        break;
    default:  // a kind without decoded fields here: body_hex carries it
        break;
    }
}

void addHeaderDetails(QJsonObject &o, const chain::BlockHeader &h)
{
    o.insert(QStringLiteral("version"), h.version);
    o.insert(QStringLiteral("signature"), qs(toHex(h.signature)));
}

Expected<QJsonValue> listBlocks(NodeChain &c, std::uint64_t from, int count)
{
    ledger::HistoryQueries q(c.database());
    QJsonArray blocks;
    if (from <= c.height()) {
        BLYAN_TRY(const auto rows, q.headers(from, static_cast<std::size_t>(count)));
        for (const auto &b : rows)
            blocks.append(QJsonObject{{QStringLiteral("height"), num(b.header.height)},
                                      {QStringLiteral("hash"), hex(b.id)},
                                      {QStringLiteral("time"), num(b.header.timeMs)},
                                      {QStringLiteral("slot"), num(b.header.slot)},
                                      {QStringLiteral("proposer"), address(c.network(), b.header.proposer)},
                                      {QStringLiteral("nTx"), num(b.transactions)}});
    }
    return QJsonValue(QJsonObject{{QStringLiteral("height"), num(c.height())},
                                  {QStringLiteral("final_height"), num(c.finalHeight())},
                                  {QStringLiteral("blocks"), blocks}});
}

Expected<QJsonValue> blockchainInfo(NodeChain &c)
{
    BLYAN_TRY(const auto genesis, c.ledger().blockByHeight(0));
    BLYAN_TRY(const auto final, c.ledger().blockByHeight(c.finalHeight()));
    const auto &tip = c.ledger().tip();
    QJsonObject o{{QStringLiteral("chain"), networkName(c.network())},
                  {QStringLiteral("blocks"), num(c.height())},
                  {QStringLiteral("bestblockhash"), c.bestBlockHash()},
                  {QStringLiteral("time"), num(tip.timeMs)},
                  {QStringLiteral("slot"), num(tip.slot)},
                  {QStringLiteral("finalheight"), num(c.finalHeight())},
                  {QStringLiteral("finalblockhash"), final ? hex(final->id) : QString()},
                  {QStringLiteral("genesishash"), genesis ? hex(genesis->id) : QString()},
                  {QStringLiteral("genesistime"), genesis ? num(genesis->header.timeMs) : QJsonValue()},
                  {QStringLiteral("mempool"), static_cast<qint64>(c.mempoolSize())},
                  {QStringLiteral("produces_blocks"), c.producesBlocks()}};
    return QJsonValue(o);
}

Expected<QJsonValue> chainTxStats(NodeChain &c, std::uint64_t blocks)
{
    ledger::HistoryQueries q(c.database());
    BLYAN_TRY(const auto w, q.window(c.height(), blocks));
    const double seconds = static_cast<double>(w.endTimeMs - std::min(w.startTimeMs, w.endTimeMs)) / 1000.0;
    QJsonObject o{{QStringLiteral("time"), num(w.endTimeMs)},
                  {QStringLiteral("window_final_block_height"), num(w.endHeight)},
                  {QStringLiteral("window_final_block_hash"), c.bestBlockHash()},
                  {QStringLiteral("window_block_count"), num(w.blocks)},
                  {QStringLiteral("window_tx_count"), num(w.transactions)},
                  {QStringLiteral("window_interval"), seconds}};
    // No rate over an empty window (bitcoind leaves it out too).
    if (w.blocks > 0 && seconds > 0) o.insert(QStringLiteral("txrate"), static_cast<double>(w.transactions) / seconds);
    return QJsonValue(o);
}

Expected<QJsonValue> search(NodeChain &c, const QString &input)
{
    const QString text = input.trimmed();
    const QString kinds = QStringLiteral("a block height, a block hash or txid (64 hex digits), an object name (like "
                                         "layer0.expert1) or id, or an address (%1…)")
                              .arg(networkParams(c.network()).addressHrp + QLatin1Char('1'));
    if (text.isEmpty()) return invalid(QStringLiteral("Type what to look for: ") + kinds + QLatin1Char('.'));
    if (text.size() > 200) return invalid(QStringLiteral("The search text is %1 characters long; expected ").arg(text.size()) + kinds + QLatin1Char('.'));
    const QString t = text.startsWith(QLatin1Char('#')) ? text.mid(1) : text;
    const QString lower = t.toLower();

    if (isDigits(t)) {
        bool ok = false;
        const qulonglong h = t.toULongLong(&ok);
        if (!ok || h > c.height())
            return notFound(QStringLiteral("There is no block at height %1 yet: the chain's tip is at height %2.").arg(t).arg(c.height()));
        BLYAN_TRY(const auto b, c.ledger().blockByHeight(h));
        if (!b) return notFound(QStringLiteral("Block %1 is missing from this node's database.").arg(h));
        return QJsonValue(typed("block", {{QStringLiteral("height"), num(h)}, {QStringLiteral("hash"), hex(b->id)}}));
    }
    if (lower.size() == 64 && isHex(lower)) {
        BLYAN_TRY(const auto id, crypto::hashFromHex(lower.toStdString()));
        BLYAN_TRY(const auto b, c.ledger().blockById(id));
        if (b) return QJsonValue(typed("block", {{QStringLiteral("height"), num(b->header.height)}, {QStringLiteral("hash"), lower}}));
        BLYAN_TRY(const auto tx, c.ledger().transaction(id));
        if (tx || c.mempool().get(id)) return QJsonValue(typed("transaction", {{QStringLiteral("txid"), lower}}));
        BLYAN_TRY(const auto o, c.ledger().object(id));
        if (o) return QJsonValue(typed("object", {{QStringLiteral("id"), lower}, {QStringLiteral("name"), qs(o->record.name)}}));
        return notFound(QStringLiteral("No block, transaction or object on this node has the hash %1.").arg(lower));
    }
    for (Network n : {Network::Devnet, Network::Testnet}) {
        if (!lower.startsWith(networkParams(n).addressHrp + QLatin1Char('1'))) continue;
        auto key = chain::parseAddress(t.toStdString(), c.network());
        if (!key.ok()) return invalid(QStringLiteral("“%1” is not a valid address: %2.").arg(t, qs(key.error().message)));
        return QJsonValue(typed("address", {{QStringLiteral("address"), address(c.network(), *key)}}));
    }
    if (isNameText(lower)) {
        if (chain::checkObjectName(lower.toStdString()).ok()) {
            BLYAN_TRY(const auto head, c.ledger().head(lower.toStdString()));
            if (head) return QJsonValue(typed("object", {{QStringLiteral("id"), hex(*head)}, {QStringLiteral("name"), lower}}));
        }
        ledger::HistoryQueries q(c.database());
        BLYAN_TRY(const auto names, q.namesWithPrefix(lower.toStdString(), 50));
        if (!names.empty()) {
            QJsonArray a;
            for (const auto &n : names) a.append(qs(n));
            return QJsonValue(typed("objects", {{QStringLiteral("prefix"), lower}, {QStringLiteral("names"), a}}));
        }
        if (isHex(lower) && lower.size() >= 8)
            return invalid(QStringLiteral("“%1” looks like part of a hash: block hashes, txids and object ids have 64 hex "
                                          "digits (this has %2). Paste the whole hash.").arg(t).arg(t.size()));
        return notFound(QStringLiteral("No object is named “%1” or has a name starting with it (names look like "
                                       "model.spec, layer0.router, layer0.expert1).").arg(lower));
    }
    if (isHex(lower))
        return invalid(QStringLiteral("“%1” looks like part of a hash: block hashes, txids and object ids have 64 hex "
                                      "digits (this has %2). Paste the whole hash.").arg(t).arg(t.size()));
    return invalid(QStringLiteral("“%1” is none of the things the explorer can find. Expected ").arg(t) + kinds + QLatin1Char('.'));
}

Expected<QJsonValue> addressTransactions(NodeChain &c, const QString &addressText, int count,
                                         std::optional<std::uint64_t> beforeHeight)
{
    BLYAN_TRY(const auto key, chain::parseAddress(addressText.trimmed().toStdString(), c.network()));
    ledger::HistoryQueries q(c.database());
    // 100,000 transactions per call keeps one answer well under a second on a slow disk; the caller goes
    // on from next_before_height.
    const std::uint64_t below = beforeHeight ? *beforeHeight : c.height() + 1;
    BLYAN_TRY(const auto scan, q.addressTransactions(key, below, static_cast<std::size_t>(count), 100'000));
    std::map<std::uint64_t, std::pair<QString, std::uint64_t>> blocks;  // height -> hash, time
    QJsonArray txs;
    for (const auto &f : scan.found) {
        auto it = blocks.find(f.stored.height);
        if (it == blocks.end()) {
            BLYAN_TRY(const auto b, c.ledger().blockByHeight(f.stored.height));
            it = blocks.emplace(f.stored.height, b ? std::make_pair(hex(b->id), b->header.timeMs)
                                                   : std::make_pair(QString(), std::uint64_t(0))).first;
        }
        QJsonObject o = txJson(f.stored.tx, c.network());
        const bool sent = f.stored.tx.from == key;
        const bool received = o.value(QStringLiteral("to")).toString() == address(c.network(), key);
        o.insert(QStringLiteral("direction"), sent && received ? QStringLiteral("self")
                                              : sent          ? QStringLiteral("sent")
                                                              : QStringLiteral("received"));
        o.insert(QStringLiteral("blockheight"), num(f.stored.height));
        o.insert(QStringLiteral("blockhash"), it->second.first);
        o.insert(QStringLiteral("time"), num(it->second.second));
        txs.append(o);
    }
    return QJsonValue(QJsonObject{{QStringLiteral("address"), address(c.network(), key)},
                                  {QStringLiteral("transactions"), txs},
                                  {QStringLiteral("scanned"), num(scan.scanned)},
                                  {QStringLiteral("next_before_height"), scan.nextBelow ? num(*scan.nextBelow) : QJsonValue()}});
}

Expected<QJsonValue> objectLinks(NodeChain &c, const QString &idOrName)
{
    BLYAN_TRY(const auto found, resolveObject(c, idOrName.trimmed()));
    if (!found)
        return notFound(QStringLiteral("Object %1 not found: give an object id (64 hex digits) or a name such as layer0.expert1.")
                            .arg(idOrName.trimmed()));
    const auto &[id, obj] = *found;
    ledger::HistoryQueries q(c.database());
    BLYAN_TRY(const auto versions, q.versions(obj.record.name));
    BLYAN_TRY(const auto head, c.ledger().head(obj.record.name));
    BLYAN_TRY(const auto dependants, q.dependants(id, 200));
    QJsonArray versionList, dependantList, dependencyList;
    for (const auto &v : versions) versionList.append(refJson(v));
    for (const auto &d : dependants.first) dependantList.append(refJson(d));
    for (const auto &dep : obj.record.dependsOn) {
        BLYAN_TRY(const auto d, c.ledger().object(dep));
        dependencyList.append(d ? refJson({dep, d->record.name, d->record.kind, d->publishedHeight})
                                : QJsonObject{{QStringLiteral("id"), hex(dep)}});
    }
    QJsonObject o{{QStringLiteral("id"), hex(id)},
                  {QStringLiteral("name"), qs(obj.record.name)},
                  {QStringLiteral("head"), head ? hex(*head) : QString()},
                  {QStringLiteral("is_head"), head && *head == id},
                  {QStringLiteral("versions"), versionList},
                  {QStringLiteral("dependencies"), dependencyList},
                  {QStringLiteral("dependants"), dependantList},
                  {QStringLiteral("dependants_count"), num(dependants.second)}};
    BLYAN_TRY(const auto tx, q.publishingTransaction(id, obj.publishedHeight));
    BLYAN_TRY(const auto block, c.ledger().blockByHeight(obj.publishedHeight));
    QJsonObject anchor{{QStringLiteral("blockheight"), num(obj.publishedHeight)},
                       {QStringLiteral("blockhash"), block ? hex(block->id) : QString()}};
    // The genesis pact is written by the genesis block itself, not by a transaction.
    if (tx) anchor.insert(QStringLiteral("txid"), hex(tx->id));
    else anchor.insert(QStringLiteral("genesis"), obj.publishedHeight == 0);
    o.insert(QStringLiteral("anchor"), anchor);
    return QJsonValue(o);
}

Expected<QJsonValue> expertHeads(NodeChain &c)
{
    ledger::HistoryQueries q(c.database());
    BLYAN_TRY(const auto heads, q.expertHeads());
    QJsonArray cells;
    for (const auto &h : heads)
        cells.append(QJsonObject{{QStringLiteral("layer"), h.layer},
                                 {QStringLiteral("expert"), h.expert},
                                 {QStringLiteral("name"), qs(h.name)},
                                 {QStringLiteral("id"), hex(h.id)},
                                 {QStringLiteral("head_height"), num(h.publishedHeight)},
                                 {QStringLiteral("versions"), num(h.versions)}});
    return QJsonValue(QJsonObject{{QStringLiteral("cells"), cells}});
}

}  // namespace blyan::node::explorer
