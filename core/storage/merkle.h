#pragma once
// Chunk Merkle trees over object payloads (DESIGN.md section 4): payloads travel between peers in
// 1 MiB chunks, and each chunk is checked against the object's Merkle root before it is stored, so a
// peer can never make us keep bytes that do not belong to the object.
//
// Tree rules (part of the protocol; changing them changes every object record):
//   leaf  = BLAKE2b-256(0x00 || chunk)         chunks are 1 MiB, the last one may be shorter
//   inner = BLAKE2b-256(0x01 || left || right) the prefixes keep leaves and inner nodes apart
//   a level with an odd number of nodes promotes its last node unchanged to the next level
//   an empty payload has exactly one chunk, the empty one

#include "crypto/hash.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace blyan::storage {

using crypto::Hash256;

inline constexpr std::uint64_t kChunkSize = 1u << 20;

// Number of chunks of a payload of `size` bytes: ceil(size / 1 MiB), and 1 for the empty payload.
std::uint64_t chunkCountForSize(std::uint64_t size);
// Byte length of chunk `index` of a payload of `size` bytes (0 for the single chunk of an empty one).
std::uint64_t chunkLength(std::uint64_t size, std::uint64_t index);

Hash256 merkleLeafHash(ByteView chunk);
Hash256 merkleInnerHash(const Hash256 &left, const Hash256 &right);

// Root over all leaves, level by level (the reference form of the rules above). `leaves` must not be
// empty: an empty payload still has one (empty) leaf.
Hash256 merkleRoot(std::span<const Hash256> leaves);

// Sibling hashes from leaf `index` up to the root, bottom first. Levels where the node is promoted
// have no sibling and contribute nothing, so the proof length depends on (index, count) only.
using MerkleProof = std::vector<Hash256>;
Expected<MerkleProof> merkleProof(std::span<const Hash256> leaves, std::uint64_t index);

// Checks that `chunk` is chunk `index` of `count` under `root`. Also rejects chunks of the wrong
// length (every chunk but the last is exactly 1 MiB; the last is 1..1 MiB, or empty when count is 1).
// The root alone does not pin down `count` (a proof can fit several tree shapes), so take `count` from
// the trusted object record (chunkCountForSize(size)), never from the peer sending the chunk.
bool verifyMerkleChunk(const Hash256 &root, std::uint64_t index, std::uint64_t count, ByteView chunk,
                       std::span<const Hash256> proof);

// Builds the root from leaves that arrive one at a time, keeping only O(log n) hashes: one pending
// perfect subtree per size. Folding them right to left at the end gives exactly the level-by-level root
// (the promoted odd node of a level is always the last, smallest perfect subtree).
class MerkleBuilder {
public:
    void addLeaf(const Hash256 &leaf);
    std::uint64_t leafCount() const { return count_; }
    Hash256 root() const;  // requires at least one leaf

private:
    struct Node {
        Hash256 hash;
        std::uint64_t leaves;
    };
    std::vector<Node> stack_;
    std::uint64_t count_ = 0;
};

// Everything an object store needs from a payload, computed in one streaming pass with bounded memory:
// the payload hash (its address), its size, and the chunk Merkle root. Feed any piece sizes.
class PayloadHasher {
public:
    // keepLeaves: also remember every leaf hash (32 bytes per MiB of payload) for chunk proofs.
    explicit PayloadHasher(bool keepLeaves = false);
    ~PayloadHasher();
    PayloadHasher(const PayloadHasher &) = delete;
    PayloadHasher &operator=(const PayloadHasher &) = delete;

    void update(ByteView data);
    std::uint64_t size() const { return size_; }

    struct Result {
        Hash256 hash;
        std::uint64_t size = 0;
        std::uint64_t chunkCount = 0;
        Hash256 merkleRoot;
        std::vector<Hash256> leaves;  // empty unless keepLeaves
    };
    Result finish();  // may be called once

private:
    void closeChunk();

    std::unique_ptr<crypto::Blake2b256Stream> whole_;
    std::unique_ptr<crypto::Blake2b256Stream> chunk_;  // current chunk, already fed the 0x00 prefix
    std::uint64_t chunkFill_ = 0;
    std::uint64_t size_ = 0;
    bool keepLeaves_;
    std::vector<Hash256> leaves_;
    MerkleBuilder builder_;
};

}  // namespace blyan::storage
