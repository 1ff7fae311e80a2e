#include "node/node_chain.h"

#include "chain/address.h"
#include "chain/tx_kinds/governance_proposal.h"
#include "chain/tx_kinds/publish_object.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "ledger/genesis_file.h"
#include "ledger/schema.h"
#include "node/node_explorer.h"
#include "storage/database.h"
#include "storage/object_store.h"
#include "util/embedded.h"
#include "util/log.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>

#include <cerrno>
#include <set>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace blyan::node {

namespace {

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }

// Amounts go out as the exact text form and as base units in a string: JSON numbers above 2^53 are
// not exact in most clients.
QJsonObject amountJson(chain::Amount a)
{
    return QJsonObject{{QStringLiteral("bly"), QString::fromStdString(chain::formatAmount(a))},
                       {QStringLiteral("units"), QString::number(a)}};
}

// Everything a transaction takes from its sender: what the mempool needs to keep an account's pending
// transactions payable together.
Expected<chain::Amount> spendOf(const chain::Transaction &tx)
{
    if (tx.kind == static_cast<std::uint8_t>(chain::TxKind::Transfer)) {
        BLYAN_TRY(const auto body, chain::TransferBody::decode(tx.body));
        return chain::checkedAdd(tx.fee, body.amount, "transfer amount plus fee");
    }
    if (tx.kind == static_cast<std::uint8_t>(chain::TxKind::Stake)) {
        BLYAN_TRY(const auto body, chain::StakeBody::decode(tx.body));
        return chain::checkedAdd(tx.fee, body.amount, "stake amount plus fee");
    }
    if (tx.kind == static_cast<std::uint8_t>(chain::TxKind::GovernanceProposal)) {
        BLYAN_TRY(const auto body, chain::GovernanceProposalBody::decode(tx.body));
        return chain::checkedAdd(tx.fee, body.deposit, "proposal deposit plus fee");
    }
    return tx.fee;
}

std::string errnoText() { return std::strerror(errno); }

}  // namespace

Expected<crypto::KeyPair> loadOrCreateNodeKey(const QString &path)
{
    const std::string p = path.toStdString();
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        // Created once: O_EXCL so two starts never write two keys, 0600 so only the owner reads it.
        const crypto::KeyPair fresh = crypto::KeyPair::generate();
        const crypto::SecureBytes seed = fresh.secretKey().seed();
        fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) return makeError(ErrorCode::Io, "cannot create the node key " + p + ": " + errnoText());
        const bool ok = ::write(fd, seed.data(), seed.size()) == static_cast<ssize_t>(seed.size()) && ::fsync(fd) == 0;
        ::close(fd);
        if (!ok) {
            ::unlink(p.c_str());
            return makeError(ErrorCode::Io, "cannot write the node key " + p + ": " + errnoText());
        }
        qCInfo(lcNode).noquote() << "created the node key" << path;
        return crypto::KeyPair::fromSeed(seed);
    }
    if (fd < 0) return makeError(ErrorCode::Io, "cannot open the node key " + p + ": " + errnoText());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0 || st.st_size != static_cast<off_t>(crypto::kEd25519SeedSize)) {
        ::close(fd);
        return makeError(ErrorCode::InvalidArgument,
                         "node key " + p + " must be exactly 32 bytes and readable by its owner only (chmod 600); it "
                                           "was not replaced, as it holds the devnet's funds");
    }
    crypto::SecureBytes seed(crypto::kEd25519SeedSize);
    const ssize_t n = ::read(fd, seed.data(), seed.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(seed.size())) return makeError(ErrorCode::Io, "cannot read the node key " + p);
    return crypto::KeyPair::fromSeed(seed);
}

NodeChain::NodeChain(Network network, storage::Database &db, storage::ObjectStore &objects, crypto::KeyPair key,
                     ledger::Ledger ledger)
    : network_(network), db_(db), objects_(objects), key_(std::move(key)), ledger_(std::move(ledger)), view_(ledger_)
{
    mempool_ = std::make_unique<ledger::Mempool>(network_, view_, ledger::MempoolLimits{}, spendOf);
    payloadCheck_ = [this](const chain::ObjectRecord &r) { return payloadAvailable(r); };
}

NodeChain::~NodeChain() = default;

Expected<std::unique_ptr<NodeChain>> NodeChain::open(Network network, const QString &dataDir, storage::Database &db,
                                                     storage::ObjectStore &objects, const QString &genesisFile)
{
    BLYAN_TRY(auto key, loadOrCreateNodeKey(dataDir + QStringLiteral("/node.key")));
    const ledger::LedgerOptions options{network, ledger::TokenomicsParams::defaults()};
    BLYAN_TRY(auto ledger, ledger::Ledger::open(db, options));
    std::unique_ptr<NodeChain> c(new NodeChain(network, db, objects, std::move(key), std::move(ledger)));

    // Which genesis: the file when one is given; a devnet's own otherwise. A testnet has no default:
    // its validators publish the file, and a node that guessed would start a chain nobody else has.
    std::optional<ledger::GenesisSpec> spec;
    if (!genesisFile.isEmpty()) {
        BLYAN_TRY(spec, c->genesisFromFile(genesisFile));
    } else if (network == Network::Devnet && !c->ledger_.hasGenesis()) {
        BLYAN_TRY(spec, c->devnetGenesis());
    } else if (!c->ledger_.hasGenesis()) {
        return makeError(ErrorCode::Unavailable,
                         "the " + networkName(network).toStdString() +
                             " chain needs its genesis file: start with --genesis FILE (the file the network's "
                             "validators publish)");
    }
    if (!c->ledger_.hasGenesis()) {
        BLYAN_TRY(const auto r, c->ledger_.applyGenesis(*spec));
        qCInfo(lcNode).noquote() << networkName(network) << "genesis" << hex(r.id) << "with"
                                 << spec->allocations.size() << "allocation(s)";
    } else if (spec) {
        // A data dir holds one chain; a different genesis file is a mistake to report, never to apply.
        BLYAN_TRY(const auto expected, ledger::genesisBlockId(*spec, options));
        BLYAN_TRY(auto stored, c->ledger_.blockByHeight(0));
        if (stored && stored->id != expected)
            return makeError(ErrorCode::InvalidArgument,
                             "the genesis file " + genesisFile.toStdString() + " describes the chain " +
                                 crypto::hashToHex(expected) + " but " + dataDir.toStdString() +
                                 " holds the chain " + crypto::hashToHex(stored->id) +
                                 "; use another --datadir for that chain");
    }
    BLYAN_TRY(auto genesis, c->ledger_.blockByHeight(0));
    if (!genesis) return makeError(ErrorCode::Corrupt, "node.sqlite has a chain tip but no genesis block");
    c->genesisMs_ = genesis->header.timeMs;
    qCInfo(lcNode).noquote() << networkName(network) << "chain at height" << c->ledger_.tip().height << "best block"
                             << c->bestBlockHash();
    return c;
}

Expected<chain::ObjectRecord> NodeChain::pactRecord()
{
    // The pact's text is compiled in (config/genesis-pact.md); its payload goes to the object store
    // before the block that references it (put is idempotent).
    const std::string_view text = embeddedFile("genesis-pact.md");
    if (text.empty()) return makeError(ErrorCode::Internal, "config/genesis-pact.md is not compiled in");
    BLYAN_TRY(const storage::ObjectInfo info, objects_.put(asBytes(text)));
    chain::ObjectRecord pact;
    pact.chain = chain::ObjectChain::A;
    pact.kind = "genesis_pact";
    pact.name = "genesis_pact";
    pact.payloadHash = info.hash;
    pact.size = info.size;
    pact.chunkMerkleRoot = info.merkleRoot;
    return pact;
}

Expected<ledger::GenesisSpec> NodeChain::devnetGenesis()
{
    ledger::GenesisSpec spec;
    BLYAN_TRY(spec.pact, pactRecord());
    spec.allocations.push_back({key_.publicKey(), ledger::TokenomicsParams::defaults().genesisSupply});
    spec.timeMs = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch());
    qCInfo(lcNode).noquote() << "devnet genesis: the whole genesis supply goes to the node key"
                             << QString::fromStdString(chain::formatAddress(network_, key_.publicKey()));
    return spec;
}

Expected<ledger::GenesisSpec> NodeChain::genesisFromFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, "cannot read the genesis file " + path.toStdString() + ": " +
                                            f.errorString().toStdString());
    const QByteArray json = f.read(16 * 1024 * 1024 + 1);
    BLYAN_TRY(const auto pact, pactRecord());
    auto spec = ledger::parseGenesisFile(json, network_, pact);
    if (!spec) return spec.error().context(path.toStdString());
    return spec;
}

Status NodeChain::payloadAvailable(const chain::ObjectRecord &record) const
{
    auto info = objects_.info(record.payloadHash);
    if (!info.ok())
        return makeError(ErrorCode::NotFound, "the payload " + crypto::hashToHex(record.payloadHash) +
                                                  " of object " + record.name + " is not in the object store");
    if (info->size != record.size || info->merkleRoot != record.chunkMerkleRoot)
        return makeError(ErrorCode::InvalidArgument, "the payload of object " + record.name +
                                                         " does not match its record (size or chunk Merkle root)");
    return {};
}

std::uint64_t NodeChain::height() const { return ledger_.tip().height; }

QString NodeChain::bestBlockHash() const { return hex(ledger_.tipId()); }

std::uint64_t NodeChain::slotAt(std::int64_t nowMs) const
{
    const std::uint64_t now = static_cast<std::uint64_t>(std::max<std::int64_t>(0, nowMs));
    const std::uint64_t slotMs = static_cast<std::uint64_t>(networkParams(network_).slotMs);
    return now > genesisMs_ ? (now - genesisMs_) / slotMs : 0;
}

bool NodeChain::maybeProduceBlock(std::int64_t nowMs)
{
    if (!producesBlocks()) return false;
    const chain::BlockHeader &tip = ledger_.tip();
    const std::uint64_t now = static_cast<std::uint64_t>(std::max<std::int64_t>(0, nowMs));
    const bool idleDue = now >= tip.timeMs + static_cast<std::uint64_t>(kIdleBlockIntervalMs);
    if (mempool_->size() == 0 && !idleDue) return false;
    const std::uint64_t slot = slotAt(nowMs);
    if (slot <= tip.slot) return false;  // one block per slot (and a clock that went back waits)
    return produceAt(slot, nowMs).ok();
}

Expected<chain::Block> NodeChain::produceAt(std::uint64_t slot, std::int64_t nowMs)
{
    const chain::BlockHeader &tip = ledger_.tip();
    if (slot <= tip.slot)
        return makeError(ErrorCode::InvalidArgument, "slot " + std::to_string(slot) + " is not after the tip's slot " +
                                                         std::to_string(tip.slot));
    const std::uint64_t now = static_cast<std::uint64_t>(std::max<std::int64_t>(0, nowMs));
    chain::Block block;
    block.header.height = tip.height + 1;
    block.header.parent = ledger_.tipId();
    block.header.slot = slot;
    block.header.timeMs = std::max(now, tip.timeMs);
    block.header.proposer = key_.publicKey();
    // Room for the header and the count varint under the block size limit.
    block.transactions =
        mempool_->selectForBlock(chain::kMaxBlockTransactions, chain::kMaxBlockSize - chain::kBlockHeaderSize - 64, view_);
    // An object whose payload is not here (yet) cannot go into our block: that transaction and the sender's
    // later ones wait in the pool (another proposer, or this one once the payload arrives, takes them).
    std::set<crypto::PublicKey> held;
    std::vector<chain::Transaction> ready;
    for (auto &tx : block.transactions) {
        if (held.count(tx.from)) continue;
        if (auto body = chain::transactionBody<chain::PublishObjectBody>(tx); body.ok() && !payloadAvailable(body->record).ok()) {
            held.insert(tx.from);
            continue;
        }
        ready.push_back(std::move(tx));
    }
    block.transactions = std::move(ready);
    block.header.txRoot = chain::computeTxRoot(block.transactions);

    auto fail = [&](const Error &e) -> Error {
        // A bug: the pool admitted what the ledger refuses. Drop the transactions that fail alone on
        // the tip; when each passes alone, the set as a whole is at fault and all of it goes.
        qCCritical(lcNode).noquote() << "block" << block.header.height << "failed to apply:" << QString::fromStdString(e.message);
        std::vector<chain::Transaction> bad;
        for (const auto &tx : block.transactions)
            if (!ledger_.checkTransactionAgainstState(tx, payloadCheck_).ok()) bad.push_back(tx);
        if (bad.empty()) bad = block.transactions;
        const std::size_t n = mempool_->removeIncluded(bad);
        qCCritical(lcNode) << "dropped" << n << "transactions from the pool";
        return e;
    };
    auto root = ledger_.previewStateRoot(block, payloadCheck_);
    if (!root.ok()) return fail(root.error());
    block.header.stateRoot = *root;
    chain::signBlock(block.header, key_);
    auto applied = applyBlock(block);
    if (!applied.ok()) return fail(applied.error());
    mempool_->expire(nowMs);
    return block;
}

Expected<ledger::BlockResult> NodeChain::applyBlock(const chain::Block &block)
{
    BLYAN_TRY(const ledger::BlockResult applied, ledger_.applyBlock(block, payloadCheck_));
    mempool_->removeIncluded(block.transactions);
    if (auto r = mempool_->revalidate(view_); !r.ok())
        qCWarning(lcNode).noquote() << "mempool revalidation:" << QString::fromStdString(r.error().message);
    if (!block.transactions.empty())
        qCInfo(lcNode).noquote() << "block" << applied.height << hex(applied.id) << "with" << applied.transactions
                                 << "transactions";
    return applied;
}

Expected<chain::Block> NodeChain::revertTip()
{
    BLYAN_TRY(chain::Block block, ledger_.revertTip());
    // Back to the pool, oldest first so nonces line up; what no longer fits the state is dropped.
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    for (const auto &tx : block.transactions) (void)mempool_->add(tx, now);
    if (auto r = mempool_->revalidate(view_); !r.ok())
        qCWarning(lcNode).noquote() << "mempool revalidation:" << QString::fromStdString(r.error().message);
    qCInfo(lcNode).noquote() << "reverted block" << block.header.height << hex(chain::blockId(block.header));
    return block;
}

// --- RPC --------------------------------------------------------------------------------------------

QJsonObject NodeChain::txJson(const chain::Transaction &tx)
{
    QJsonObject o{
        {QStringLiteral("txid"), hex(chain::transactionId(tx))},
        {QStringLiteral("kind"), QString::fromUtf8(chain::txKindName(tx.kind).data(),
                                                   static_cast<qsizetype>(chain::txKindName(tx.kind).size()))},
        {QStringLiteral("from"), QString::fromStdString(chain::formatAddress(network_, tx.from))},
        {QStringLiteral("nonce"), QString::number(tx.nonce)},
        {QStringLiteral("fee"), amountJson(tx.fee)},
        {QStringLiteral("size"), static_cast<qint64>(chain::encodeTransaction(tx).size())},
    };
    if (tx.kind == static_cast<std::uint8_t>(chain::TxKind::Transfer)) {
        if (auto b = chain::TransferBody::decode(tx.body); b.ok()) {
            o.insert(QStringLiteral("to"), QString::fromStdString(chain::formatAddress(network_, b->to)));
            o.insert(QStringLiteral("amount"), amountJson(b->amount));
        }
    } else if (tx.kind == static_cast<std::uint8_t>(chain::TxKind::Stake)) {
        if (auto b = chain::StakeBody::decode(tx.body); b.ok()) o.insert(QStringLiteral("amount"), amountJson(b->amount));
    }
    explorer::addTransactionDetails(o, tx, network_);  // every field, the body decoded per kind
    return o;
}

QJsonObject NodeChain::blockJson(const ledger::StoredBlock &b, int verbosity)
{
    const auto &h = b.header;
    QJsonObject o{
        {QStringLiteral("hash"), hex(b.id)},
        {QStringLiteral("height"), static_cast<qint64>(h.height)},
        {QStringLiteral("confirmations"), static_cast<qint64>(ledger_.tip().height - h.height + 1)},
        {QStringLiteral("previousblockhash"), hex(h.parent)},
        {QStringLiteral("slot"), static_cast<qint64>(h.slot)},
        {QStringLiteral("time"), static_cast<qint64>(h.timeMs)},
        {QStringLiteral("proposer"), QString::fromStdString(chain::formatAddress(network_, h.proposer))},
        {QStringLiteral("tx_root"), hex(h.txRoot)},
        {QStringLiteral("state_root"), hex(h.stateRoot)},
        {QStringLiteral("nTx"), static_cast<qint64>(b.transactions)},
        {QStringLiteral("final"), h.height <= finalHeight()},
    };
    explorer::addHeaderDetails(o, h);
    QJsonArray txs;
    auto st = db_.prepare("SELECT id, raw FROM txs WHERE height = ?1 ORDER BY tx_index");
    if (st.ok() && st->bindInt64(1, static_cast<std::int64_t>(h.height)).ok()) {
        while (true) {
            auto row = st->step();
            if (!row.ok() || !*row) break;
            if (verbosity >= 2) {
                auto tx = chain::decodeTransaction(st->columnBlobView(1));
                if (tx.ok()) txs.append(txJson(*tx));
            } else {
                auto id = st->columnHash(0);
                if (id.ok()) txs.append(hex(*id));
            }
        }
    }
    o.insert(QStringLiteral("tx"), txs);
    return o;
}

Expected<QJsonValue> NodeChain::getBlockCount() { return QJsonValue(static_cast<qint64>(height())); }

Expected<QJsonValue> NodeChain::getBestBlockHash() { return QJsonValue(bestBlockHash()); }

Expected<QJsonValue> NodeChain::getBlockHash(std::uint64_t h)
{
    BLYAN_TRY(auto b, ledger_.blockByHeight(h));
    if (!b) return makeError(ErrorCode::InvalidArgument, "block height " + std::to_string(h) + " out of range (the tip is at " +
                                                        std::to_string(height()) + ")");
    return QJsonValue(hex(b->id));
}

Expected<QJsonValue> NodeChain::getBlock(const QString &hashOrHeight, int verbosity)
{
    std::optional<ledger::StoredBlock> b;
    if (hashOrHeight.size() == 64) {
        BLYAN_TRY(const auto id, crypto::hashFromHex(hashOrHeight.toStdString()));
        BLYAN_TRY(b, ledger_.blockById(id));
    } else {
        bool ok = false;
        const qulonglong h = hashOrHeight.toULongLong(&ok);
        if (!ok) return makeError(ErrorCode::InvalidArgument, "getblock: expected a 64-hex block hash or a height");
        BLYAN_TRY(b, ledger_.blockByHeight(h));
    }
    if (!b) return makeError(ErrorCode::NotFound, "block " + hashOrHeight.toStdString() + " not found");
    if (verbosity == 0) {
        chain::Block full;
        full.header = b->header;
        auto st = db_.prepare("SELECT raw FROM txs WHERE height = ?1 ORDER BY tx_index");
        BLYAN_CHECK(st.ok() ? Status{} : Status(st.error()));
        BLYAN_CHECK(st->bindInt64(1, static_cast<std::int64_t>(b->header.height)));
        while (true) {
            BLYAN_TRY(const bool row, st->step());
            if (!row) break;
            BLYAN_TRY(auto tx, chain::decodeTransaction(st->columnBlobView(0)));
            full.transactions.push_back(std::move(tx));
        }
        return QJsonValue(QString::fromStdString(toHex(chain::encodeBlock(full))));
    }
    return QJsonValue(blockJson(*b, verbosity));
}

Expected<QJsonValue> NodeChain::getTransaction(const QString &txid)
{
    BLYAN_TRY(const auto id, crypto::hashFromHex(txid.toStdString()));
    BLYAN_TRY(auto stored, ledger_.transaction(id));
    if (stored) {
        QJsonObject o = txJson(stored->tx);
        BLYAN_TRY(auto b, ledger_.blockByHeight(stored->height));
        if (b) o.insert(QStringLiteral("blockhash"), hex(b->id));
        o.insert(QStringLiteral("blockheight"), static_cast<qint64>(stored->height));
        o.insert(QStringLiteral("confirmations"), static_cast<qint64>(height() - stored->height + 1));
        o.insert(QStringLiteral("in_mempool"), false);
        return QJsonValue(o);
    }
    if (auto tx = mempool_->get(id)) {
        QJsonObject o = txJson(*tx);
        o.insert(QStringLiteral("confirmations"), 0);
        o.insert(QStringLiteral("in_mempool"), true);
        return QJsonValue(o);
    }
    return makeError(ErrorCode::NotFound, "transaction " + txid.toStdString() + " is neither in a block nor in the mempool");
}

Expected<QJsonValue> NodeChain::getRawMempool()
{
    QJsonArray a;
    for (const auto &id : mempool_->txids()) a.append(hex(id));
    return QJsonValue(a);
}

Expected<std::uint64_t> NodeChain::nextNonce(const crypto::PublicKey &key)
{
    BLYAN_TRY(const std::uint64_t n, ledger_.nonce(key));
    return n + mempool_->pending(key).size();
}

Error NodeChain::relayRefusal() const
{
    return Error(ErrorCode::Unavailable, "this node cannot relay transactions on the " +
                                             networkName(network_).toStdString() +
                                             ": its P2P network is not running, so the transaction would never "
                                             "reach a validator");
}

Expected<chain::TxId> NodeChain::submitTransaction(chain::Transaction tx)
{
    if (!canRelay()) return relayRefusal();
    // The pool checks nonces and balances; the kind's own rules (a governance vote on a closed proposal, a
    // publish_object whose payload this node lacks) can be run on the tip for the account's next
    // transaction, so it is refused here with its reason instead of failing the block it would go into.
    if (auto next = ledger_.nonce(tx.from); next.ok() && *next == tx.nonce) {
        if (auto checked = ledger_.checkTransactionAgainstState(tx, payloadCheck_); !checked.ok()) return checked.error();
    }
    const chain::Transaction copy = relay_ ? tx : chain::Transaction{};
    BLYAN_TRY(const auto added, mempool_->add(std::move(tx), QDateTime::currentMSecsSinceEpoch()));
    if (relay_) relay_(copy);
    return added.id;
}

chain::Amount NodeChain::estimateFee(std::size_t txBytes) const
{
    // The floor rate keeps the pool's fee order meaningful; when more is waiting than one block takes,
    // the estimate outbids the cheapest transaction that would still be left out.
    const chain::Amount floor = kFloorFeePerByte * txBytes;
    if (mempool_->size() < chain::kMaxBlockTransactions) return floor;
    return std::max(floor, (mempool_->lowestFeeRate() + 1) * txBytes);
}

Expected<chain::TxId> NodeChain::fundFromValidator(const crypto::PublicKey &to, chain::Amount amount)
{
    if (network_ != Network::Devnet)
        return makeError(ErrorCode::Unavailable, "only a devnet funds wallets from its validator");
    chain::TransferBody body;
    body.to = to;
    body.amount = amount;
    BLYAN_TRY(const std::uint64_t nonce, nextNonce(key_.publicKey()));
    chain::Transaction tx = chain::makeTransaction(networkParams(network_).networkId, nonce, 0, body);
    tx.fee = estimateFee(chain::encodeTransaction(tx).size());
    chain::signTransaction(tx, key_);
    return submitTransaction(std::move(tx));
}

Expected<chain::TxId> NodeChain::publishObject(const chain::ObjectRecord &record)
{
    if (!canRelay()) return relayRefusal();
    chain::PublishObjectBody body;
    body.record = record;
    BLYAN_TRY(const std::uint64_t nonce, nextNonce(key_.publicKey()));
    chain::Transaction tx = chain::makeTransaction(networkParams(network_).networkId, nonce, 0, body);
    tx.fee = estimateFee(chain::encodeTransaction(tx).size());
    chain::signTransaction(tx, key_);
    return submitTransaction(std::move(tx));
}

Expected<QJsonValue> NodeChain::sendRawTransaction(const QString &hexText)
{
    if (!canRelay()) return relayRefusal();  // the reason, before any decoding
    BLYAN_TRY(const Bytes raw, fromHex(hexText.toStdString()));
    auto tx = chain::decodeTransaction(raw);
    if (!tx.ok()) return tx.error().context("transaction decode failed");
    BLYAN_TRY(const auto id, submitTransaction(std::move(*tx)));
    return QJsonValue(hex(id));
}

Expected<QJsonValue> NodeChain::getBalance(const QString &address)
{
    BLYAN_TRY(const auto key, chain::parseAddress(address.toStdString(), network_));
    BLYAN_TRY(const auto balance, ledger_.balance(key));
    BLYAN_TRY(const auto nonce, ledger_.nonce(key));
    BLYAN_TRY(const auto stake, ledger_.stake(key));
    BLYAN_TRY(const auto unbond, unbonding(key));
    return QJsonValue(QJsonObject{{QStringLiteral("address"), address},
                                  {QStringLiteral("balance"), amountJson(balance)},
                                  {QStringLiteral("stake"), amountJson(stake)},
                                  {QStringLiteral("unbonding"), amountJson(unbond.second)},
                                  {QStringLiteral("unbonding_releases"), unbond.first},
                                  {QStringLiteral("nonce"), QString::number(nonce)},
                                  {QStringLiteral("pending"), static_cast<qint64>(mempool_->pending(key).size())}});
}

Expected<std::pair<QJsonArray, chain::Amount>> NodeChain::unbonding(const crypto::PublicKey &key)
{
    BLYAN_TRY(const auto rows, ledger_.unbonding(key));
    const NetworkParams &net = networkParams(network_);
    QJsonArray out;
    chain::Amount total = 0;
    for (const auto &[k, amount] : rows) {
        BLYAN_TRY(total, chain::checkedAdd(total, amount, "unbonding total"));
        const std::uint64_t startMs = genesisMs_ + k.releaseEpoch * net.epochSlots * static_cast<std::uint64_t>(net.slotMs);
        out.append(QJsonObject{{QStringLiteral("amount"), amountJson(amount)},
                               {QStringLiteral("release_epoch"), static_cast<qint64>(k.releaseEpoch)},
                               {QStringLiteral("release_time_ms"), static_cast<qint64>(startMs)}});
    }
    return std::make_pair(out, total);
}

Expected<QJsonValue> NodeChain::getSupply()
{
    BLYAN_TRY(const auto s, ledger_.supply());
    BLYAN_CHECK(ledger_.checkSupplyIdentity());
    return QJsonValue(QJsonObject{{QStringLiteral("genesis"), amountJson(s.genesis)},
                                  {QStringLiteral("minted"), amountJson(s.minted)},
                                  {QStringLiteral("burned"), amountJson(s.burned)},
                                  {QStringLiteral("reward_pool"), amountJson(s.rewardPool)},
                                  {QStringLiteral("circulating"), amountJson(s.circulating)},
                                  {QStringLiteral("cap"), amountJson(ledger::TokenomicsParams::defaults().supplyCap)},
                                  {QStringLiteral("height"), static_cast<qint64>(height())}});
}

QJsonObject NodeChain::objectJson(const chain::ObjectId &id, const ledger::StoredObject &o) const
{
    const char letter = chain::objectChainLetter(o.record.chain);
    QJsonArray deps;
    for (const auto &d : o.record.dependsOn) deps.append(hex(d));
    return QJsonObject{
        {QStringLiteral("id"), hex(id)},
        {QStringLiteral("chain"), QString(QLatin1Char(letter))},
        {QStringLiteral("kind"), QString::fromStdString(o.record.kind)},
        {QStringLiteral("name"), QString::fromStdString(o.record.name)},
        {QStringLiteral("depends_on"), deps},
        {QStringLiteral("payload_hash"), hex(o.record.payloadHash)},
        {QStringLiteral("size"), static_cast<qint64>(o.record.size)},
        {QStringLiteral("chunk_merkle_root"), hex(o.record.chunkMerkleRoot)},
        {QStringLiteral("published_height"), static_cast<qint64>(o.publishedHeight)},
        {QStringLiteral("publisher"), QString::fromStdString(chain::formatAddress(network_, o.publisher))},
        {QStringLiteral("payload_available"), payloadAvailable(o.record).ok()},
    };
}

Expected<QJsonValue> NodeChain::listObjects(const QString &chainLetter, int limit)
{
    if (!chainLetter.isEmpty() && chainLetter != QLatin1String("A") && chainLetter != QLatin1String("B") &&
        chainLetter != QLatin1String("D"))
        return makeError(ErrorCode::InvalidArgument, "listobjects: chain must be A, B or D");
    BLYAN_TRY(auto st, db_.prepare("SELECT id FROM objects WHERE (?1 = '' OR chain = ?1) "
                                   "ORDER BY published_height, id LIMIT ?2"));
    BLYAN_CHECK(st.bindText(1, chainLetter));
    BLYAN_CHECK(st.bindInt64(2, limit));
    std::vector<chain::ObjectId> ids;
    while (true) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(auto id, st.columnHash(0));
        ids.push_back(id);
    }
    st.reset();
    QJsonArray a;
    for (const auto &id : ids) {
        BLYAN_TRY(auto o, ledger_.object(id));
        if (o) a.append(objectJson(id, *o));
    }
    return QJsonValue(a);
}

Expected<QJsonValue> NodeChain::getObject(const QString &idOrName)
{
    if (idOrName.size() == 64) {
        if (auto id = crypto::hashFromHex(idOrName.toStdString()); id.ok()) {
            BLYAN_TRY(auto o, ledger_.object(*id));
            if (o) return QJsonValue(objectJson(*id, *o));
        }
    }
    BLYAN_TRY(auto head, ledger_.head(idOrName.toStdString()));
    if (head) {
        BLYAN_TRY(auto o, ledger_.object(*head));
        if (o) return QJsonValue(objectJson(*head, *o));
    }
    return makeError(ErrorCode::NotFound, "object " + idOrName.toStdString() + " not found (give an object id or a name)");
}

}  // namespace blyan::node
