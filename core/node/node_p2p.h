#pragma once
// NodeP2p: the peer layer inside the node (issue 8). It owns the node's P2P identity (the node key,
// <datadir>/node.key), the address book and ban list (<datadir>/peers.sqlite, p2p/address_book.h) and the
// PeerManager, samples the traffic for getnettotals, and answers the network RPC methods.
//
// Threading: lives on the node worker thread beside NodeChain (the PeerManager's sockets and timers run on
// that thread's event loop). RPC handlers reach it through NodeWorker::callP2p.
//
// It exists only when the node has a chain (devnet, or testnet with its genesis file): the handshake
// needs the genesis id, and a node without a chain has nothing to offer its peers.

#include "node/node_options.h"
#include "node/node_status.h"
#include "p2p/peer_manager.h"
#include "util/network.h"

#include <QJsonValue>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

namespace blyan::node {

class NodeChain;

class NodeP2p {
public:
    // Opens peers.sqlite, starts listening (a port in use is reported, not fatal), dialling and discovery.
    static Expected<std::unique_ptr<NodeP2p>> open(Network network, const QString &dataDir, const P2pOptions &options,
                                                   NodeChain &chain);
    ~NodeP2p();
    // Closes every connection (a shutdown step); the upper layer gets onPeerClosed for each peer.
    void stop();

    p2p::PeerManager &peers() { return *peers_; }

    // ==== Hook for the chain layer (sync, consensus: the lead attaches them here) ====
    // Every message the peer layer does not consume (Status, GetHeaders, Headers, GetBlocks, Block, Tx,
    // NotFound and later types) goes to onMessage; onPeerReady / onPeerClosed bracket each peer. Until a
    // handler is attached those messages are dropped, and this class tells each new peer our tip
    // (Status), and every peer when announceTip() is called; once one is attached, Status is the chain
    // layer's to send (NodeConsensus::sendStatus). Handlers run on the worker thread.
    struct ChainHandler {
        std::function<void(p2p::PeerId, const p2p::Message &)> onMessage;
        std::function<void(p2p::PeerId)> onPeerReady;
        std::function<void(p2p::PeerId)> onPeerClosed;
    };
    void setChainHandler(ChainHandler handler) { handler_ = std::move(handler); }
    // Sends our tip (height, id, final height) to every peer; NodeWorker calls it after each applied block.
    void announceTip();

    void fillStatus(NodeStatus &s) const;

    // RPC (docs/rpc.md "Network"), on the worker thread.
    Expected<QJsonValue> getPeerInfo() const;
    Expected<QJsonValue> getNetTotals(int seconds) const;
    Expected<QJsonValue> getNetworkInfo() const;
    Expected<QJsonValue> addNode(const QString &node, const QString &command);
    Expected<QJsonValue> listBanned();
    Expected<QJsonValue> setBan(const QString &ip, const QString &command, qint64 seconds);
    Expected<QJsonValue> clearBanned();

private:
    NodeP2p(Network network, NodeChain &chain, crypto::KeyPair key);
    p2p::StatusMsg localStatus() const;
    void sample();

    Network network_;
    NodeChain &chain_;
    crypto::KeyPair key_;  // before peers_: every Connection points at it
    std::unique_ptr<p2p::AddressBook> book_;
    std::unique_ptr<p2p::PeerManager> peers_;
    ChainHandler handler_;
    // Traffic history for the Network panel's graph: bytes per second, oldest first, kHistorySeconds long.
    static constexpr std::size_t kHistorySeconds = 600;
    QTimer sampler_;
    std::deque<std::pair<quint64, quint64>> history_;  // (received, sent) in each second
    quint64 lastReceived_ = 0, lastSent_ = 0;
    qint64 lastSampleMs_ = 0;
};

}  // namespace blyan::node
