#pragma once
// A devnet data dir with many real blocks, for the Explorer's tests and benchmark: the node's own storage
// and chain code (openNodeStorage, NodeChain::open writes the genesis, produceAt builds, signs with the
// node key and applies each block through the ledger), so a Node opened on the dir afterwards finds an
// ordinary chain. Blocks are empty and 1 ms apart (times only have to grow); their slots are 1, 2, 3...,
// so the node's own producer waits until the clock passes the last slot before it adds blocks.
//
// The fixture's connection runs with synchronous=NORMAL: a fsync per block would make 100,000 blocks take
// minutes, and a crash could only lose the fixture itself.

#include "node/node_chain.h"
#include "node/node_storage.h"
#include "storage/database.h"
#include "storage/object_store.h"

#include <QDir>
#include <QString>

#include <cstdint>
#include <functional>

namespace blyan::testing {

inline Status makeDevnetChain(const QString &dataDir, std::uint64_t blocks,
                              const std::function<void(std::uint64_t)> &progress = {})
{
    if (!QDir().mkpath(dataDir)) return makeError(ErrorCode::Io, "cannot create " + dataDir.toStdString());
    BLYAN_TRY(auto store, node::openNodeStorage(Network::Devnet, dataDir));
    BLYAN_CHECK(store.db->exec("PRAGMA synchronous=NORMAL"));
    BLYAN_TRY(auto chain, node::NodeChain::open(Network::Devnet, dataDir, *store.db, *store.objects));
    const std::int64_t t0 = static_cast<std::int64_t>(chain->ledger().tip().timeMs);
    for (std::uint64_t h = chain->height() + 1; h <= blocks; ++h) {
        BLYAN_TRY(const auto block, chain->produceAt(h, t0 + static_cast<std::int64_t>(h)));
        (void)block;
        if (progress && h % 10'000 == 0) progress(h);
    }
    return {};
}

}  // namespace blyan::testing
