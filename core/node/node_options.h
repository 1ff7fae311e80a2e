#pragma once
// How to run a node; filled from the command line and blyan.conf (app/common/node_options.h).

#include "util/network.h"

#include <QString>

#include <optional>

namespace blyan::node {

struct NodeOptions {
    Network network = Network::Devnet;
    QString dataDir;           // empty: the default for the network (util/paths.h)
    quint16 rpcPort = 0;       // 0: the network's default RPC port
    bool rpcEnabled = true;    // JSON-RPC on loopback with cookie auth
    QString genesisFile;       // --genesis FILE: the network's genesis (ledger/genesis_file.h); empty: none
    // The model runtime (blyan.conf: modeldevice, expertcacheram, expertcachegpu; docs/user-guide.md).
    QString modelDevice = QStringLiteral("cpu");
    std::optional<quint64> expertCacheRam, expertCacheGpu;  // bytes; unset: from the detected hardware
};

}  // namespace blyan::node
