// NodeConsensus, the peer side (DESIGN.md section 9; docs/protocol.md "Sync"): Status exchange,
// headers-first sync, blocks downloaded in parallel batches from every peer that has them, object
// payloads fetched in 1 MiB chunks (each checked against the object's Merkle root) before the block
// that publishes them is applied, and gossip of transactions, blocks and votes. Everything a peer sends
// is checked; what breaks a rule is reported to the peer layer, which bans at the threshold.
#include "node/node_consensus.h"

#include "chain/tx_kinds/publish_object.h"
#include "p2p/peer_manager.h"
#include "storage/merkle.h"
#include "util/log.h"

#include <QDateTime>

#include <algorithm>

namespace blyan::node {

namespace {

constexpr qint64 kHeadersTimeoutMs = 10'000;
constexpr qint64 kBlockTimeoutMs = 20'000;
constexpr qint64 kChunkTimeoutMs = 15'000;
constexpr int kBlocksPerRequest = 16;
constexpr int kMaxBlocksInFlightPerPeer = 64;
constexpr std::size_t kMaxBlocksInFlight = 512;
constexpr int kChunksInFlightPerPayload = 8;
constexpr std::size_t kMaxParallelPayloads = 4;
constexpr std::size_t kMaxOrphans = 64;
constexpr std::size_t kRememberedPeerTxs = 4096;
constexpr std::size_t kPoolAnnounced = 1000;  // pool transactions sent to a new peer
// A sync that got no requested block body for this long no longer holds back our proposals: the header
// chain it follows may be one nobody can deliver (withheld bodies, or forged in an epoch whose proposers
// this node cannot check yet). Well above kBlockTimeoutMs, so one slow peer does not count.
constexpr qint64 kSyncStallMs = 30'000;
// Verified chunks held in memory while an earlier one is still missing: a peer that never answers the
// chunk at `next` must not make us buffer the rest of a multi-gigabyte payload.
constexpr std::uint64_t kChunkWindow = 32;
// A peer whose unsent answers exceed this gets NotFound / not-found chunks instead of more megabytes:
// it asks someone else (or us again later), and never reaches the connection's hard limit.
constexpr qint64 kServeBacklog = 16 * 1024 * 1024;
constexpr std::size_t kMaxLackingEntries = 4096;
constexpr std::size_t kMaxPayloadFetches = 64;
constexpr int kMaxRefusedRounds = 3;

qint64 now() { return QDateTime::currentMSecsSinceEpoch(); }

}  // namespace

std::vector<PeerId> NodeConsensus::readyPeers() const
{
    std::vector<PeerId> out;
    for (const auto &[id, st] : peerState_) out.push_back(id);
    return out;
}

void NodeConsensus::misbehaving(PeerId peer, int score, const QString &reason)
{
    qCWarning(lcNode).noquote() << "peer" << peer << "misbehaved (" << score << "):" << reason;
    if (peers_) peers_->misbehaving(peer, score, reason);
}

std::uint64_t NodeConsensus::bestKnownHeight() const
{
    std::uint64_t h = chain_.ledger().tip().height;
    if (const auto *n = tree_.find(tree_.bestHeaderTip(fin_.justified().id))) h = std::max(h, n->header.height);
    for (const auto &[id, st] : peerState_)
        if (st.status) h = std::max(h, st.status->height);
    return h;
}

void NodeConsensus::updateSyncState(std::int64_t nowMs)
{
    // Only a header chain this node verified counts: a Status is a claim (a peer announcing a huge height
    // used to stop every proposal and vote here for as long as it stayed connected). One block behind is
    // the normal race with a block still on its way, not a sync.
    const std::uint64_t height = chain_.ledger().tip().height;
    const auto *best = tree_.find(tree_.bestHeaderTip(fin_.justified().id));
    headerTipHeight_ = best ? best->header.height : height;
    if (!usesVotes() || headerTipHeight_ <= height + 1) {
        behindSinceMs_ = 0;
        syncing_ = false;
        return;
    }
    if (behindSinceMs_ == 0) behindSinceMs_ = nowMs;
    syncing_ = nowMs - std::max(behindSinceMs_, lastSyncBodyMs_) < kSyncStallMs;
}

std::optional<ledger::ValidatorSet> NodeConsensus::finalEpochSet()
{
    const auto *root = tree_.find(tree_.rootId());
    if (!root || !usesVotes()) return std::nullopt;
    auto set = setFor(root->header);
    if (!set.ok()) return std::nullopt;
    return std::move(*set);
}

bool NodeConsensus::wrongProposer(const chain::BlockHeader &header, std::optional<std::optional<ledger::ValidatorSet>> &finalSet)
{
    // Only for a header whose parent is in the tree (so it descends from the final block) and in the final
    // block's epoch: that epoch's set was fixed by a block at or below the final one, on every branch.
    const auto *root = tree_.find(tree_.rootId());
    if (!root || !tree_.contains(header.parent)) return false;
    const std::uint64_t epochSlots = networkParams(chain_.network()).epochSlots;
    if (ledger::epochOfSlot(header.slot, epochSlots) != ledger::epochOfSlot(root->header.slot, epochSlots)) return false;
    if (!finalSet) finalSet = finalEpochSet();  // looked up once per message, and only when needed
    if (!*finalSet) return false;
    const auto expected = ledger::proposerForSlot(**finalSet, chain_.ledger().genesisId(), header.slot);
    return !expected || *expected != header.proposer;
}

void NodeConsensus::sendStatus(std::optional<PeerId> to)
{
    if (!peers_) return;
    const ledger::Ledger &ledger = chain_.ledger();
    const p2p::StatusMsg m{ledger.tip().height, ledger.tipId(), std::min(committed_.height, ledger.tip().height)};
    if (to) {
        (void)peers_->send(*to, m);
    } else {
        peers_->broadcast(m);
        lastStatusMs_ = now();
    }
}

void NodeConsensus::sendVotes(std::optional<PeerId> to)
{
    if (!peers_ || !usesVotes()) return;
    for (const auto &v : fin_.votes()) {
        if (to)
            (void)peers_->send(*to, p2p::VoteMsg{v});
        else
            peers_->broadcast(p2p::VoteMsg{v});
    }
}

void NodeConsensus::onPeerReady(PeerId peer)
{
    peerState_[peer] = PeerState{};
    sendStatus(peer);
    sendVotes(peer);
    // What waits in our pool may never have reached this peer.
    std::size_t n = 0;
    for (const auto &id : chain_.mempool().txids()) {
        if (n++ >= kPoolAnnounced) break;
        if (auto tx = chain_.mempool().get(id)) (void)peers_->send(peer, p2p::TxMsg{*tx});
    }
}

void NodeConsensus::onPeerClosed(PeerId peer)
{
    peerState_.erase(peer);
    for (auto it = blocksInFlight_.begin(); it != blocksInFlight_.end();)
        it = it->second.peer == peer ? blocksInFlight_.erase(it) : std::next(it);
    for (auto &[id, lacking] : blockLacking_) lacking.erase(peer);
    for (auto &[hash, f] : fetches_) {
        for (auto it = f.inflight.begin(); it != f.inflight.end();)
            it = it->second.peer == peer ? f.inflight.erase(it) : std::next(it);
        f.lacking.erase(peer);
    }
}

void NodeConsensus::onSlot(std::int64_t nowMs)
{
    // More than a few blocks behind a verified header chain: catching up (relaxed durability, no votes,
    // no proposals). Never on a peer's word alone (see updateSyncState).
    updateSyncState(nowMs);
    const std::uint64_t height = chain_.ledger().tip().height;
    setCatchingUp(usesVotes() && syncing_ && headerTipHeight_ > height + 16);
    produce(nowMs);
    if (!peers_) return;
    // Over a copy of the ids: anything that sends can end up closing a peer, and onPeerClosed erases
    // from peerState_.
    for (const PeerId peer : readyPeers()) {
        auto it = peerState_.find(peer);
        if (it == peerState_.end()) continue;
        const PeerState &seen = it->second;
        const bool behind = seen.status && (seen.status->height > chain_.ledger().tip().height ||
                                            (seen.status->height == chain_.ledger().tip().height && !tree_.contains(seen.status->tip)));
        if (behind) askHeaders(peer);
        it = peerState_.find(peer);
        if (it == peerState_.end()) continue;
        PeerState &st = it->second;
        // A peer proved a later final block: ask for its proof (the votes may have gone by before we
        // connected). Its final block must be one we have, so not while far behind.
        if (usesVotes() && st.status && st.status->finalHeight > committed_.height &&
            st.status->finalHeight <= chain_.ledger().tip().height && nowMs - st.finalityAskedMs > 5'000) {
            st.finalityAskedMs = nowMs;
            st.finalityPending = true;
            (void)peers_->send(peer, p2p::GetFinality{});
        }
    }
    scheduleDownloads(nowMs);
    requestPayloads(nowMs);
    if (nowMs - lastStatusMs_ > 10'000) sendStatus(std::nullopt);
    // Finality stuck for a few slots: make sure everyone has seen every vote.
    const qint64 slotMs = networkParams(chain_.network()).slotMs;
    if (usesVotes() && nowMs - lastFinalityMs_ > 4 * slotMs && nowMs - lastVoteResendMs_ > 8 * slotMs) {
        lastVoteResendMs_ = nowMs;
        sendVotes(std::nullopt);
    }
}

void NodeConsensus::onMessage(PeerId peer, const p2p::Message &message)
{
    if (!peerState_.count(peer)) peerState_[peer] = PeerState{};
    if (const auto *m = std::get_if<p2p::StatusMsg>(&message)) {
        peerState_[peer].status = *m;
        if (m->height > chain_.ledger().tip().height || !tree_.contains(m->tip)) askHeaders(peer);
    } else if (const auto *m = std::get_if<p2p::GetHeaders>(&message)) {
        handleGetHeaders(peer, *m);
    } else if (const auto *m = std::get_if<p2p::Headers>(&message)) {
        handleHeaders(peer, *m);
    } else if (const auto *m = std::get_if<p2p::GetBlocks>(&message)) {
        handleGetBlocks(peer, *m);
    } else if (const auto *m = std::get_if<p2p::BlockMsg>(&message)) {
        handleBlock(peer, m->block);
    } else if (const auto *m = std::get_if<p2p::NotFound>(&message)) {
        handleNotFound(peer, *m);
    } else if (const auto *m = std::get_if<p2p::TxMsg>(&message)) {
        handleTx(peer, m->tx);
    } else if (const auto *m = std::get_if<p2p::VoteMsg>(&message)) {
        handleVote(peer, m->vote);
    } else if (std::get_if<p2p::GetFinality>(&message)) {
        if (!certificate_.empty() && peers_) (void)peers_->send(peer, p2p::Finality{certificate_});
    } else if (const auto *m = std::get_if<p2p::Finality>(&message)) {
        // Only as the answer we asked for: each of up to 1,024 votes costs a signature check, and replayed
        // (valid) certificates would otherwise be free to send in a loop.
        PeerState &st = peerState_[peer];
        if (!st.finalityPending) return;
        st.finalityPending = false;
        const std::uint32_t net = networkParams(chain_.network()).networkId;
        for (const auto &v : m->votes)
            if (!chain::checkVote(v, net).ok()) {
                misbehaving(peer, 100, QStringLiteral("a finality certificate with a bad vote"));
                return;
            }
        if (fin_.adoptCertificate(m->votes, tree_, [this](const chain::BlockHeader &h) { return setFor(h); })) {
            qCInfo(lcNode).noquote() << "finality certificate from peer" << peer << "proves height" << fin_.finalized().height;
            advance();
            commitFinality();
        }
    } else if (const auto *m = std::get_if<p2p::GetChunk>(&message)) {
        handleGetChunk(peer, *m);
    } else if (const auto *m = std::get_if<p2p::Chunk>(&message)) {
        handleChunk(peer, *m);
    }
}

std::vector<chain::BlockId> NodeConsensus::locator()
{
    // Newest first: the tip, then back 1, 2, 4, 8... blocks, and genesis, so that a peer on a fork
    // finds the common ancestor in one answer.
    ledger::Ledger &ledger = chain_.ledger();
    std::vector<chain::BlockId> ids;
    std::uint64_t h = ledger.tip().height, step = 1;
    while (ids.size() + 1 < p2p::kMaxLocator) {
        if (auto b = ledger.blockByHeight(h); b.ok() && *b) ids.push_back((*b)->id);
        if (h == 0) break;
        if (ids.size() > 8) step *= 2;
        h = h > step ? h - step : 0;
    }
    if (auto g = ledger.blockByHeight(0); g.ok() && *g && ids.back() != (*g)->id) ids.push_back((*g)->id);
    return ids;
}

void NodeConsensus::askHeaders(PeerId peer)
{
    if (!peers_ || !usesVotes()) return;  // a devnet takes no blocks from peers
    PeerState &st = peerState_[peer];
    if (st.headersAskedMs && now() - st.headersAskedMs < kHeadersTimeoutMs) return;
    st.headersAskedMs = now();
    (void)peers_->send(peer, p2p::GetHeaders{locator(), static_cast<std::uint32_t>(p2p::kMaxHeadersPerMessage)});
}

void NodeConsensus::handleGetHeaders(PeerId peer, const p2p::GetHeaders &m)
{
    // Up to 2,000 headers read from the ledger for a few dozen bytes: not while the peer leaves our
    // earlier answers unread (it asks again after its timeout).
    if (peers_->sendBacklog(peer) > kServeBacklog) return;
    ledger::Ledger &ledger = chain_.ledger();
    std::uint64_t start = 1;
    for (const auto &id : m.locator)
        if (auto b = ledger.blockById(id); b.ok() && *b) {
            start = (*b)->header.height + 1;
            break;
        }
    p2p::Headers out;
    const std::uint64_t tip = ledger.tip().height;
    for (std::uint64_t h = start; h <= tip && out.headers.size() < std::max<std::uint32_t>(1, m.max); ++h) {
        auto b = ledger.blockByHeight(h);
        if (!b.ok() || !*b) break;
        out.headers.push_back((*b)->header);
    }
    (void)peers_->send(peer, out);
}

void NodeConsensus::handleHeaders(PeerId peer, const p2p::Headers &m)
{
    PeerState &st = peerState_[peer];
    // Only as an answer to our GetHeaders: each new header costs a signature check and a tree node.
    if (st.headersAskedMs == 0) return;
    st.headersAskedMs = 0;
    if (!usesVotes()) return;
    const std::uint64_t horizon = chain_.slotAt(now()) + 2;  // a little clock skew, no more
    std::optional<std::optional<ledger::ValidatorSet>> finalSet;
    std::size_t added = 0;
    for (std::size_t i = 0; i < m.headers.size(); ++i) {
        const chain::BlockHeader &h = m.headers[i];
        // One chain per answer (docs/protocol.md: consecutive): never a fan of siblings.
        if (i > 0 && h.parent != chain::blockId(m.headers[i - 1])) {
            misbehaving(peer, 20, QStringLiteral("headers that are not consecutive"));
            return;
        }
        const consensus::BlockId id = chain::blockId(h);
        if (tree_.contains(id)) continue;
        // At or below our final block: ours already (an answer to a locator sent before finality moved),
        // or a branch that can never win here.
        if (h.height <= committed_.height) {
            if (auto mine = chain_.ledger().blockById(id); mine.ok() && *mine) continue;
            misbehaving(peer, 20, QStringLiteral("headers of a branch that conflicts with our final block"));
            return;
        }
        if (h.slot > horizon) {
            misbehaving(peer, 20, QStringLiteral("a header from a future slot"));
            return;
        }
        // Before the signature (cheaper): anyone can sign a header with a key of their own. Score 20, not a
        // ban: a slashing in a block that is not final yet changes the set on one branch only.
        if (wrongProposer(h, finalSet)) {
            misbehaving(peer, 20, QStringLiteral("a header whose proposer is not its slot's"));
            return;
        }
        if (!chain::verifyBlockSignature(h)) {
            misbehaving(peer, 100, QStringLiteral("a header with a bad proposer signature"));
            return;
        }
        Status s = tree_.addHeader(h);
        if (!s.ok()) {
            if (s.error().code == ErrorCode::NotFound) {
                // Below our final block or another chain: nothing we can use.
                misbehaving(peer, 20, QStringLiteral("headers that do not connect to our chain above its final block"));
            } else {
                misbehaving(peer, 100, QStringLiteral("headers that break the chain rules: %1").arg(QString::fromStdString(s.error().message)));
            }
            return;
        }
        ++added;
    }
    if (m.headers.size() >= p2p::kMaxHeadersPerMessage && added > 0) askHeaders(peer);  // there is more
    scheduleDownloads(now());
}

void NodeConsensus::handleGetBlocks(PeerId peer, const p2p::GetBlocks &m)
{
    // 128 ids of up to 4 MiB each: served only while the peer takes what we send (a requester that does
    // not read would otherwise make us load and queue half a gigabyte). The rest is NotFound: it asks
    // another peer, or us again later.
    p2p::NotFound missing;
    for (const auto &id : m.ids) {
        const qint64 backlog = peers_->sendBacklog(peer);
        if (backlog < 0) return;  // gone
        std::optional<chain::Block> b;
        if (backlog <= kServeBacklog) b = blockById(id);
        if (b && peers_->send(peer, p2p::BlockMsg{*b}).ok()) continue;
        missing.ids.push_back(id);
    }
    if (!missing.ids.empty()) (void)peers_->send(peer, missing);
}

void NodeConsensus::handleNotFound(PeerId peer, const p2p::NotFound &m)
{
    for (const auto &id : m.ids) {
        auto it = blocksInFlight_.find(id);
        if (it != blocksInFlight_.end() && it->second.peer == peer) {
            blocksInFlight_.erase(it);
            peerState_[peer].blocksInFlight = std::max(0, peerState_[peer].blocksInFlight - 1);
            if (blockLacking_.size() < kMaxLackingEntries || blockLacking_.count(id)) blockLacking_[id].insert(peer);
        }
    }
}

void NodeConsensus::handleBlock(PeerId peer, chain::Block block)
{
    ++stats_.blocksReceived;
    const consensus::BlockId id = chain::blockId(block.header);
    bool requested = false;
    if (auto it = blocksInFlight_.find(id); it != blocksInFlight_.end()) {
        if (peerState_.count(it->second.peer))
            peerState_[it->second.peer].blocksInFlight = std::max(0, peerState_[it->second.peer].blocksInFlight - 1);
        blocksInFlight_.erase(it);
        requested = true;
    }
    if (!usesVotes()) return;  // a devnet's blocks come from its own proposer only
    // The cheap half of the rules at once (who signed it, does the header commit to these transactions); the
    // transactions' own checks run once, when the ledger applies the block, and a failure there is reported
    // against this peer too (blockSource_).
    if (!chain::verifyBlockSignature(block.header)) {
        misbehaving(peer, 100, QStringLiteral("an invalid block: its proposer signature does not verify"));
        return;
    }
    if (chain::computeTxRoot(block.transactions) != block.header.txRoot) {
        misbehaving(peer, 100, QStringLiteral("an invalid block: its tx_root does not match its transactions"));
        return;
    }
    if (block.header.slot > chain_.slotAt(now()) + 2) return;  // from the future: taken when its slot comes
    if (const auto *n = tree_.find(id); n && (n->hasBody || n->invalid)) return;
    // A block signed by someone else than its slot's proposer would sit in the tree (with its body) until
    // finality passes it: refused here when this node can tell (see finalEpochSet).
    if (std::optional<std::optional<ledger::ValidatorSet>> finalSet; wrongProposer(block.header, finalSet)) {
        misbehaving(peer, 20, QStringLiteral("a block whose proposer is not its slot's"));
        return;
    }
    blockLacking_.erase(id);
    // A new block above our final one that verifies: protects the peer from inbound eviction (replaying old
    // final blocks earns nothing).
    if (peers_ && block.header.height > committed_.height) peers_->markUseful(peer);
    if (requested) lastSyncBodyMs_ = now();  // the sync we follow is delivering
    if (!tree_.contains(block.header.parent)) {
        if (block.header.height <= committed_.height) return;  // an old fork below our final block
        if (orphans_.size() >= kMaxOrphans) orphans_.erase(orphans_.begin());
        orphans_[id] = std::move(block);
        askHeaders(peer);
        return;
    }
    adoptBlock(block, peer);
    // Orphans whose parent just arrived.
    for (bool again = true; again;) {
        again = false;
        for (auto it = orphans_.begin(); it != orphans_.end(); ++it)
            if (tree_.contains(it->second.header.parent)) {
                chain::Block b = std::move(it->second);
                orphans_.erase(it);
                adoptBlock(b, std::nullopt);
                again = true;
                break;
            }
    }
    // Refill the pipeline when it runs low (not after every block: that walks the whole tree each time).
    if (blocksInFlight_.size() < kMaxBlocksInFlight / 2) scheduleDownloads(now());
}

void NodeConsensus::scheduleDownloads(std::int64_t nowMs)
{
    if (!peers_ || !usesVotes()) return;
    for (auto it = blocksInFlight_.begin(); it != blocksInFlight_.end();) {
        if (nowMs - it->second.sentMs > kBlockTimeoutMs) {
            if (peerState_.count(it->second.peer)) {
                peerState_[it->second.peer].blocksInFlight = std::max(0, peerState_[it->second.peer].blocksInFlight - 1);
                if (blockLacking_.size() < kMaxLackingEntries || blockLacking_.count(it->first))
                    blockLacking_[it->first].insert(it->second.peer);
            }
            it = blocksInFlight_.erase(it);
        } else {
            ++it;
        }
    }
    const consensus::BlockId target = tree_.bestHeaderTip(fin_.justified().id);
    std::vector<consensus::BlockId> wanted;
    for (const auto &id : tree_.missingBodies(target))
        if (!blocksInFlight_.count(id) && !orphans_.count(id)) wanted.push_back(id);
    if (wanted.empty()) return;
    // Round-robin over the peers that have the blocks (their Status reached that height), batches of
    // kBlocksPerRequest, starting one peer further each round, and skipping for each block the peers
    // that already failed to deliver it.
    const std::vector<PeerId> peers = readyPeers();
    if (peers.empty()) return;
    std::vector<p2p::GetBlocks> batches(peers.size());
    std::size_t cursor = downloadCursor_++ % peers.size();
    const auto flush = [&](std::size_t k) {
        if (batches[k].ids.empty()) return;
        (void)peers_->send(peers[k], batches[k]);
        batches[k].ids.clear();
    };
    for (const consensus::BlockId &id : wanted) {
        if (blocksInFlight_.size() >= kMaxBlocksInFlight) break;
        const std::uint64_t need = tree_.find(id)->header.height;
        auto lacking = blockLacking_.find(id);
        bool placed = false, room = false;
        for (std::size_t t = 0; t < peers.size() && !placed; ++t) {
            const std::size_t k = (cursor + t) % peers.size();
            auto st = peerState_.find(peers[k]);
            if (st == peerState_.end() || st->second.blocksInFlight >= kMaxBlocksInFlightPerPeer) continue;
            room = true;
            if (!st->second.status || st->second.status->height < need) continue;
            if (lacking != blockLacking_.end() && lacking->second.count(peers[k])) continue;
            batches[k].ids.push_back(id);
            blocksInFlight_[id] = InFlight{peers[k], nowMs};
            ++st->second.blocksInFlight;
            if (static_cast<int>(batches[k].ids.size()) >= kBlocksPerRequest) {
                flush(k);
                cursor = (k + 1) % peers.size();
            }
            placed = true;
        }
        if (!room) break;  // every peer has its fill
        // Every peer that could have it failed: try them all again next round.
        if (!placed && lacking != blockLacking_.end()) blockLacking_.erase(lacking);
    }
    for (std::size_t k = 0; k < peers.size(); ++k) flush(k);
}

void NodeConsensus::handleTx(PeerId peer, const chain::Transaction &tx)
{
    const chain::TxId id = chain::transactionId(tx);
    if (chain_.mempool().contains(id)) return;
    txFrom_.emplace_back(id, peer);
    if (txFrom_.size() > kRememberedPeerTxs) txFrom_.pop_front();
    // Refused transactions (stale nonce, spent balance) are normal on a network: no score.
    if (chain_.submitTransaction(tx).ok() && peers_) peers_->markUseful(peer);
}

void NodeConsensus::relayTransaction(const chain::Transaction &tx)
{
    if (!peers_) return;
    const chain::TxId id = chain::transactionId(tx);
    std::optional<PeerId> from;
    for (auto it = txFrom_.rbegin(); it != txFrom_.rend(); ++it)
        if (it->first == id) {
            from = it->second;
            break;
        }
    peers_->broadcast(p2p::TxMsg{tx}, from);
}

// --- object payloads ---------------------------------------------------------------------------------

bool NodeConsensus::payloadsReady(const chain::Block &block)
{
    bool ready = true;
    for (const auto &tx : block.transactions) {
        auto body = chain::transactionBody<chain::PublishObjectBody>(tx);
        if (!body.ok()) continue;
        const chain::ObjectRecord &r = body->record;
        if (chain_.payloadAvailable(r).ok()) continue;
        ready = false;
        if (fetches_.count(r.payloadHash)) continue;
        // Bounded: each fetch holds an open temporary file, and a block may name thousands of payloads.
        // The rest start as these finish (the block asks again each time it is next to be applied).
        if (fetches_.size() >= kMaxPayloadFetches) continue;
        auto writer = chain_.objects().writer();
        if (!writer.ok()) {
            qCWarning(lcNode).noquote() << "cannot store the payload of" << QString::fromStdString(r.name) << ":"
                                        << QString::fromStdString(writer.error().message);
            continue;
        }
        PayloadFetch f;
        f.record = r;
        f.chunks = storage::chunkCountForSize(r.size);
        f.writer = std::move(*writer);
        fetches_.emplace(r.payloadHash, std::move(f));
    }
    if (!ready) requestPayloads(now());
    return ready;
}

void NodeConsensus::requestPayloads(std::int64_t nowMs)
{
    if (!peers_ || fetches_.empty()) return;
    std::vector<PeerId> peers = readyPeers();
    if (peers.empty()) return;
    std::size_t active = 0, rr = 0;
    for (auto fit = fetches_.begin(); fit != fetches_.end();) {
        const crypto::Hash256 &hash = fit->first;
        PayloadFetch &f = fit->second;
        if (active++ >= kMaxParallelPayloads) break;
        for (auto it = f.inflight.begin(); it != f.inflight.end();) {
            if (nowMs - it->second.sentMs > kChunkTimeoutMs) {
                f.lacking.insert(it->second.peer);  // silent: the chunk goes to someone else
                it = f.inflight.erase(it);
            } else {
                ++it;
            }
        }
        if (f.lacking.size() >= peers.size()) {
            // Everyone said no. A payload nobody ever served (a block naming one that does not exist) is
            // dropped after a few rounds, so it cannot hold one of the kMaxParallelPayloads places for
            // good; its block asks for it again when it is next in line to be applied.
            if (f.next == 0 && f.ready.empty() && ++f.refusedRounds >= kMaxRefusedRounds) {
                f.writer.abandon();
                fit = fetches_.erase(fit);
                continue;
            }
            f.lacking.clear();  // ask again later
        }
        // Within a window after the first missing chunk: verified chunks wait in memory for it.
        const std::uint64_t end = std::min(f.chunks, f.next + kChunkWindow);
        for (std::uint64_t i = f.next; i < end && static_cast<int>(f.inflight.size()) < kChunksInFlightPerPayload; ++i) {
            if (f.ready.count(i) || f.inflight.count(i)) continue;
            // Chunks spread over every peer that has not said it lacks the payload.
            PeerId chosen = 0;
            bool found = false;
            for (std::size_t t = 0; t < peers.size(); ++t) {
                const PeerId p = peers[(rr + t) % peers.size()];
                if (!f.lacking.count(p)) {
                    chosen = p;
                    rr = (rr + t + 1) % peers.size();
                    found = true;
                    break;
                }
            }
            if (!found) break;
            f.inflight[i] = InFlight{chosen, nowMs};
            (void)peers_->send(chosen, p2p::GetChunk{hash, i});
        }
        ++fit;
    }
}

void NodeConsensus::handleGetChunk(PeerId peer, const p2p::GetChunk &m)
{
    storage::ObjectStore &store = chain_.objects();
    p2p::Chunk out{m.payload, m.index, false, {}, {}};
    // Not found while the peer has not taken our earlier answers (see kServeBacklog).
    const qint64 backlog = peers_->sendBacklog(peer);
    if (backlog < 0) return;
    if (backlog <= kServeBacklog && store.has(m.payload)) {
        auto data = store.readChunk(m.payload, m.index);
        auto proof = store.chunkProof(m.payload, m.index);
        if (data.ok() && proof.ok()) {
            out.found = true;
            out.data = std::move(*data);
            out.proof = std::move(*proof);
        }
    }
    (void)peers_->send(peer, out);
}

void NodeConsensus::handleChunk(PeerId peer, const p2p::Chunk &m)
{
    auto it = fetches_.find(m.payload);
    if (it == fetches_.end()) return;  // not asked for (or done meanwhile)
    PayloadFetch &f = it->second;
    auto asked = f.inflight.find(m.index);
    if (asked == f.inflight.end() || asked->second.peer != peer) return;
    f.inflight.erase(asked);
    if (!m.found) {
        f.lacking.insert(peer);
        requestPayloads(now());
        return;
    }
    // The record on the chain fixes the size (hence the chunk count) and the Merkle root; the peer's
    // chunk must prove itself against them.
    if (!storage::verifyMerkleChunk(f.record.chunkMerkleRoot, m.index, f.chunks, m.data, m.proof)) {
        misbehaving(peer, 100, QStringLiteral("a payload chunk that fails its Merkle proof"));
        return;
    }
    ++stats_.chunksReceived;
    stats_.payloadBytesReceived += m.data.size();
    f.ready[m.index] = m.data;
    while (f.ready.count(f.next)) {
        if (Status s = f.writer.append(f.ready[f.next]); !s.ok()) {
            qCWarning(lcNode).noquote() << "payload write failed:" << QString::fromStdString(s.error().message);
            f.writer.abandon();
            fetches_.erase(it);
            return;
        }
        f.ready.erase(f.next);
        ++f.next;
    }
    if (f.next == f.chunks) {
        finishPayload(f);
        fetches_.erase(it);
        advance();  // the block that waited for it
        return;
    }
    requestPayloads(now());
}

void NodeConsensus::finishPayload(PayloadFetch &f)
{
    auto info = f.writer.commit();
    if (!info.ok() || info->hash != f.record.payloadHash || info->size != f.record.size ||
        info->merkleRoot != f.record.chunkMerkleRoot) {
        qCWarning(lcNode).noquote() << "payload of" << QString::fromStdString(f.record.name)
                                    << "does not match its record after download; it will be fetched again";
        if (info.ok() && info->hash != f.record.payloadHash) (void)chain_.objects().remove(info->hash);
        return;
    }
    ++stats_.payloadsCompleted;
}

}  // namespace blyan::node
