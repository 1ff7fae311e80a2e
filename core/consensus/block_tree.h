#pragma once
// The tree of blocks a node knows above its last final block (DESIGN.md section 5).
//
// The root is the last final block: nothing below it can change, so nothing below it is kept. Every
// other node is a header whose parent is in the tree; a node "has a body" once the whole block is here
// (in the ledger for the canonical chain, in this tree's own store for side branches and for blocks
// still waiting to be applied). A block that failed to apply is marked invalid with its descendants.
//
// Fork choice (the rule validators vote by): among the chains that descend from the highest justified
// block and have every body, the highest tip; on equal heights the current tip stays, otherwise the
// lowest block id wins (deterministic). This refines DESIGN.md's "longest chain descending from the last
// final block": following the highest justified block is what keeps an honest validator from ever
// casting a surround vote (chain/vote.h), so it can never be slashed for following the chain.

#include "chain/block.h"

#include <cstring>
#include <map>
#include <unordered_map>
#include <optional>
#include <vector>

namespace blyan::consensus {

using chain::BlockId;

struct TreeNode {
    chain::BlockHeader header;
    BlockId id{};
    bool hasBody = false;
    bool invalid = false;
    std::vector<BlockId> children;
};

// Hashed, not ordered, maps: a syncing node walks thousands of parent links per block.
using BlockIdHash = crypto::Hash256Hasher;

class BlockTree {
public:
    // Starts over from the final block `root` (its body is in the ledger).
    void reset(const chain::BlockHeader &root, const BlockId &rootId);

    const BlockId &rootId() const { return rootId_; }
    std::uint64_t rootHeight() const { return nodes_.at(rootId_).header.height; }
    bool contains(const BlockId &id) const { return nodes_.count(id) != 0; }
    const TreeNode *find(const BlockId &id) const;
    std::size_t size() const { return nodes_.size(); }

    // Adds a header whose parent is in the tree (height and slot checked against the parent; the
    // signature is the caller's business). Adding a known header is a no-op. Refuses what does not
    // connect, with the reason.
    Status addHeader(const chain::BlockHeader &header);
    // A body arrived (or the block is in the ledger): the node can be part of a head. Side-branch bodies
    // are kept here (`block` given) until they are applied or pruned.
    void setHasBody(const BlockId &id, std::optional<chain::Block> block = std::nullopt);
    const chain::Block *storedBody(const BlockId &id) const;
    void dropStoredBody(const BlockId &id);
    void markInvalid(const BlockId &id);  // and every descendant

    // Whether `ancestor` is `descendant` or one of its ancestors (both in the tree).
    bool isAncestor(const BlockId &ancestor, const BlockId &descendant) const;
    // The blocks after `ancestor` up to `descendant`, in order (empty if not an ancestor).
    std::vector<BlockId> path(const BlockId &ancestor, const BlockId &descendant) const;
    BlockId commonAncestor(const BlockId &a, const BlockId &b) const;

    // The fork choice above: the best tip whose chain from the root has every body (when a block on the way
    // to the justified one has no body yet, the last one before it).
    BlockId bestTip(const BlockId &justified, const BlockId &currentTip) const;
    // The same over headers (bodies or not): what sync should fetch towards.
    BlockId bestHeaderTip(const BlockId &justified) const;
    // Headers on the way to `tip` whose bodies are missing, in chain order.
    std::vector<BlockId> missingBodies(const BlockId &tip) const;

    // The new final block: every node that does not descend from it goes, and it becomes the root.
    void prune(const BlockId &newRoot);

private:
    void best(const BlockId &from, bool needBody, const BlockId &preferred, BlockId &bestId, std::uint64_t &bestHeight) const;

    std::unordered_map<BlockId, TreeNode, BlockIdHash> nodes_;
    std::unordered_map<BlockId, chain::Block, BlockIdHash> bodies_;
    BlockId rootId_{};
};

}  // namespace blyan::consensus
