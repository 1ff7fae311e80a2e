#include "storage/merkle.h"

#include <algorithm>
#include <string>

namespace blyan::storage {

namespace {
constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kInnerPrefix = 0x01;
}  // namespace

std::uint64_t chunkCountForSize(std::uint64_t size)
{
    return size == 0 ? 1 : (size - 1) / kChunkSize + 1;
}

std::uint64_t chunkLength(std::uint64_t size, std::uint64_t index)
{
    const std::uint64_t start = index * kChunkSize;
    if (start >= size) return 0;
    return std::min(kChunkSize, size - start);
}

Hash256 merkleLeafHash(ByteView chunk)
{
    crypto::Blake2b256Stream s;
    s.update(ByteView(&kLeafPrefix, 1));
    s.update(chunk);
    return s.finish();
}

Hash256 merkleInnerHash(const Hash256 &left, const Hash256 &right)
{
    std::uint8_t buf[1 + 32 + 32];
    buf[0] = kInnerPrefix;
    std::copy(left.begin(), left.end(), buf + 1);
    std::copy(right.begin(), right.end(), buf + 33);
    return crypto::blake2b256(ByteView(buf, sizeof buf));
}

Hash256 merkleRoot(std::span<const Hash256> leaves)
{
    if (leaves.empty()) return merkleLeafHash({});  // the empty payload's single leaf
    std::vector<Hash256> level(leaves.begin(), leaves.end());
    while (level.size() > 1) {
        std::vector<Hash256> next;
        next.reserve((level.size() + 1) / 2);
        for (std::size_t i = 0; i + 1 < level.size(); i += 2) next.push_back(merkleInnerHash(level[i], level[i + 1]));
        if (level.size() % 2 == 1) next.push_back(level.back());  // odd node promoted unchanged
        level = std::move(next);
    }
    return level.front();
}

Expected<MerkleProof> merkleProof(std::span<const Hash256> leaves, std::uint64_t index)
{
    if (index >= leaves.size())
        return makeError(ErrorCode::InvalidArgument, "chunk " + std::to_string(index) + " is out of range: the object has " +
                                                         std::to_string(leaves.size()) + " chunks");
    MerkleProof proof;
    std::vector<Hash256> level(leaves.begin(), leaves.end());
    std::uint64_t i = index;
    while (level.size() > 1) {
        const std::uint64_t sibling = i ^ 1u;
        if (sibling < level.size()) proof.push_back(level[sibling]);
        std::vector<Hash256> next;
        next.reserve((level.size() + 1) / 2);
        for (std::size_t k = 0; k + 1 < level.size(); k += 2) next.push_back(merkleInnerHash(level[k], level[k + 1]));
        if (level.size() % 2 == 1) next.push_back(level.back());
        level = std::move(next);
        i /= 2;
    }
    return proof;
}

bool verifyMerkleChunk(const Hash256 &root, std::uint64_t index, std::uint64_t count, ByteView chunk,
                       std::span<const Hash256> proof)
{
    if (count == 0 || index >= count) return false;
    // Chunk boundaries are fixed, so a chunk of the wrong length is wrong whatever its hash says.
    if (chunk.size() > kChunkSize) return false;
    if (index + 1 < count && chunk.size() != kChunkSize) return false;
    if (index + 1 == count && count > 1 && chunk.empty()) return false;
    Hash256 h = merkleLeafHash(chunk);
    std::uint64_t i = index, width = count;
    std::size_t used = 0;
    while (width > 1) {
        const std::uint64_t sibling = i ^ 1u;
        if (sibling < width) {
            if (used >= proof.size()) return false;
            h = (i % 2 == 0) ? merkleInnerHash(h, proof[used]) : merkleInnerHash(proof[used], h);
            ++used;
        }
        i /= 2;
        width = (width + 1) / 2;
    }
    return used == proof.size() && h == root;  // a proof with extra hashes is malformed, not "mostly right"
}

void MerkleBuilder::addLeaf(const Hash256 &leaf)
{
    Node n{leaf, 1};
    // Merge equal-sized perfect subtrees, exactly as the level-by-level pairing would.
    while (!stack_.empty() && stack_.back().leaves == n.leaves) {
        n = Node{merkleInnerHash(stack_.back().hash, n.hash), n.leaves * 2};
        stack_.pop_back();
    }
    stack_.push_back(n);
    ++count_;
}

Hash256 MerkleBuilder::root() const
{
    if (stack_.empty()) return merkleLeafHash({});
    Hash256 h = stack_.back().hash;
    for (std::size_t k = stack_.size() - 1; k-- > 0;) h = merkleInnerHash(stack_[k].hash, h);
    return h;
}

PayloadHasher::PayloadHasher(bool keepLeaves)
    : whole_(std::make_unique<crypto::Blake2b256Stream>()), keepLeaves_(keepLeaves)
{
}

PayloadHasher::~PayloadHasher() = default;

void PayloadHasher::closeChunk()
{
    const Hash256 leaf = chunk_->finish();
    chunk_.reset();
    chunkFill_ = 0;
    builder_.addLeaf(leaf);
    if (keepLeaves_) leaves_.push_back(leaf);
}

void PayloadHasher::update(ByteView data)
{
    whole_->update(data);
    size_ += data.size();
    while (!data.empty()) {
        // A full chunk is closed only when more bytes arrive (or at finish()), so that a payload of exactly
        // N MiB has N chunks rather than N plus an empty one.
        if (chunk_ && chunkFill_ == kChunkSize) closeChunk();
        if (!chunk_) {
            chunk_ = std::make_unique<crypto::Blake2b256Stream>();
            const std::uint8_t prefix = kLeafPrefix;
            chunk_->update(ByteView(&prefix, 1));
        }
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), kChunkSize - chunkFill_));
        chunk_->update(data.first(take));
        chunkFill_ += take;
        data = data.subspan(take);
    }
}

PayloadHasher::Result PayloadHasher::finish()
{
    if (chunk_) closeChunk();
    else if (builder_.leafCount() == 0) {  // empty payload: one empty leaf
        const Hash256 leaf = merkleLeafHash({});
        builder_.addLeaf(leaf);
        if (keepLeaves_) leaves_.push_back(leaf);
    }
    Result r;
    r.hash = whole_->finish();
    r.size = size_;
    r.chunkCount = builder_.leafCount();
    r.merkleRoot = builder_.root();
    r.leaves = std::move(leaves_);
    return r;
}

}  // namespace blyan::storage
