#include "chain/block.h"

#include "chain/field.h"
#include "storage/merkle.h"

#include <algorithm>
#include <optional>
#include <thread>

namespace blyan::chain {

using detail::field;
using detail::fieldError;

namespace {

void encodeUnsignedHeader(Writer &w, const BlockHeader &h)
{
    w.u8(h.version);
    w.u64(h.height);
    w.raw(asBytes(h.parent));
    w.u64(h.slot);
    w.u64(h.timeMs);
    w.raw(asBytes(h.proposer));
    w.raw(asBytes(h.txRoot));
    w.raw(asBytes(h.stateRoot));
}

Expected<BlockHeader> readHeader(Reader &r)
{
    BlockHeader h;
    BLYAN_TRY(h.version, field(r.u8(), "block.version"));
    if (h.version != kBlockVersion)
        return fieldError(ErrorCode::Malformed, "block.version",
                          "version " + std::to_string(h.version) + " is unknown (this node understands version " +
                              std::to_string(kBlockVersion) + "): upgrade the node");
    BLYAN_TRY(h.height, field(r.u64(), "block.height"));
    BLYAN_TRY(h.parent, detail::readHash(r, "block.parent"));
    BLYAN_TRY(h.slot, field(r.u64(), "block.slot"));
    BLYAN_TRY(h.timeMs, field(r.u64(), "block.time"));
    BLYAN_TRY(h.proposer, field(r.fixedArray<32>("block.proposer"), "block.proposer"));
    BLYAN_TRY(h.txRoot, detail::readHash(r, "block.tx_root"));
    BLYAN_TRY(h.stateRoot, detail::readHash(r, "block.state_root"));
    BLYAN_TRY(h.signature, field(r.fixedArray<64>("block.signature"), "block.signature"));
    return h;
}

std::string txLabel(std::size_t index, const TxId &id)
{
    return "block.transactions[" + std::to_string(index) + "] (" + crypto::hashToHex(id) + ")";
}

}  // namespace

Bytes encodeBlockHeader(const BlockHeader &header)
{
    Writer w;
    encodeUnsignedHeader(w, header);
    w.raw(asBytes(header.signature));
    return w.take();
}

Expected<BlockHeader> decodeBlockHeader(ByteView bytes)
{
    Reader r(bytes);
    BLYAN_TRY(auto h, readHeader(r));
    BLYAN_CHECK(field(r.finish(), "block header"));
    return h;
}

Bytes encodeBlock(const Block &block)
{
    Writer w;
    encodeUnsignedHeader(w, block.header);
    w.raw(asBytes(block.header.signature));
    w.varint(block.transactions.size());
    for (const Transaction &tx : block.transactions) w.bytes(encodeTransaction(tx));
    return w.take();
}

Expected<Block> decodeBlock(ByteView bytes)
{
    if (bytes.size() > kMaxBlockSize)
        return fieldError(ErrorCode::LimitExceeded, "block",
                          std::to_string(bytes.size()) + " bytes is over the limit of " +
                              std::to_string(kMaxBlockSize));
    Reader r(bytes);
    Block block;
    BLYAN_TRY(block.header, readHeader(r));
    BLYAN_TRY(const std::uint64_t count,
              field(r.varint(kMaxBlockTransactions, "transaction count"), "block.transactions"));
    block.transactions.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::string label = "block.transactions[" + std::to_string(i) + "]";
        BLYAN_TRY(const Bytes raw, field(r.bytes(kMaxTxSize, "transaction"), label.c_str()));
        BLYAN_TRY(auto tx, field(decodeTransaction(raw), label.c_str()));
        block.transactions.push_back(std::move(tx));
    }
    BLYAN_CHECK(field(r.finish(), "block"));
    return block;
}

BlockId blockId(const BlockHeader &header) { return crypto::blake2b256(encodeBlockHeader(header)); }

Hash256 blockSigningHash(const BlockHeader &header)
{
    Writer w;
    w.raw(asBytes(kBlockDomain));
    encodeUnsignedHeader(w, header);
    return crypto::blake2b256(w.data());
}

Hash256 computeTxRoot(std::span<const TxId> txids)
{
    if (txids.empty()) return Hash256{};
    std::vector<Hash256> leaves;
    leaves.reserve(txids.size());
    for (const TxId &id : txids) leaves.push_back(storage::merkleLeafHash(asBytes(id)));
    return storage::merkleRoot(leaves);
}

Hash256 computeTxRoot(std::span<const Transaction> transactions)
{
    std::vector<TxId> ids;
    ids.reserve(transactions.size());
    for (const Transaction &tx : transactions) ids.push_back(transactionId(tx));
    return computeTxRoot(ids);
}

void signBlock(BlockHeader &header, const KeyPair &key)
{
    header.proposer = key.publicKey();
    const Hash256 h = blockSigningHash(header);
    header.signature = key.sign(asBytes(h));
}

bool verifyBlockSignature(const BlockHeader &header)
{
    const Hash256 h = blockSigningHash(header);
    return crypto::verify(header.proposer, asBytes(h), header.signature);
}

Status checkBlock(const Block &block, std::uint32_t networkId)
{
    const BlockHeader &h = block.header;
    if (h.version != kBlockVersion)
        return fieldError(ErrorCode::InvalidArgument, "block.version",
                          "version " + std::to_string(h.version) + " is unknown; use " +
                              std::to_string(kBlockVersion));
    if (block.transactions.size() > kMaxBlockTransactions)
        return fieldError(ErrorCode::LimitExceeded, "block.transactions",
                          std::to_string(block.transactions.size()) + " transactions is over the limit of " +
                              std::to_string(kMaxBlockTransactions));
    const std::size_t size = encodeBlock(block).size();
    if (size > kMaxBlockSize)
        return fieldError(ErrorCode::LimitExceeded, "block",
                          std::to_string(size) + " bytes is over the limit of " + std::to_string(kMaxBlockSize));
    if (!verifyBlockSignature(h))
        return fieldError(ErrorCode::Crypto, "block.signature",
                          "does not verify for the proposer key over this header: the header was changed after "
                          "signing or signed by another key");

    std::vector<TxId> ids;
    ids.reserve(block.transactions.size());
    for (const Transaction &tx : block.transactions) ids.push_back(transactionId(tx));
    if (computeTxRoot(ids) != h.txRoot)
        return fieldError(ErrorCode::InvalidArgument, "block.tx_root",
                          "does not match the block's transactions: recompute it over the txids in block order");
    std::vector<std::size_t> order(ids.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
    for (std::size_t i = 1; i < order.size(); ++i)
        if (ids[order[i]] == ids[order[i - 1]])
            return fieldError(ErrorCode::InvalidArgument, txLabel(std::max(order[i], order[i - 1]), ids[order[i]]).c_str(),
                              "appears twice in the block (also at index " +
                                  std::to_string(std::min(order[i], order[i - 1])) + ")");
    // Each transaction's own check ends in its Ed25519 verification, nearly all of a block's cost: a big block
    // spreads them over the cores (a syncing node applies thousands of blocks back to back). The first failing
    // index is reported, as in order.
    const std::size_t n = block.transactions.size();
    const unsigned workers = n >= 64 ? std::max(1u, std::min(8u, std::thread::hardware_concurrency())) : 1u;
    std::vector<std::optional<Error>> errors(workers);
    std::vector<std::size_t> failedAt(workers, n);
    auto run = [&](unsigned w) {
        for (std::size_t i = w; i < n; i += workers)
            if (Status s = checkTransaction(block.transactions[i], networkId); !s) {
                errors[w] = s.error();
                failedAt[w] = i;
                return;
            }
    };
    std::vector<std::thread> threads;
    for (unsigned w = 1; w < workers; ++w) threads.emplace_back(run, w);
    run(0);
    for (auto &t : threads) t.join();
    std::size_t first = n;
    unsigned who = 0;
    for (unsigned w = 0; w < workers; ++w)
        if (failedAt[w] < first) first = failedAt[w], who = w;
    if (first < n) return errors[who]->context(txLabel(first, ids[first]));
    return {};
}

}  // namespace blyan::chain
