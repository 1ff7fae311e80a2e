#pragma once
// NodeConsensus: the node's part in a network of validators (DESIGN.md sections 5 and 9). It lives on
// the node worker thread beside NodeChain and drives it:
//
//   - proposing: at each slot, a validator whose slot it is builds a block on the head of the fork
//     choice (NodeChain::produceAt) and gossips it;
//   - voting: whenever the head moves higher, a validator signs a finality vote (source: the highest
//     justified block, target: the new head), recorded in node.sqlite *before* it is sent, so that a
//     restart can never make it vote twice for one height (chain/vote.h);
//   - finality (consensus/finality.h) from everyone's votes; a final block prunes the block tree and
//     the ledger's undo logs, and is never reverted;
//   - fork choice (consensus/block_tree.h): when another branch wins, the ledger reverts to the common
//     ancestor and applies the branch;
//   - sync with peers (node_sync.cpp): Status, headers-first download, blocks in parallel batches from
//     several peers, object payloads in 1 MiB chunks checked against their Merkle roots before the block
//     that publishes them is applied, finality certificates for a node that missed the votes;
//   - gossip of transactions, blocks and votes, and slashing evidence for conflicting votes.
//
// A devnet runs the same code with a single proposer: its blocks are final at once, and it takes no
// blocks from peers (nobody else can sign them). Misbehaving peers are reported to the peer layer,
// which bans at the threshold.

#include "consensus/block_tree.h"
#include "consensus/finality.h"
#include "node/node_chain.h"
#include "p2p/messages.h"
#include "storage/object_store.h"

#include <QJsonObject>

#include <deque>
#include <functional>
#include <map>
#include <set>

namespace blyan::p2p {
class PeerManager;
using PeerId = quint64;  // as in p2p/peer_manager.h
}

namespace blyan::node {

using p2p::PeerId;

// Figures for getconsensusinfo, the sync benchmark and the GUI.
struct SyncStats {
    quint64 blocksReceived = 0, blocksApplied = 0, blocksReverted = 0;
    quint64 chunksReceived = 0, payloadBytesReceived = 0, payloadsCompleted = 0;
    quint64 votesReceived = 0, votesCast = 0, evidenceSubmitted = 0;
};

class NodeConsensus {
public:
    NodeConsensus(NodeChain &chain, storage::Database &db);
    ~NodeConsensus();

    // Restores the final block, our last vote and the certificate from node.sqlite, and the block tree
    // from the ledger's non-final blocks.
    Status open();
    // The peer layer (null: none). Its callbacks are set by the caller to the on* methods below.
    void setPeers(p2p::PeerManager *peers);

    // Called once per slot (and more often is harmless): proposes when the slot is ours, retries
    // timed-out requests, asks peers that are ahead for headers.
    void onSlot(std::int64_t nowMs);
    void onPeerReady(PeerId peer);
    void onPeerClosed(PeerId peer);
    void onMessage(PeerId peer, const p2p::Message &message);
    // A transaction the pool accepted (NodeChain's relay hook).
    void relayTransaction(const chain::Transaction &tx);

    // Whenever the chain moved (a block applied or reverted, finality): the worker syncs the wallet and
    // refreshes the status.
    std::function<void()> onChainChanged;

    bool usesVotes() const { return ledger::usesValidatorSet(chain_.network()); }
    const consensus::Checkpoint &finalized() const { return committed_; }
    const consensus::Checkpoint &justified() const { return fin_.justified(); }
    bool isValidator() const;       // in the current epoch's set
    // Behind a header chain we verified (signed, linked, slots in the past) by more than a block, and
    // its bodies still arriving: no proposals then. A peer's Status alone never counts (anyone can claim
    // any height), and a sync that stops delivering bodies stops counting after kSyncStallMs.
    bool syncing() const { return syncing_; }
    const SyncStats &stats() const { return stats_; }
    QJsonObject info() const;       // getconsensusinfo
    // Test and operator hook (RPC `submitvote`): a signed vote from outside, handled like gossip.
    Status submitVote(const chain::Vote &vote);

private:
    struct PeerState {
        std::optional<p2p::StatusMsg> status;
        qint64 headersAskedMs = 0;   // a GetHeaders in flight since (0: none)
        qint64 finalityAskedMs = 0;  // the last GetFinality
        bool finalityPending = false;  // a Finality answer is expected (unsolicited ones are dropped)
        int blocksInFlight = 0;
        int chunksInFlight = 0;
    };
    struct InFlight {
        PeerId peer = 0;
        qint64 sentMs = 0;
    };
    struct PayloadFetch {
        chain::ObjectRecord record;
        std::uint64_t chunks = 0, next = 0;  // next: the first chunk not yet written
        std::map<std::uint64_t, Bytes> ready;  // verified, waiting for the ones before them
        std::map<std::uint64_t, InFlight> inflight;
        std::set<PeerId> lacking;              // peers that said they do not have it (or stayed silent)
        int refusedRounds = 0;                 // times every peer said no before any chunk came
        storage::ObjectWriter writer;
    };

    // node_consensus.cpp: the chain side.
    void loadTree();
    void persistFinality();
    Status persistVote(std::uint64_t target, std::uint64_t source);
    void afterHeadMoved(bool local);
    void maybeVote();
    void handleVote(std::optional<PeerId> from, const chain::Vote &vote);
    void submitEvidence(const chain::Vote &a, const chain::Vote &b);
    void updateFinality();
    // Makes the tracker's final block this node's (prunes the tree and undo logs, records it) once the
    // ledger holds it: finality proven by votes may run ahead of the blocks a syncing node has applied.
    void commitFinality();
    void adoptBlock(const chain::Block &block, std::optional<PeerId> from);
    void advance();  // fork choice: switch to / extend towards the best branch
    bool switchTo(const consensus::BlockId &best);
    Expected<ledger::ValidatorSet> setFor(const chain::BlockHeader &header);
    std::optional<chain::Block> blockById(const consensus::BlockId &id);
    void produce(std::int64_t nowMs);
    void setCatchingUp(bool catchingUp);

    // node_sync.cpp: the peer side.
    void sendStatus(std::optional<PeerId> to);
    // Every vote above the final height, to one peer (it just connected) or all (finality stalls):
    // votes are only gossiped once, and a node that missed some would justify other blocks than
    // the rest and split the sources of everyone's next votes.
    void sendVotes(std::optional<PeerId> to);
    void askHeaders(PeerId peer);
    std::vector<chain::BlockId> locator();
    void handleGetHeaders(PeerId peer, const p2p::GetHeaders &m);
    void handleHeaders(PeerId peer, const p2p::Headers &m);
    void handleGetBlocks(PeerId peer, const p2p::GetBlocks &m);
    void handleBlock(PeerId peer, chain::Block block);
    void handleNotFound(PeerId peer, const p2p::NotFound &m);
    void handleTx(PeerId peer, const chain::Transaction &tx);
    void handleGetChunk(PeerId peer, const p2p::GetChunk &m);
    void handleChunk(PeerId peer, const p2p::Chunk &m);
    void scheduleDownloads(std::int64_t nowMs);
    void requestPayloads(std::int64_t nowMs);
    // Missing payloads of the block's publish_object transactions; starts fetching them.
    bool payloadsReady(const chain::Block &block);
    void finishPayload(PayloadFetch &f);
    void misbehaving(PeerId peer, int score, const QString &reason);
    // Recomputes syncing_ from the header tree (once per slot).
    void updateSyncState(std::int64_t nowMs);
    // The validator set of the final block's epoch: every branch above the final block shares it, so a
    // header of that epoch whose proposer is not its slot's is wrong wherever it came from. nullopt when
    // the ledger no longer keeps it. Later epochs' proposers are checked when their blocks are applied.
    std::optional<ledger::ValidatorSet> finalEpochSet();
    // `finalSet` caches finalEpochSet() across the headers of one message (empty: not looked up yet).
    bool wrongProposer(const chain::BlockHeader &header, std::optional<std::optional<ledger::ValidatorSet>> &finalSet);
    std::vector<PeerId> readyPeers() const;
    std::uint64_t bestKnownHeight() const;

    NodeChain &chain_;
    storage::Database &db_;
    p2p::PeerManager *peers_ = nullptr;
    consensus::BlockTree tree_;
    consensus::FinalityTracker fin_;
    std::vector<chain::Vote> certificate_;  // the link that proved the final block (served to peers)
    consensus::Checkpoint committed_;       // the final block the tree, the ledger and node.sqlite agree on
    std::uint64_t lastVoteTarget_ = 0, lastVoteSource_ = 0;
    std::map<PeerId, PeerState> peerState_;
    std::map<consensus::BlockId, InFlight> blocksInFlight_;
    // Peers that answered NotFound for a block or let its request time out: asked again only once every
    // peer that could have it was tried (else a peer that never delivers, first in line, stalls sync).
    std::map<consensus::BlockId, std::set<PeerId>> blockLacking_;
    std::size_t downloadCursor_ = 0;  // the peer the next download round starts with (rotates)
    bool syncing_ = false;
    std::uint64_t headerTipHeight_ = 0;       // the best header chain's height, at the last slot
    qint64 behindSinceMs_ = 0, lastSyncBodyMs_ = 0;
    std::map<consensus::BlockId, PeerId> blockSource_;   // who sent a block we have not applied yet
    std::map<consensus::BlockId, chain::Block> orphans_;  // parent unknown yet (bounded)
    std::map<crypto::Hash256, PayloadFetch> fetches_;
    std::deque<std::pair<chain::TxId, PeerId>> txFrom_;   // recent peer transactions: not echoed back
    std::set<crypto::Hash256> evidenceSent_;
    std::uint64_t lastProducedSlot_ = 0;
    qint64 lastStatusMs_ = 0;
    qint64 lastFinalityMs_ = 0, lastVoteResendMs_ = 0;
    bool relaxedDurability_ = false;  // synchronous=NORMAL while catching up (see onSlot)
    SyncStats stats_;
};

}  // namespace blyan::node
