#pragma once
// How to run a node; filled from the command line and blyan.conf (app/common/node_options.h).

#include "util/network.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace blyan::node {

// The peer-to-peer layer (core/p2p, docs/user-guide.md "Network"): command line and blyan.conf.
struct P2pOptions {
    quint16 port = 0;                // --port / port=: 0 means the network's default
    QString bind;                    // --bind / bind=: listen on (and dial from) this IP; empty: every interface
    bool listen = true;              // listen=0: outbound connections only
    QStringList connect;             // --connect / connect= (repeatable): HOST:PORT kept connected
    std::optional<bool> discover;    // --discover / discover=0|1; unset: on for testnet, off for devnet
    quint16 discoverPort = 0;        // discoverport=: the UDP port; 0: the P2P port number
    QString discoverAddress;         // discoveraddress=: where to broadcast; empty: every interface's broadcast
};

struct NodeOptions {
    Network network = Network::Devnet;
    QString dataDir;           // empty: the default for the network (util/paths.h)
    quint16 rpcPort = 0;       // 0: the network's default RPC port
    bool rpcEnabled = true;    // JSON-RPC on loopback with cookie auth
    QString genesisFile;       // --genesis FILE: the network's genesis (ledger/genesis_file.h); empty: none
    // The model runtime (blyan.conf: modeldevice, expertcacheram, expertcachegpu; docs/user-guide.md).
    QString modelDevice = QStringLiteral("cpu");
    std::optional<quint64> expertCacheRam, expertCacheGpu;  // bytes; unset: from the detected hardware
    P2pOptions p2p;
};

}  // namespace blyan::node
