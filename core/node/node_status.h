#pragma once
// What the node reports about itself: the Overview page, `getinfo` and the status bar show it.

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace blyan::node {

enum class NodeState { Starting, Running, Stopping, Stopped, Failed };
QString nodeStateName(NodeState s);

struct NodeStatus {
    NodeState state = NodeState::Starting;
    QString error;                 // set when state == Failed
    QString network;               // "devnet", "testnet"
    QString dataDir;
    QString version;               // Blyan version
    QDateTime startedAt;           // UTC
    qint64 uptimeSeconds = 0;
    QString rpcEndpoint;           // "127.0.0.1:24322", empty when RPC is off
    int rpcRequests = 0;           // served since start
    // Storage.
    quint64 objectCount = 0;       // content-addressed objects in objects/
    quint64 objectBytes = 0;
    quint64 diskFreeBytes = 0;     // on the data dir's volume
    // Compute (from core/engine).
    QString computeBackend;        // "LibTorch 1.13.1"
    QString computeDevices;        // "CPU (2 threads)" / "CUDA: NVIDIA ..." 
    bool cudaAvailable = false;
    // Subsystems that later issues bring; reported honestly as unavailable until they exist.
    bool chainAvailable = false;   // the devnet chain runs in the node (node_chain.h)
    QString chainStatus;           // why the chain is unavailable (testnet without genesis file)
    quint64 chainHeight = 0;       // the tip's height (devnet: final)
    QString bestBlockHash;
    quint64 mempoolSize = 0;       // transactions waiting for a block
    bool p2pAvailable = false;     // the peer layer runs (node_p2p.h): needs a chain
    QString p2pStatus;             // why it is unavailable, or what is degraded (port in use)
    int peersInbound = 0;          // connected peers (handshake done)
    int peersOutbound = 0;
    quint64 p2pBytesReceived = 0;  // since start, all peers
    quint64 p2pBytesSent = 0;
    QString p2pEndpoint;           // "0.0.0.0:4321"; empty when not listening
    // Wallet (node_wallet.h): for the status bar and the Overview; details through Node::callWallet.
    QString walletState = QStringLiteral("none");  // "none", "locked", "unlocked"
    qint64 walletUnlockedUntilMs = 0;               // ms since epoch; 0 when locked
    quint64 walletAvailableUnits = 0;               // spendable base units over all wallet addresses
    quint64 walletStakedUnits = 0;
    quint64 walletUnbondingUnits = 0;
    quint64 walletPendingUnits = 0;                 // incoming, not yet in a block
};

}  // namespace blyan::node

Q_DECLARE_METATYPE(blyan::node::NodeStatus)
