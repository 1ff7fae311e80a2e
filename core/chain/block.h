#pragma once
// Blocks (DESIGN.md sections 4 and 5; byte layout in docs/protocol.md).
//
// Header, fixed 217 bytes:
//   version u8 (=1) | height u64 | parent [32] | slot u64 | time_ms u64 | proposer [32]
//   | tx_root [32] | state_root [32] | signature [64]
// Block: header | tx count varint | each transaction as bytes (varint length + encoding).
//
// block id = BLAKE2b-256(header encoding, signature included); the proposer signs
// BLAKE2b-256("blyan/block/v1" || header without the signature). The header commits to the
// transactions through tx_root, so the id covers the whole block.
//
// tx_root is the Merkle root over the txids in block order with storage/merkle.h's rules (leaf =
// BLAKE2b-256(0x00 || txid), inner = BLAKE2b-256(0x01 || left || right), an odd last node is promoted);
// a block without transactions has the all-zero tx_root.

#include "chain/transaction.h"

#include <span>
#include <vector>

namespace blyan::chain {

inline constexpr std::uint8_t kBlockVersion = 1;
inline constexpr std::size_t kBlockHeaderSize = 1 + 8 + 32 + 8 + 8 + 32 + 32 + 32 + 64;
inline constexpr std::size_t kMaxBlockSize = 4 * 1024 * 1024;  // whole encoding
inline constexpr std::size_t kMaxBlockTransactions = 16384;
inline constexpr std::string_view kBlockDomain = "blyan/block/v1";

using BlockId = Hash256;

struct BlockHeader {
    std::uint8_t version = kBlockVersion;
    std::uint64_t height = 0;
    BlockId parent{};     // all zero for the genesis block
    std::uint64_t slot = 0;
    std::uint64_t timeMs = 0;  // milliseconds since the Unix epoch
    PublicKey proposer{};
    Hash256 txRoot{};
    Hash256 stateRoot{};
    Signature signature{};

    bool operator==(const BlockHeader &) const = default;
};

struct Block {
    BlockHeader header;
    std::vector<Transaction> transactions;

    bool operator==(const Block &) const = default;
};

Bytes encodeBlockHeader(const BlockHeader &header);
Expected<BlockHeader> decodeBlockHeader(ByteView bytes);
Bytes encodeBlock(const Block &block);
// Strict: size limit first, known version, transaction count and sizes within limits, every
// transaction decoding strictly, no trailing bytes. Signatures and rules are checkBlock's job.
Expected<Block> decodeBlock(ByteView bytes);

BlockId blockId(const BlockHeader &header);
Hash256 blockSigningHash(const BlockHeader &header);
Hash256 computeTxRoot(std::span<const TxId> txids);
Hash256 computeTxRoot(std::span<const Transaction> transactions);

// Sets header.proposer to the key's public key and signs (set tx_root and state_root first).
void signBlock(BlockHeader &header, const KeyPair &key);
bool verifyBlockSignature(const BlockHeader &header);

// Stateless block rules: version, size and count limits, proposer signature, tx_root matching the
// transactions, no transaction twice, each transaction passing checkTransaction. Parent, slot,
// proposer schedule and state_root need chain state and belong to the ledger and consensus.
Status checkBlock(const Block &block, std::uint32_t networkId);

}  // namespace blyan::chain
