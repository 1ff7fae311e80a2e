// Sync throughput over loopback (issue 8): a single-validator testnet whose chain (blocks of transfers, and
// blocks publishing objects with real payloads) is written ahead of time with the node's own chain code,
// then a fresh blyand process joins it and syncs every block and every payload from a real blyand over TCP.
// Prints blocks/s, transactions/s and payload MB/s of the whole sync (headers, blocks, chunks, checks and
// block application included), measured from the second node's start to its last block and payload.
//
//   bench_sync [blocks=3000] [payload_mb=256] [tx_per_block=20]
// Not a test: the figures depend on the machine (and are noisy on a shared one).

#include "chain/address.h"
#include "chain/tx_kinds/transfer.h"
#include "ledger/genesis_file.h"
#include "node/node_chain.h"
#include "node/node_storage.h"
#include "storage/database.h"
#include "storage/object_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <fcntl.h>
#include <random>
#include <unistd.h>

using namespace blyan;

namespace {

QString bin(const char *name) { return QStringLiteral(BLYAN_BIN_DIR) + QLatin1Char('/') + QLatin1String(name); }

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

QJsonObject cli(const QString &dir, quint16 rpc, const QStringList &args)
{
    QProcess p;
    p.start(bin("blyan-cli"), QStringList{QStringLiteral("--network"), QStringLiteral("testnet"), QStringLiteral("--datadir"), dir,
                                          QStringLiteral("--rpcport"), QString::number(rpc), QStringLiteral("--rpcwait"),
                                          QStringLiteral("30")} + args);
    p.waitForFinished(60000);
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

int fail(const std::string &what)
{
    std::fprintf(stderr, "bench_sync: %s\n", what.c_str());
    return 1;
}

}  // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const std::uint64_t blocks = argc > 1 ? std::stoull(argv[1]) : 3000;
    const std::uint64_t payloadMb = argc > 2 ? std::stoull(argv[2]) : 256;
    const int txPerBlock = argc > 3 ? std::atoi(argv[3]) : 20;
    QTemporaryDir tmp;
    const QString dirA = tmp.filePath(QStringLiteral("a")), dirB = tmp.filePath(QStringLiteral("b"));
    QDir().mkpath(dirA);
    QDir().mkpath(dirB);

    // One validator and 50 funded accounts; genesis far enough in the past that every block's slot has come.
    const crypto::KeyPair validator = crypto::KeyPair::generate();
    {
        const crypto::SecureBytes seed = validator.secretKey().seed();
        const int fd = ::open((dirA + QStringLiteral("/node.key")).toStdString().c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0 || ::write(fd, seed.data(), seed.size()) != static_cast<ssize_t>(seed.size())) return fail("cannot write node.key");
        ::close(fd);
    }
    std::vector<crypto::KeyPair> accounts;
    for (int i = 0; i < 50; ++i) accounts.push_back(crypto::KeyPair::generate());
    const std::uint64_t slotMs = static_cast<std::uint64_t>(networkParams(Network::Testnet).slotMs);
    ledger::GenesisSpec spec;
    spec.timeMs = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch()) - (blocks + 30) * slotMs;
    spec.stakes.emplace_back(validator.publicKey(), 10'000'000 * chain::kCoin);
    spec.allocations.emplace_back(validator.publicKey(), 40'000'000 * chain::kCoin);
    for (const auto &a : accounts) spec.allocations.emplace_back(a.publicKey(), 1'000'000 * chain::kCoin);
    const QString genesis = tmp.filePath(QStringLiteral("genesis.json"));
    {
        QFile f(genesis);
        if (!f.open(QIODevice::WriteOnly) || f.write(ledger::formatGenesisFile(spec, Network::Testnet)) < 0) return fail("cannot write the genesis file");
    }

    // The chain, written with the node's own code: transfers in every block, and every tenth block publishes
    // objects whose payloads (random bytes, 4 MiB each) the second node must fetch in chunks.
    std::uint64_t txs = 0, payloadBytes = 0, objects = 0;
    QElapsedTimer build;
    build.start();
    {
        auto store = node::openNodeStorage(Network::Testnet, dirA);
        if (!store) return fail(store.error().message);
        (void)store->db->exec("PRAGMA synchronous=NORMAL");
        auto chain = node::NodeChain::open(Network::Testnet, dirA, *store->db, *store->objects, genesis);
        if (!chain) return fail(chain.error().message);
        node::NodeChain &c = **chain;
        c.setRelay([](const chain::Transaction &) {});  // no peers while writing: the pool only needs to take them
        std::mt19937_64 rng(1);
        const std::uint64_t payloadCount = payloadMb / 4;
        const std::uint64_t publishEvery = payloadCount ? std::max<std::uint64_t>(1, blocks / payloadCount) : 0;
        std::vector<std::uint64_t> nonces(accounts.size(), 0);
        for (std::uint64_t h = 1; h <= blocks; ++h) {
            for (int t = 0; t < txPerBlock; ++t) {
                const std::size_t from = rng() % accounts.size();
                chain::TransferBody body{accounts[(from + 1) % accounts.size()].publicKey(), 1 + rng() % 1000};
                chain::Transaction tx = chain::makeTransaction(networkParams(Network::Testnet).networkId, nonces[from], 2000, body);
                chain::signTransaction(tx, accounts[from]);
                if (c.submitTransaction(tx).ok()) ++nonces[from], ++txs;
            }
            if (publishEvery && h % publishEvery == 0 && objects < payloadCount) {
                Bytes data(4u << 20);
                for (auto &b : data) b = static_cast<std::uint8_t>(rng());
                auto info = c.objects().put(data);
                if (!info) return fail(info.error().message);
                chain::ObjectRecord r;
                r.chain = chain::ObjectChain::D;
                r.kind = "dataset";
                r.name = "bench.data" + std::to_string(objects);
                r.payloadHash = info->hash;
                r.size = info->size;
                r.chunkMerkleRoot = info->merkleRoot;
                if (auto s = c.publishObject(r); !s) return fail(s.error().message);
                ++objects;
                payloadBytes += data.size();
            }
            auto b = c.produceAt(h, static_cast<std::int64_t>(spec.timeMs + h * slotMs));
            if (!b) return fail("block " + std::to_string(h) + ": " + b.error().message);
        }
    }
    std::printf("chain: %llu blocks, %llu transfers, %llu objects with %.0f MB of payloads (written in %.1f s)\n",
                static_cast<unsigned long long>(blocks), static_cast<unsigned long long>(txs), static_cast<unsigned long long>(objects),
                static_cast<double>(payloadBytes) / 1e6, build.elapsed() / 1000.0);

    const quint16 rpcA = freePort(), rpcB = freePort(), p2pA = freePort(), p2pB = freePort();
    QProcess a, b;
    const QStringList common{QStringLiteral("--network"), QStringLiteral("testnet"), QStringLiteral("--genesis"), genesis,
                             QStringLiteral("--discover=0")};
    a.start(bin("blyand"), common + QStringList{QStringLiteral("--datadir"), dirA, QStringLiteral("--rpcport"), QString::number(rpcA),
                                                QStringLiteral("--port"), QString::number(p2pA)});
    if (cli(dirA, rpcA, {QStringLiteral("uptime")}).isEmpty() && !a.waitForStarted()) return fail("node A did not start");
    QElapsedTimer sync;
    sync.start();
    b.start(bin("blyand"), common + QStringList{QStringLiteral("--datadir"), dirB, QStringLiteral("--rpcport"), QString::number(rpcB),
                                                QStringLiteral("--port"), QString::number(p2pB), QStringLiteral("--connect"),
                                                QStringLiteral("127.0.0.1:%1").arg(p2pA)});
    double headersDone = 0;
    for (;;) {
        const QJsonObject info = cli(dirB, rpcB, {QStringLiteral("getconsensusinfo")});
        const qint64 height = info.value(QStringLiteral("head")).toObject().value(QStringLiteral("height")).toInteger();
        const qint64 done = info.value(QStringLiteral("stats")).toObject().value(QStringLiteral("payloads_completed")).toInteger();
        if (headersDone == 0 && info.value(QStringLiteral("known_blocks")).toInteger() >= static_cast<qint64>(blocks)) headersDone = sync.elapsed() / 1000.0;
        if (height >= static_cast<qint64>(blocks) && done >= static_cast<qint64>(objects)) break;
        if (sync.elapsed() > 1800'000) return fail("sync did not finish in 30 minutes");
        QThread::msleep(200);
    }
    const double s = sync.elapsed() / 1000.0;
    std::printf("sync over loopback (one peer): %.1f s (headers known after %.1f s)\n", s, headersDone);
    std::printf("  %.0f blocks/s, %.0f transactions/s, payloads %.1f MB/s\n", static_cast<double>(blocks) / s,
                static_cast<double>(txs) / s, static_cast<double>(payloadBytes) / 1e6 / s);
    for (auto *p : {&b, &a}) {
        const QString dir = p == &a ? dirA : dirB;
        cli(dir, p == &a ? rpcA : rpcB, {QStringLiteral("stop")});
        p->waitForFinished(30000);
    }
    return 0;
}
