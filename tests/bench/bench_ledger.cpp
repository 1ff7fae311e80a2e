// Ledger block application throughput on one thread: what a validating node pays per block of
// signed transfers, end to end (checkBlock with every Ed25519 verify, nonces and balances, state-root
// update, SQLite writes and the commit with synchronous=FULL on a real file).
//   build/tests/bench_ledger [blocks] [transfers per block] [full|normal]   (default 20 x 1000, full)
// `normal` (SQLite synchronous=NORMAL) shows how much of a block is the per-commit fsync.
// Prints figures only; timings are not pass/fail. Also prints previewStateRoot (the producer's dry run).

#include "chain/tx_kinds/transfer.h"
#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "storage/migrations.h"

#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace blyan;
using namespace blyan::ledger;

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int fail(const Error &e)
{
    std::fprintf(stderr, "bench_ledger: %s\n", e.message.c_str());
    return 1;
}

}  // namespace

int main(int argc, char **argv)
{
    const std::size_t blocks = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20;
    const std::size_t perBlock = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
    const std::string sync = argc > 3 ? argv[3] : "full";
    if (blocks == 0 || perBlock == 0 || perBlock > chain::kMaxBlockTransactions || (sync != "full" && sync != "normal")) {
        std::fprintf(stderr, "usage: bench_ledger [blocks > 0] [transfers per block, 1..16384] [full|normal]\n");
        return 2;
    }
    storage::DatabaseOptions options;
    if (sync == "normal") options.synchronous = storage::DatabaseOptions::Synchronous::Normal;
    QTemporaryDir dir;
    auto db = storage::Database::open(dir.filePath(QStringLiteral("node.sqlite")), options);
    if (!db) return fail(db.error());
    const auto migrations = ledgerMigrations();
    if (auto m = storage::migrate(*db, migrations); !m) return fail(m.error());
    auto ledger = Ledger::open(*db);
    if (!ledger) return fail(ledger.error());

    std::vector<crypto::KeyPair> keys;
    for (int i = 0; i < 200; ++i) keys.push_back(crypto::KeyPair::generate());
    GenesisSpec spec;
    for (const auto &k : keys) spec.allocations.emplace_back(k.publicKey(), TokenomicsParams::defaults().genesisSupply / 200);
    spec.pact.kind = "genesis_pact";
    spec.pact.name = "genesis.pact";
    if (auto g = ledger->applyGenesis(spec); !g) return fail(g.error());

    const PayloadCheck none = [](const chain::ObjectRecord &) -> Status { return {}; };
    const auto proposer = crypto::KeyPair::generate();
    const std::uint32_t networkId = networkParams(Network::Devnet).networkId;
    std::map<chain::PublicKey, std::uint64_t> nonces;
    double applyS = 0, previewS = 0;
    for (std::size_t b = 0; b < blocks; ++b) {
        chain::Block block;
        block.header.height = ledger->tip().height + 1;
        block.header.parent = ledger->tipId();
        block.header.slot = ledger->tip().slot + 1;
        block.header.timeMs = ledger->tip().timeMs + 1000;
        for (std::size_t i = 0; i < perBlock; ++i) {
            const auto &from = keys[(b * perBlock + i) % keys.size()];
            const auto &to = keys[(b * perBlock + i * 7 + 1) % keys.size()];
            if (&from == &to) continue;
            auto tx = chain::makeTransaction(networkId, nonces[from.publicKey()]++, 1000,
                                             chain::TransferBody{to.publicKey(), 1 + i});
            chain::signTransaction(tx, from);
            block.transactions.push_back(std::move(tx));
        }
        block.header.txRoot = chain::computeTxRoot(block.transactions);
        auto t0 = std::chrono::steady_clock::now();
        auto root = ledger->previewStateRoot(block, none);
        previewS += seconds(t0);
        if (!root) return fail(root.error());
        block.header.stateRoot = *root;
        chain::signBlock(block.header, proposer);
        t0 = std::chrono::steady_clock::now();
        auto r = ledger->applyBlock(block, none);
        applyS += seconds(t0);
        if (!r) return fail(r.error());
    }
    const double n = static_cast<double>(blocks * perBlock);
    std::printf("ledger: %zu blocks x %zu transfers among %zu accounts (1 thread, SQLite synchronous=%s)\n", blocks,
                perBlock, keys.size(), sync.c_str());
    std::printf("  applyBlock (signatures, state, state root, commit): %10.0f transfers/s  %8.2f ms/block\n",
                n / applyS, 1000 * applyS / static_cast<double>(blocks));
    std::printf("  previewStateRoot (no header signature, rolled back): %9.0f transfers/s  %8.2f ms/block\n",
                n / previewS, 1000 * previewS / static_cast<double>(blocks));
    if (auto s = ledger->checkSupplyIdentity(); !s) return fail(s.error());
    return 0;
}
