// NodeConsensus, the chain side: restoring state, proposing, voting, finality, fork choice and
// switching branches. The peer side (sync, gossip, payload chunks) is node_sync.cpp.
#include "node/node_consensus.h"

#include "chain/address.h"
#include "chain/tx_kinds/publish_object.h"
#include "chain/tx_kinds/slash_evidence.h"
#include "p2p/peer_manager.h"
#include "storage/database.h"
#include "util/log.h"

#include <QDateTime>
#include <QJsonArray>

namespace blyan::node {

namespace {

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }

// node_meta holds what this node alone knows: the final block it proved, its own last vote, and the
// votes that proved finality (served to peers that missed them).
Expected<std::optional<std::string>> readMeta(storage::Database &db, const char *key)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT value FROM node_meta WHERE key = ?1"));
    BLYAN_CHECK(st.bindText(1, std::string_view(key)));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.columnText(0));
}

Status writeMeta(storage::Database &db, const char *key, const std::string &value)
{
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO node_meta (key, value) VALUES (?1, ?2) "
                                        "ON CONFLICT (key) DO UPDATE SET value = ?2"));
    BLYAN_CHECK(st.bindText(1, std::string_view(key)));
    BLYAN_CHECK(st.bindText(2, value));
    return st.run();
}

std::uint64_t nowMs() { return static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch()); }

}  // namespace

NodeConsensus::NodeConsensus(NodeChain &chain, storage::Database &db) : chain_(chain), db_(db) {}

NodeConsensus::~NodeConsensus()
{
    for (auto &[hash, f] : fetches_) f.writer.abandon();
}

Status NodeConsensus::open()
{
    ledger::Ledger &ledger = chain_.ledger();
    consensus::Checkpoint final{0, {}};
    BLYAN_TRY(const auto genesis, ledger.blockByHeight(0));
    if (!genesis) return makeError(ErrorCode::Corrupt, "node.sqlite has no genesis block");
    final.id = genesis->id;
    if (!usesVotes()) {
        final = {ledger.tip().height, ledger.tipId()};  // a single proposer: every block is final
    } else {
        BLYAN_TRY(const auto h, readMeta(db_, "final_height"));
        BLYAN_TRY(const auto id, readMeta(db_, "final_id"));
        if (h && id) {
            BLYAN_TRY(const auto hash, crypto::hashFromHex(*id));
            const std::uint64_t height = std::stoull(*h);
            BLYAN_TRY(const auto stored, ledger.blockByHeight(height));
            if (!stored || stored->id != hash)
                return makeError(ErrorCode::Corrupt, "node.sqlite: the final block " + *id + " at height " + *h +
                                                         " is not on the stored chain; restore the data dir or resync");
            final = {height, hash};
        }
        BLYAN_TRY(const auto target, readMeta(db_, "vote_target_height"));
        BLYAN_TRY(const auto source, readMeta(db_, "vote_source_height"));
        if (target) lastVoteTarget_ = std::stoull(*target);
        if (source) lastVoteSource_ = std::stoull(*source);
        BLYAN_TRY(const auto cert, readMeta(db_, "final_certificate"));
        if (cert && !cert->empty()) {
            auto raw = fromHex(*cert);
            for (std::size_t off = 0; raw.ok() && off + chain::kVoteSize <= raw->size(); off += chain::kVoteSize)
                if (auto v = chain::decodeVote(ByteView(raw->data() + off, chain::kVoteSize))) certificate_.push_back(*v);
        }
    }
    fin_.reset(final);
    committed_ = final;
    chain_.setFinalHeight(final.height);
    loadTree();
    qCInfo(lcNode).noquote() << "consensus:" << (usesVotes() ? "validator set" : "single proposer") << "final height"
                             << final.height << "head" << ledger.tip().height;
    return {};
}

void NodeConsensus::loadTree()
{
    ledger::Ledger &ledger = chain_.ledger();
    const auto &final = committed_;
    auto root = ledger.blockByHeight(final.height);
    if (!root.ok() || !*root) return;
    tree_.reset((*root)->header, final.id);
    for (std::uint64_t h = final.height + 1; h <= ledger.tip().height; ++h) {
        auto b = ledger.blockByHeight(h);
        if (!b.ok() || !*b) break;
        if (tree_.addHeader((*b)->header).ok()) tree_.setHasBody((*b)->id);
    }
}

void NodeConsensus::setPeers(p2p::PeerManager *peers)
{
    peers_ = peers;
    if (peers_)
        chain_.setRelay([this](const chain::Transaction &tx) { relayTransaction(tx); });
    else
        chain_.setRelay({});
}

bool NodeConsensus::isValidator() const
{
    if (!usesVotes()) return true;
    ledger::Ledger &ledger = chain_.ledger();
    auto set = ledger.validatorSet(ledger::epochOfSlot(ledger.tip().slot, networkParams(chain_.network()).epochSlots));
    return set.ok() && set->stakeOf(chain_.key().publicKey()) > 0;
}

Expected<ledger::ValidatorSet> NodeConsensus::setFor(const chain::BlockHeader &header)
{
    return chain_.ledger().validatorSet(ledger::epochOfSlot(header.slot, networkParams(chain_.network()).epochSlots));
}

std::optional<chain::Block> NodeConsensus::blockById(const consensus::BlockId &id)
{
    if (const chain::Block *b = tree_.storedBody(id)) return *b;
    ledger::Ledger &ledger = chain_.ledger();
    auto stored = ledger.blockById(id);
    if (!stored.ok() || !*stored) return std::nullopt;
    chain::Block block;
    block.header = (*stored)->header;
    auto txs = ledger.blockTransactions(block.header.height);
    if (!txs.ok()) return std::nullopt;
    for (auto &t : *txs) block.transactions.push_back(std::move(t.tx));
    return block;
}

void NodeConsensus::persistFinality()
{
    const auto &f = committed_;
    std::string cert;
    for (const auto &v : certificate_) cert += toHex(chain::encodeVote(v));
    auto txn = storage::Transaction::begin(db_);
    Status s = txn.ok() ? Status{} : Status(txn.error());
    if (s.ok()) s = writeMeta(db_, "final_height", std::to_string(f.height));
    if (s.ok()) s = writeMeta(db_, "final_id", crypto::hashToHex(f.id));
    if (s.ok()) s = writeMeta(db_, "final_certificate", cert);
    if (s.ok()) s = txn->commit();
    if (!s.ok()) qCWarning(lcNode).noquote() << "cannot record the final block:" << QString::fromStdString(s.error().message);
}

Status NodeConsensus::persistVote(std::uint64_t target, std::uint64_t source)
{
    // Written (and synced: node.sqlite runs with synchronous=FULL) before the vote leaves this node.
    BLYAN_TRY(auto txn, storage::Transaction::begin(db_));
    BLYAN_CHECK(writeMeta(db_, "vote_target_height", std::to_string(target)));
    BLYAN_CHECK(writeMeta(db_, "vote_source_height", std::to_string(source)));
    BLYAN_CHECK(txn.commit());
    lastVoteTarget_ = target;
    lastVoteSource_ = source;
    return {};
}

void NodeConsensus::produce(std::int64_t now)
{
    if (!usesVotes()) {
        // A devnet: the single proposer's own timer rules (blocks when there is work, or once a minute).
        if (chain_.maybeProduceBlock(now)) {
            const auto &tip = chain_.ledger().tip();
            tree_.reset(tip, chain_.ledger().tipId());
            fin_.reset({tip.height, chain_.ledger().tipId()});
            committed_ = fin_.finalized();
            chain_.setFinalHeight(tip.height);
            sendStatus(std::nullopt);
            if (onChainChanged) onChainChanged();
        }
        return;
    }
    const std::uint64_t slot = chain_.slotAt(now);
    if (slot <= lastProducedSlot_ || slot <= chain_.ledger().tip().slot) return;
    // Catching up: a block on an old head would only start a fork the network has moved past.
    if (syncing()) return;
    auto proposer = chain_.ledger().nextProposer(slot);
    if (!proposer.ok() || !*proposer || **proposer != chain_.key().publicKey()) return;
    lastProducedSlot_ = slot;
    auto block = chain_.produceAt(slot, now);
    if (!block.ok()) {
        qCWarning(lcNode).noquote() << "slot" << slot << "was ours but the block failed:"
                                    << QString::fromStdString(block.error().message);
        return;
    }
    const consensus::BlockId id = chain::blockId(block->header);
    if (tree_.addHeader(block->header).ok()) tree_.setHasBody(id);
    if (peers_) peers_->broadcast(p2p::BlockMsg{*block});
    afterHeadMoved(true);
}

void NodeConsensus::afterHeadMoved(bool /*local*/)
{
    updateFinality();
    maybeVote();
    sendStatus(std::nullopt);
    if (onChainChanged) onChainChanged();
}

void NodeConsensus::setCatchingUp(bool catchingUp)
{
    // Catching up, blocks come from peers that already have them: a commit per block without an fsync (WAL,
    // synchronous=NORMAL: a killed process loses nothing, a power cut at most the last blocks, which are simply
    // downloaded again) is what lets a new node apply them at the speed of its CPU rather than of its disk's
    // flushes. At the head every block and every vote record is synced again.
    if (catchingUp == relaxedDurability_) return;
    relaxedDurability_ = catchingUp;
    (void)db_.exec(catchingUp ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
}

void NodeConsensus::maybeVote()
{
    // Not while catching up: those blocks are old news, and the vote record must be synced to disk.
    if (!usesVotes() || !isValidator() || relaxedDurability_) return;
    ledger::Ledger &ledger = chain_.ledger();
    const chain::BlockHeader &head = ledger.tip();
    const consensus::Checkpoint source = fin_.justified();
    // Once per target height, targets rising, sources never falling: no double or surround vote, ever.
    if (head.height <= lastVoteTarget_ || source.height >= head.height || source.height < lastVoteSource_) return;
    if (!tree_.isAncestor(source.id, ledger.tipId())) return;
    chain::Vote vote;
    vote.networkId = networkParams(chain_.network()).networkId;
    vote.sourceHeight = source.height;
    vote.source = source.id;
    vote.targetHeight = head.height;
    vote.target = ledger.tipId();
    if (Status s = persistVote(vote.targetHeight, vote.sourceHeight); !s.ok()) {
        qCWarning(lcNode).noquote() << "not voting: cannot record the vote first:" << QString::fromStdString(s.error().message);
        return;
    }
    chain::signVote(vote, chain_.key());
    ++stats_.votesCast;
    fin_.add(vote);
    if (peers_) peers_->broadcast(p2p::VoteMsg{vote});
    updateFinality();
}

Status NodeConsensus::submitVote(const chain::Vote &vote)
{
    if (!usesVotes()) return makeError(ErrorCode::Unavailable, "a devnet has a single proposer and takes no votes");
    BLYAN_CHECK(chain::checkVote(vote, networkParams(chain_.network()).networkId));
    handleVote(std::nullopt, vote);
    return {};
}

void NodeConsensus::handleVote(std::optional<PeerId> from, const chain::Vote &vote)
{
    if (!usesVotes()) return;
    if (Status s = chain::checkVote(vote, networkParams(chain_.network()).networkId); !s.ok()) {
        if (from) misbehaving(*from, 100, QStringLiteral("a vote that fails its checks: %1").arg(QString::fromStdString(s.error().message)));
        return;
    }
    // Only validators' votes are kept: of the target's epoch when the block is known, else of the
    // current or previous epoch (a vote may arrive before its block).
    ledger::Ledger &ledger = chain_.ledger();
    const std::uint64_t epochSlots = networkParams(chain_.network()).epochSlots;
    chain::Amount stake = 0;
    if (const auto *node = tree_.find(vote.target)) {
        if (auto set = setFor(node->header); set.ok()) stake = set->stakeOf(vote.voter);
    } else {
        const std::uint64_t epoch = ledger::epochOfSlot(ledger.tip().slot, epochSlots);
        for (std::uint64_t e : {epoch, epoch ? epoch - 1 : 0})
            if (auto set = ledger.validatorSet(e); set.ok()) stake = std::max(stake, set->stakeOf(vote.voter));
    }
    if (stake == 0) return;  // not a validator (or no longer): nothing to count, nothing to relay
    if (vote.targetHeight > bestKnownHeight() + 64) return;  // far beyond anything known: not kept
    ++stats_.votesReceived;
    const auto added = fin_.add(vote);
    if (added.conflict) submitEvidence(*added.conflict, vote);
    if (added.stored && peers_) peers_->broadcast(p2p::VoteMsg{vote}, from);
    if (added.stored) updateFinality();
}

void NodeConsensus::submitEvidence(const chain::Vote &a, const chain::Vote &b)
{
    const auto body = chain::SlashEvidenceBody::of(a, b);
    const crypto::Hash256 id = body.evidenceId();
    const QString who = QString::fromStdString(chain::formatAddress(chain_.network(), a.voter));
    qCWarning(lcNode).noquote() << "conflicting votes by" << who << "(" << chain::voteConflictName(chain::voteConflict(a, b))
                                << "at target heights" << a.targetHeight << "and" << b.targetHeight << ")";
    if (!evidenceSent_.insert(id).second) return;
    // The pool may already hold this evidence from someone else: one copy is enough.
    for (const auto &txid : chain_.mempool().txids()) {
        auto tx = chain_.mempool().get(txid);
        if (!tx) continue;
        if (auto other = chain::transactionBody<chain::SlashEvidenceBody>(*tx); other.ok() && other->evidenceId() == id) return;
    }
    auto nonce = chain_.nextNonce(chain_.key().publicKey());
    if (!nonce.ok()) return;
    chain::Transaction tx = chain::makeTransaction(networkParams(chain_.network()).networkId, *nonce, 0, body);
    tx.fee = chain_.estimateFee(chain::encodeTransaction(tx).size());
    chain::signTransaction(tx, chain_.key());
    auto r = chain_.submitTransaction(tx);
    if (!r.ok()) {
        qCWarning(lcNode).noquote() << "cannot submit the slashing evidence against" << who << ":"
                                    << QString::fromStdString(r.error().message);
        return;
    }
    ++stats_.evidenceSubmitted;
    qCInfo(lcNode).noquote() << "submitted slashing evidence against" << who << "in transaction" << hex(*r);
}

void NodeConsensus::updateFinality()
{
    if (!usesVotes()) return;
    const consensus::Checkpoint justifiedBefore = fin_.justified();
    fin_.update(tree_, [this](const chain::BlockHeader &h) { return setFor(h); });
    commitFinality();
    // A newly justified block can move the fork choice to another branch.
    if (!(fin_.justified() == justifiedBefore)) advance();
}

void NodeConsensus::commitFinality()
{
    const consensus::Checkpoint final = fin_.finalized();
    if (final == committed_ || final.height <= committed_.height) return;
    const consensus::BlockId tip = chain_.ledger().tipId();
    if (final.id != tip && !tree_.isAncestor(final.id, tip)) return;  // not applied here yet
    // The link that made it final (to its direct child), served to peers that missed the votes.
    if (const auto *n = tree_.find(final.id))
        for (const auto &child : n->children)
            if (auto votes = fin_.linkVotes(final.id, child); !votes.empty()) certificate_ = votes;
    committed_ = final;
    persistFinality();
    if (auto s = chain_.ledger().pruneUndo(final.height); !s.ok())
        qCWarning(lcNode).noquote() << "cannot drop undo logs:" << QString::fromStdString(s.error().message);
    tree_.prune(final.id);
    chain_.setFinalHeight(final.height);
    lastFinalityMs_ = QDateTime::currentMSecsSinceEpoch();
    qCInfo(lcNode).noquote() << "final height" << final.height << hex(final.id);
    if (onChainChanged) onChainChanged();
}

void NodeConsensus::adoptBlock(const chain::Block &block, std::optional<PeerId> from)
{
    const consensus::BlockId id = chain::blockId(block.header);
    if (Status s = tree_.addHeader(block.header); !s.ok()) {
        if (from) misbehaving(*from, 100, QStringLiteral("a block that does not fit its parent: %1").arg(QString::fromStdString(s.error().message)));
        return;
    }
    const auto *node = tree_.find(id);
    if (!node || node->hasBody || node->invalid) return;
    tree_.setHasBody(id, block);
    if (from) blockSource_[id] = *from;
    // Start fetching its payloads now, while earlier blocks are still being applied (a sync pipelines them).
    (void)payloadsReady(block);
    const consensus::BlockId tipBefore = chain_.ledger().tipId();
    advance();
    // Gossip what became part of our chain (checked by every rule), never what we only stored.
    if (peers_ && chain_.ledger().tipId() != tipBefore && tree_.isAncestor(id, chain_.ledger().tipId()))
        peers_->broadcast(p2p::BlockMsg{block}, from);
    // A stored vote for it may now count.
    updateFinality();
}

void NodeConsensus::advance()
{
    for (int round = 0; round < 8; ++round) {  // each failed block marks a branch invalid; a few rounds settle
        const consensus::BlockId tip = chain_.ledger().tipId();
        const consensus::BlockId best = tree_.bestTip(fin_.justified().id, tip);
        if (best == tip) return;
        if (switchTo(best)) return;
    }
}

bool NodeConsensus::switchTo(const consensus::BlockId &best)
{
    const consensus::BlockId tip = chain_.ledger().tipId();
    const consensus::BlockId ancestor = tree_.commonAncestor(tip, best);
    // Down to the common ancestor (never below the final block: it is the tree's root).
    while (chain_.ledger().tipId() != ancestor) {
        auto reverted = chain_.revertTip();
        if (!reverted.ok()) {
            qCCritical(lcNode).noquote() << "fork switch stopped: cannot revert the tip:" << QString::fromStdString(reverted.error().message);
            return true;
        }
        ++stats_.blocksReverted;
        tree_.setHasBody(chain::blockId(reverted->header), std::move(*reverted));
    }
    for (const consensus::BlockId &id : tree_.path(ancestor, best)) {
        const chain::Block *body = tree_.storedBody(id);
        if (!body) {
            qCCritical(lcNode).noquote() << "fork switch: no body for block" << hex(id);
            return true;
        }
        if (!payloadsReady(*body)) break;  // fetching; the switch goes on when the payloads are here
        auto applied = chain_.applyBlock(*body);
        if (!applied.ok()) {
            const QString why = QString::fromStdString(applied.error().message);
            qCWarning(lcNode).noquote() << "block" << body->header.height << hex(id) << "is invalid:" << why;
            auto src = blockSource_.find(id);
            if (src != blockSource_.end()) misbehaving(src->second, 100, QStringLiteral("an invalid block: %1").arg(why));
            tree_.markInvalid(id);
            blockSource_.erase(id);
            afterHeadMoved(false);
            return false;  // choose again without it
        }
        ++stats_.blocksApplied;
        tree_.dropStoredBody(id);  // in the ledger now
        blockSource_.erase(id);
    }
    afterHeadMoved(false);
    return true;
}

QJsonObject NodeConsensus::info() const
{
    ledger::Ledger &ledger = chain_.ledger();
    const NetworkParams &net = networkParams(chain_.network());
    const std::uint64_t epoch = ledger::epochOfSlot(ledger.tip().slot, net.epochSlots);
    QJsonArray validators;
    chain::Amount total = 0;
    if (usesVotes())
        if (auto set = ledger.validatorSet(epoch); set.ok()) {
            total = set->total();
            for (const auto &[key, stake] : set->members)
                validators.append(QJsonObject{{QStringLiteral("address"), QString::fromStdString(chain::formatAddress(chain_.network(), key))},
                                              {QStringLiteral("stake"), QString::fromStdString(chain::formatAmount(stake))},
                                              {QStringLiteral("self"), key == chain_.key().publicKey()}});
        }
    QJsonArray peerHeights;
    for (const auto &[id, st] : peerState_)
        if (st.status) peerHeights.append(QJsonObject{{QStringLiteral("peer"), static_cast<qint64>(id)},
                                                      {QStringLiteral("height"), static_cast<qint64>(st.status->height)},
                                                      {QStringLiteral("final_height"), static_cast<qint64>(st.status->finalHeight)}});
    const auto checkpoint = [](const consensus::Checkpoint &c) {
        return QJsonObject{{QStringLiteral("height"), static_cast<qint64>(c.height)}, {QStringLiteral("hash"), hex(c.id)}};
    };
    QJsonArray links;
    for (const auto &l : fin_.links()) {
        const auto *t = tree_.find(l.target);
        links.append(QJsonObject{{QStringLiteral("source_height"), static_cast<qint64>(l.sourceHeight)},
                                 {QStringLiteral("target_height"), static_cast<qint64>(l.targetHeight)},
                                 {QStringLiteral("votes"), static_cast<qint64>(l.votes)},
                                 {QStringLiteral("source_justified"), l.sourceJustified},
                                 {QStringLiteral("target_justified"), l.targetJustified},
                                 {QStringLiteral("target_known"), t != nullptr},
                                 {QStringLiteral("target_canonical"), t && tree_.isAncestor(l.target, ledger.tipId())}});
    }
    return QJsonObject{
        {QStringLiteral("links"), links},
        {QStringLiteral("mode"), usesVotes() ? QStringLiteral("validator set") : QStringLiteral("single proposer")},
        {QStringLiteral("role"), !usesVotes() ? QStringLiteral("proposer") : isValidator() ? QStringLiteral("validator") : QStringLiteral("observer")},
        {QStringLiteral("slot_ms"), net.slotMs},
        {QStringLiteral("current_slot"), static_cast<qint64>(chain_.slotAt(static_cast<std::int64_t>(nowMs())))},
        {QStringLiteral("epoch"), static_cast<qint64>(epoch)},
        {QStringLiteral("epoch_slots"), static_cast<qint64>(net.epochSlots)},
        {QStringLiteral("validators"), validators},
        {QStringLiteral("total_stake"), QString::fromStdString(chain::formatAmount(total))},
        {QStringLiteral("head"), checkpoint({ledger.tip().height, ledger.tipId()})},
        {QStringLiteral("justified"), checkpoint(fin_.justified())},
        {QStringLiteral("final"), checkpoint(committed_)},
        {QStringLiteral("final_proven"), checkpoint(fin_.finalized())},
        {QStringLiteral("last_vote"), QJsonObject{{QStringLiteral("source_height"), static_cast<qint64>(lastVoteSource_)},
                                                  {QStringLiteral("target_height"), static_cast<qint64>(lastVoteTarget_)}}},
        {QStringLiteral("syncing"), syncing()},
        {QStringLiteral("known_blocks"), static_cast<qint64>(tree_.size())},
        {QStringLiteral("blocks_in_flight"), static_cast<qint64>(blocksInFlight_.size())},
        {QStringLiteral("payloads_in_flight"), static_cast<qint64>(fetches_.size())},
        {QStringLiteral("stored_votes"), static_cast<qint64>(fin_.storedVotes())},
        {QStringLiteral("peers"), peerHeights},
        {QStringLiteral("stats"), QJsonObject{{QStringLiteral("blocks_received"), static_cast<qint64>(stats_.blocksReceived)},
                                              {QStringLiteral("blocks_applied"), static_cast<qint64>(stats_.blocksApplied)},
                                              {QStringLiteral("blocks_reverted"), static_cast<qint64>(stats_.blocksReverted)},
                                              {QStringLiteral("chunks_received"), static_cast<qint64>(stats_.chunksReceived)},
                                              {QStringLiteral("payload_bytes_received"), static_cast<qint64>(stats_.payloadBytesReceived)},
                                              {QStringLiteral("payloads_completed"), static_cast<qint64>(stats_.payloadsCompleted)},
                                              {QStringLiteral("votes_received"), static_cast<qint64>(stats_.votesReceived)},
                                              {QStringLiteral("votes_cast"), static_cast<qint64>(stats_.votesCast)},
                                              {QStringLiteral("evidence_submitted"), static_cast<qint64>(stats_.evidenceSubmitted)}}},
    };
}

}  // namespace blyan::node
