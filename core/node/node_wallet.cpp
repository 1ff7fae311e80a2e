// NodeWallet: lifecycle, following the chain, balances. The wallet methods are in node_wallet_methods.cpp.
#include "node/node_wallet.h"

#include "chain/address.h"
#include "chain/tx_kinds/governance_proposal.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "chain/tx_kinds/unstake.h"
#include "node/node_chain.h"
#include "util/log.h"
#include "wallet/wallet_paths.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace blyan::node {

namespace {

const QString kScannedHeight = QStringLiteral("scanned_height");
const QString kDevnetFunded = QStringLiteral("devnet_funded");

std::int64_t nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

}  // namespace

NodeWallet::NodeWallet(Network network, QString dataDir, NodeChain *chain, wallet::WalletDb db)
    : network_(network), dataDir_(std::move(dataDir)), chain_(chain), db_(std::move(db))
{
}

NodeWallet::~NodeWallet() = default;

Expected<std::unique_ptr<NodeWallet>> NodeWallet::open(Network network, const QString &dataDir, NodeChain *chain)
{
    const QString dir = wallet::walletDir(dataDir);
    if (!QDir().mkpath(dir)) return makeError(ErrorCode::Io, "cannot create the wallet folder " + dir.toStdString());
    BLYAN_TRY(auto db, wallet::WalletDb::open(wallet::walletDbPath(dataDir)));
    std::unique_ptr<NodeWallet> w(new NodeWallet(network, dataDir, chain, std::move(db)));
    const QString ks = wallet::keystorePath(dataDir);
    if (QFileInfo::exists(ks)) {
        // A damaged keystore stops the node with the reason: silently starting without the wallet
        // would look like the money is gone.
        BLYAN_TRY(auto keys, wallet::WalletKeys::load(ks, networkParams(network).networkId));
        w->keys_ = std::move(keys);
        for (std::uint32_t i = 0; i < w->keys_->keypoolSize(); ++i) w->keyIndex_[w->keys_->publicKey(i)] = i;
        if (Status s = w->fundOnDevnet(); !s.ok())
            qCWarning(lcNode).noquote() << "devnet wallet funding:" << QString::fromStdString(s.error().message);
        w->sync();
    }
    return w;
}

Status NodeWallet::requireWallet() const
{
    if (!keys_)
        return makeError(ErrorCode::NoWallet,
                         "this data dir has no wallet yet: create one (createwallet, or the Wallet panel)");
    return {};
}

Status NodeWallet::requireChain() const
{
    if (!chain_)
        return makeError(ErrorCode::Unavailable,
                         "the chain is not available on this node, so the wallet cannot read balances or send");
    return {};
}

QString NodeWallet::address(const crypto::PublicKey &key) const
{
    return QString::fromStdString(chain::formatAddress(network_, key));
}

std::optional<std::uint32_t> NodeWallet::indexOf(const crypto::PublicKey &key) const
{
    auto it = keyIndex_.find(key);
    if (it == keyIndex_.end()) return std::nullopt;
    return it->second;
}

Expected<std::vector<wallet::WalletAddress>> NodeWallet::handedOut() { return db_.addresses(); }

Status NodeWallet::markUsed(std::uint32_t index)
{
    // Funds that reached a keypool address not handed out yet (a restored wallet, an address used from
    // another install of the same phrase): it and the ones before it count as handed out from now on.
    BLYAN_TRY(const auto have, db_.addresses());
    std::uint32_t next = have.empty() ? 0 : have.back().index + 1;
    for (; next <= index; ++next)
        BLYAN_CHECK(db_.addAddress(wallet::WalletAddress{next, keys_->publicKey(next), {}}, nowMs()));
    return {};
}

Status NodeWallet::fundOnDevnet()
{
    if (network_ != Network::Devnet || !keys_ || !chain_) return {};
    BLYAN_TRY(const auto funded, db_.meta(kDevnetFunded));
    if (funded) return {};
    BLYAN_TRY(const chain::TxId id, chain_->fundFromValidator(keys_->publicKey(0), kDevnetWalletFunding));
    BLYAN_CHECK(db_.setMeta(kDevnetFunded, QString::fromStdString(crypto::hashToHex(id))));
    qCInfo(lcNode).noquote() << "devnet: funding the wallet's first address with"
                             << QString::fromStdString(chain::formatAmount(kDevnetWalletFunding));
    return {};
}

Status NodeWallet::recordTx(const chain::Transaction &tx, std::optional<std::uint64_t> height, std::int64_t timeMs,
                            const QString &status)
{
    const auto fromIdx = indexOf(tx.from);
    wallet::WalletTx t;
    t.txid = chain::transactionId(tx);
    t.kind = QString::fromLatin1(chain::txKindName(tx.kind).data(),
                                 static_cast<qsizetype>(chain::txKindName(tx.kind).size()));
    t.from = tx.from;
    t.nonce = tx.nonce;
    t.height = height;
    t.timeMs = timeMs;
    t.status = status;
    t.fee = fromIdx ? tx.fee : 0;
    std::optional<std::uint32_t> toIdx;
    if (auto transfer = chain::transactionBody<chain::TransferBody>(tx)) {
        toIdx = indexOf(transfer->to);
        t.amount = transfer->amount;
        t.counterparty = fromIdx ? address(transfer->to) : address(tx.from);
        t.direction = fromIdx && toIdx ? QStringLiteral("self") : fromIdx ? QStringLiteral("sent") : QStringLiteral("received");
    } else if (auto s = chain::transactionBody<chain::StakeBody>(tx)) {
        t.amount = s->amount;
        t.direction = QStringLiteral("self");
    } else if (auto u = chain::transactionBody<chain::UnstakeBody>(tx)) {
        t.amount = u->amount;
        t.direction = QStringLiteral("self");
    } else {
        t.direction = QStringLiteral("sent");  // other kinds only cost the sender its fee
    }
    if (!fromIdx && !toIdx) return {};
    if (fromIdx) BLYAN_CHECK(markUsed(*fromIdx));
    if (toIdx) BLYAN_CHECK(markUsed(*toIdx));
    return db_.putTx(t);
}

bool NodeWallet::sync()
{
    if (!keys_ || !chain_) return false;
    bool changed = false;
    auto run = [&]() -> Status {
        BLYAN_TRY(const auto scannedText, db_.meta(kScannedHeight));
        std::uint64_t from = scannedText ? scannedText->toULongLong() + 1 : 1;
        const std::uint64_t tip = chain_->height();
        const std::uint64_t final = chain_->finalHeight();
        // One SQLite transaction for the whole catch-up: a kill mid-way rescans from the last commit.
        BLYAN_TRY(auto txn, storage::Transaction::begin(db_.db()));
        for (std::uint64_t h = from; h <= tip; ++h) {
            BLYAN_TRY(const auto block, chain_->ledger().blockByHeight(h));
            if (!block) break;
            BLYAN_TRY(const auto txs, chain_->ledger().blockTransactions(h));
            for (const auto &stored : txs) {
                BLYAN_CHECK(recordTx(stored.tx, h, static_cast<std::int64_t>(block->header.timeMs),
                                     h <= final ? QStringLiteral("final") : QStringLiteral("confirmed")));
                changed = true;
            }
            BLYAN_CHECK(db_.setMeta(kScannedHeight, QString::number(h)));
        }
        // Pending rows: still in the pool, or in a block (recorded above), or gone (expired, replaced).
        BLYAN_TRY(const auto pending, db_.pendingTxs());
        for (auto t : pending) {
            if (chain_->mempool().contains(t.txid)) continue;
            BLYAN_TRY(const auto stored, chain_->ledger().transaction(t.txid));
            if (stored) continue;
            t.status = QStringLiteral("dropped");
            BLYAN_CHECK(db_.putTx(t));
            changed = true;
        }
        BLYAN_CHECK(db_.markFinal(final));
        return txn.commit();
    };
    if (Status s = run(); !s.ok())
        qCWarning(lcNode).noquote() << "wallet sync:" << QString::fromStdString(s.error().message);
    return changed;
}

bool NodeWallet::tick(std::int64_t now)
{
    if (!keys_ || !keys_->unlocked() || unlockedUntilMs_ == 0 || now < unlockedUntilMs_) return false;
    keys_->lock();
    unlockedUntilMs_ = 0;
    qCInfo(lcNode) << "wallet locked (unlock time ran out)";
    return true;
}

Expected<chain::Amount> NodeWallet::pendingSpend(const crypto::PublicKey &key) const
{
    chain::Amount out = 0;
    for (const auto &tx : chain_->mempool().pending(key)) {
        BLYAN_TRY(out, chain::checkedAdd(out, tx.fee));
        if (auto t = chain::transactionBody<chain::TransferBody>(tx)) {
            BLYAN_TRY(out, chain::checkedAdd(out, t->amount));
        }
        if (auto s = chain::transactionBody<chain::StakeBody>(tx)) {
            BLYAN_TRY(out, chain::checkedAdd(out, s->amount));
        }
        if (auto g = chain::transactionBody<chain::GovernanceProposalBody>(tx)) {
            BLYAN_TRY(out, chain::checkedAdd(out, g->deposit));  // the deposit leaves the balance too
        }
    }
    return out;
}

Expected<NodeWallet::Balances> NodeWallet::balances(bool withReleases)
{
    Balances b;
    if (!keys_ || !chain_) return b;
    BLYAN_TRY(const auto addrs, handedOut());
    for (const auto &a : addrs) {
        BLYAN_TRY(const chain::Amount bal, chain_->ledger().balance(a.key));
        BLYAN_TRY(const chain::Amount st, chain_->ledger().stake(a.key));
        BLYAN_TRY(const chain::Amount out, pendingSpend(a.key));
        BLYAN_TRY(const auto unbond, chain_->unbonding(a.key));
        b.available += bal > out ? bal - out : 0;
        b.staked += st;
        b.unbonding += unbond.second;
        for (const auto &r : withReleases ? unbond.first : QJsonArray()) {
            QJsonObject o = r.toObject();
            o.insert(QStringLiteral("address"), address(a.key));
            b.unbondingReleases.append(o);
        }
        b.pendingOut += out;
    }
    for (const auto &id : chain_->mempool().txids()) {
        const auto tx = chain_->mempool().get(id);
        if (!tx) continue;
        if (auto t = chain::transactionBody<chain::TransferBody>(*tx); t && indexOf(t->to) && !indexOf(tx->from))
            b.pendingIn += t->amount;
    }
    return b;
}

void NodeWallet::fillStatus(NodeStatus &s)
{
    if (!keys_) {
        s.walletState = QStringLiteral("none");
        return;
    }
    s.walletState = keys_->unlocked() ? QStringLiteral("unlocked") : QStringLiteral("locked");
    s.walletUnlockedUntilMs = keys_->unlocked() ? unlockedUntilMs_ : 0;
    if (auto b = balances()) {
        s.walletAvailableUnits = b->available;
        s.walletStakedUnits = b->staked;
        s.walletUnbondingUnits = b->unbonding;
        s.walletPendingUnits = b->pendingIn;
    }
}

}  // namespace blyan::node
