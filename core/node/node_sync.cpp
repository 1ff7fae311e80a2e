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

bool NodeConsensus::syncing() const
{
    const std::uint64_t height = chain_.ledger().tip().height;
    for (const auto &[id, st] : peerState_)
        if (st.status && st.status->height > height + 1) return true;
    return !blocksInFlight_.empty();
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
    for (auto &[hash, f] : fetches_) {
        for (auto it = f.inflight.begin(); it != f.inflight.end();)
            it = it->second.peer == peer ? f.inflight.erase(it) : std::next(it);
        f.lacking.erase(peer);
    }
}

void NodeConsensus::onSlot(std::int64_t nowMs)
{
    // More than a few blocks behind a peer: catching up (relaxed durability, no votes, no proposals).
    std::uint64_t ahead = 0;
    for (const auto &[id, st] : peerState_)
        if (st.status) ahead = std::max(ahead, st.status->height);
    const std::uint64_t height = chain_.ledger().tip().height;
    setCatchingUp(usesVotes() && ahead > height + 16);
    produce(nowMs);
    if (!peers_) return;
    for (auto &[peer, st] : peerState_) {
        const bool behind = st.status && (st.status->height > chain_.ledger().tip().height ||
                                          (st.status->height == chain_.ledger().tip().height && !tree_.contains(st.status->tip)));
        if (behind) askHeaders(peer);
        // A peer proved a later final block: ask for its proof (the votes may have gone by before we
        // connected). Its final block must be one we have, so not while far behind.
        if (usesVotes() && st.status && st.status->finalHeight > committed_.height &&
            st.status->finalHeight <= chain_.ledger().tip().height && nowMs - st.finalityAskedMs > 5'000) {
            st.finalityAskedMs = nowMs;
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
    st.headersAskedMs = 0;
    if (!usesVotes()) return;
    const std::uint64_t horizon = chain_.slotAt(now()) + 2;  // a little clock skew, no more
    std::size_t added = 0;
    for (const auto &h : m.headers) {
        const consensus::BlockId id = chain::blockId(h);
        if (tree_.contains(id)) continue;
        // At or below our final block: ours already (an answer to a locator sent before finality moved),
        // or a branch that can never win here.
        if (h.height <= committed_.height) {
            if (auto mine = chain_.ledger().blockById(id); mine.ok() && *mine) continue;
            misbehaving(peer, 20, QStringLiteral("headers of a branch that conflicts with our final block"));
            return;
        }
        if (!chain::verifyBlockSignature(h)) {
            misbehaving(peer, 100, QStringLiteral("a header with a bad proposer signature"));
            return;
        }
        if (h.slot > horizon) {
            misbehaving(peer, 20, QStringLiteral("a header from a future slot"));
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
    p2p::NotFound missing;
    for (const auto &id : m.ids) {
        if (auto b = blockById(id)) {
            (void)peers_->send(peer, p2p::BlockMsg{*b});
        } else {
            missing.ids.push_back(id);
        }
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
        }
    }
}

void NodeConsensus::handleBlock(PeerId peer, chain::Block block)
{
    ++stats_.blocksReceived;
    const consensus::BlockId id = chain::blockId(block.header);
    if (auto it = blocksInFlight_.find(id); it != blocksInFlight_.end()) {
        if (peerState_.count(it->second.peer))
            peerState_[it->second.peer].blocksInFlight = std::max(0, peerState_[it->second.peer].blocksInFlight - 1);
        blocksInFlight_.erase(it);
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
            if (peerState_.count(it->second.peer))
                peerState_[it->second.peer].blocksInFlight = std::max(0, peerState_[it->second.peer].blocksInFlight - 1);
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
    // Round-robin over the peers that have the blocks (their Status reached that height).
    std::vector<PeerId> peers = readyPeers();
    std::size_t next = 0;
    while (!wanted.empty() && blocksInFlight_.size() < kMaxBlocksInFlight) {
        bool sent = false;
        for (std::size_t tries = 0; tries < peers.size() && !wanted.empty(); ++tries) {
            const PeerId p = peers[(next + tries) % peers.size()];
            PeerState &st = peerState_[p];
            const std::uint64_t need = tree_.find(wanted.front())->header.height;
            if (!st.status || st.status->height < need || st.blocksInFlight >= kMaxBlocksInFlightPerPeer) continue;
            p2p::GetBlocks req;
            while (!wanted.empty() && static_cast<int>(req.ids.size()) < kBlocksPerRequest &&
                   tree_.find(wanted.front())->header.height <= st.status->height) {
                req.ids.push_back(wanted.front());
                blocksInFlight_[wanted.front()] = InFlight{p, nowMs};
                wanted.erase(wanted.begin());
            }
            st.blocksInFlight += static_cast<int>(req.ids.size());
            (void)peers_->send(p, req);
            next = (next + tries + 1) % peers.size();
            sent = true;
            break;
        }
        if (!sent) break;
    }
}

void NodeConsensus::handleTx(PeerId peer, const chain::Transaction &tx)
{
    const chain::TxId id = chain::transactionId(tx);
    if (chain_.mempool().contains(id)) return;
    txFrom_.emplace_back(id, peer);
    if (txFrom_.size() > kRememberedPeerTxs) txFrom_.pop_front();
    // Refused transactions (stale nonce, spent balance) are normal on a network: no score.
    (void)chain_.submitTransaction(tx);
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
    for (auto &[hash, f] : fetches_) {
        if (active++ >= kMaxParallelPayloads) break;
        for (auto it = f.inflight.begin(); it != f.inflight.end();)
            it = nowMs - it->second.sentMs > kChunkTimeoutMs ? f.inflight.erase(it) : std::next(it);
        if (f.lacking.size() >= peers.size()) f.lacking.clear();  // everyone said no: ask again later
        for (std::uint64_t i = f.next; i < f.chunks && static_cast<int>(f.inflight.size()) < kChunksInFlightPerPayload; ++i) {
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
    }
}

void NodeConsensus::handleGetChunk(PeerId peer, const p2p::GetChunk &m)
{
    storage::ObjectStore &store = chain_.objects();
    p2p::Chunk out{m.payload, m.index, false, {}, {}};
    if (store.has(m.payload)) {
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
