#pragma once
// A ledger on a real SQLite file in a temporary directory, 50 funded accounts and a block builder that
// fills state_root the way a producer will (previewStateRoot, then sign). Shared by test_ledger*.cpp.

#include "chain/tx_kinds/publish_object.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "chain/tx_kinds/unstake.h"
#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "storage/migrations.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace blyan::ledger::testing {

inline std::uint32_t devnetId() { return networkParams(Network::Devnet).networkId; }

inline chain::ObjectRecord pactRecord()
{
    chain::ObjectRecord r;
    r.chain = chain::ObjectChain::A;
    r.kind = "genesis_pact";
    r.name = "genesis.pact";
    r.payloadHash = crypto::blake2b256(asBytes(std::string_view("the pact")));
    r.size = 8;
    r.chunkMerkleRoot = r.payloadHash;
    return r;
}

inline const PayloadCheck &payloadsPresent()
{
    static const PayloadCheck check = [](const chain::ObjectRecord &) -> Status { return {}; };
    return check;
}

struct LedgerFixture {
    QTemporaryDir dir;
    storage::Database db;
    std::unique_ptr<Ledger> ledger;
    std::vector<crypto::KeyPair> keys;
    crypto::KeyPair proposer = crypto::KeyPair::generate();

    QString path() const { return dir.filePath(QStringLiteral("node.sqlite")); }

    // Opens (and migrates) the database; creates genesis when `genesis` and the ledger has none.
    void open(bool genesis = true)
    {
        storage::DatabaseOptions o;
        o.synchronous = storage::DatabaseOptions::Synchronous::Normal;  // tests need no power-loss safety
        auto d = storage::Database::open(path(), o);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        db = std::move(*d);
        const auto migrations = ledgerMigrations();
        auto m = storage::migrate(db, migrations);
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().message.c_str());
        auto l = Ledger::open(db);
        QVERIFY2(l.ok(), l.ok() ? "" : l.error().message.c_str());
        ledger = std::make_unique<Ledger>(std::move(*l));
        if (!genesis || ledger->hasGenesis()) return;
        if (keys.empty())
            for (int i = 0; i < 50; ++i) keys.push_back(crypto::KeyPair::generate());
        GenesisSpec spec;
        const Amount each = TokenomicsParams::defaults().genesisSupply / keys.size();
        for (const auto &k : keys) spec.allocations.emplace_back(k.publicKey(), each);
        spec.pact = pactRecord();
        spec.timeMs = 1'700'000'000'000ULL;
        auto g = ledger->applyGenesis(spec);
        QVERIFY2(g.ok(), g.ok() ? "" : g.error().message.c_str());
    }

    void close()
    {
        ledger.reset();
        db = storage::Database();
    }

    // The next block over `txs`, with the state root the ledger computes (or `root` when given).
    chain::Block makeBlock(std::vector<chain::Transaction> txs, const std::optional<Hash256> &root = {})
    {
        chain::Block b;
        b.header.height = ledger->tip().height + 1;
        b.header.parent = ledger->tipId();
        b.header.slot = ledger->tip().slot + 1;
        b.header.timeMs = ledger->tip().timeMs + 1000;
        b.transactions = std::move(txs);
        b.header.txRoot = chain::computeTxRoot(b.transactions);
        if (root) {
            b.header.stateRoot = *root;
        } else {
            auto preview = ledger->previewStateRoot(b, payloadsPresent());
            if (preview) b.header.stateRoot = *preview;
        }
        chain::signBlock(b.header, proposer);
        return b;
    }

    template <typename Body>
    chain::Transaction tx(const crypto::KeyPair &from, std::uint64_t nonce, Amount fee, const Body &body)
    {
        chain::Transaction t = chain::makeTransaction(devnetId(), nonce, fee, body);
        chain::signTransaction(t, from);
        return t;
    }

    std::uint64_t nonceOf(const crypto::KeyPair &k) { return *ledger->nonce(k.publicKey()); }

    // Row counts of every ledger table plus the state root: "the database is unchanged".
    std::vector<std::int64_t> snapshot()
    {
        std::vector<std::int64_t> out;
        for (const char *table : {"accounts", "stakes", "objects", "object_deps", "heads", "blocks", "txs"}) {
            auto st = db.prepare(std::string("SELECT count(*) FROM ") + table);
            if (!st || !st->step().ok()) return {};
            out.push_back(st->columnInt64(0));
        }
        auto st = db.prepare("SELECT sum(balance), sum(nonce) FROM accounts");
        if (st && st->step().ok()) {
            out.push_back(st->columnInt64(0));
            out.push_back(st->columnInt64(1));
        }
        const Hash256 root = ledger->stateRoot();
        for (std::uint8_t b : root) out.push_back(b);
        return out;
    }
};

}  // namespace blyan::ledger::testing
