// Chain codec throughput on one thread: what a validating node pays per signed transfer.
//   build/tests/bench_chain [transactions]   (default 20000)
// Prints figures only; timings are not pass/fail. The aim of issue 3 is >= 20,000 signature-checked
// transfers per second per core.

#include "chain/tx_kinds/transfer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace blyan;
using namespace blyan::chain;

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char **argv)
{
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000;
    if (n == 0) {
        std::fprintf(stderr, "usage: bench_chain [transactions > 0]\n");
        return 2;
    }
    constexpr std::uint32_t kNetwork = 0x64657601;
    std::vector<KeyPair> keys;
    for (int i = 0; i < 64; ++i) keys.push_back(KeyPair::generate());

    // Encode + sign: build each transfer, sign it, encode it.
    std::vector<Bytes> encoded;
    encoded.reserve(n);
    auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i) {
        const KeyPair &from = keys[i % keys.size()];
        TransferBody body{keys[(i + 1) % keys.size()].publicKey(), 1 + i * 1000};
        Transaction tx = makeTransaction(kNetwork, i / keys.size(), 1000 + i % 7, body);
        signTransaction(tx, from);
        encoded.push_back(encodeTransaction(tx));
    }
    const double signS = seconds(t0);

    // Decode + full stateless check (network, kind rules, Ed25519 verify) + txid.
    std::size_t valid = 0;
    std::uint8_t fold = 0;
    t0 = std::chrono::steady_clock::now();
    for (const Bytes &raw : encoded) {
        auto tx = decodeTransaction(raw);
        if (!tx) continue;
        if (checkTransaction(*tx, kNetwork).ok()) ++valid;
        fold ^= transactionId(*tx)[0];
    }
    const double verifyS = seconds(t0);

    // Verify alone, for comparison with the full path.
    std::vector<Transaction> txs;
    for (const Bytes &raw : encoded) txs.push_back(std::move(decodeTransaction(raw)).value());
    t0 = std::chrono::steady_clock::now();
    std::size_t verified = 0;
    for (const Transaction &tx : txs) verified += verifyTransactionSignature(tx) ? 1 : 0;
    const double sigS = seconds(t0);

    std::printf("transactions:                  %zu signed transfers, %zu bytes each\n", n, encoded[0].size());
    std::printf("encode+sign:                   %.0f tx/s (1 thread)\n", n / signS);
    std::printf("decode+check+verify+txid:      %.0f tx/s (1 thread)  [%zu valid, fold %u]\n", n / verifyS, valid,
                fold);
    std::printf("signature verify only:         %.0f tx/s (1 thread)  [%zu verified]\n", n / sigS, verified);
    return valid == n ? 0 : 1;
}
