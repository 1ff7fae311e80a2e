#include "consensus/block_tree.h"

#include "crypto/hash.h"

namespace blyan::consensus {

void BlockTree::reset(const chain::BlockHeader &root, const BlockId &rootId)
{
    nodes_.clear();
    bodies_.clear();
    rootId_ = rootId;
    nodes_[rootId] = TreeNode{root, rootId, true, false, {}};
}

const TreeNode *BlockTree::find(const BlockId &id) const
{
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : &it->second;
}

Status BlockTree::addHeader(const chain::BlockHeader &header)
{
    const BlockId id = chain::blockId(header);
    if (nodes_.count(id)) return {};
    auto parent = nodes_.find(header.parent);
    if (parent == nodes_.end())
        return makeError(ErrorCode::NotFound, "block " + crypto::hashToHex(id) + " at height " +
                                                  std::to_string(header.height) + ": its parent is unknown");
    const chain::BlockHeader &p = parent->second.header;
    if (header.height != p.height + 1)
        return makeError(ErrorCode::InvalidArgument, "block at height " + std::to_string(header.height) +
                                                         " does not follow its parent at height " + std::to_string(p.height));
    if (header.slot <= p.slot)
        return makeError(ErrorCode::InvalidArgument, "block at slot " + std::to_string(header.slot) +
                                                         " is not after its parent's slot " + std::to_string(p.slot));
    TreeNode node{header, id, false, parent->second.invalid, {}};
    parent->second.children.push_back(id);
    nodes_.emplace(id, std::move(node));
    return {};
}

void BlockTree::setHasBody(const BlockId &id, std::optional<chain::Block> block)
{
    auto it = nodes_.find(id);
    if (it == nodes_.end()) return;
    it->second.hasBody = true;
    if (block) bodies_[id] = std::move(*block);
}

const chain::Block *BlockTree::storedBody(const BlockId &id) const
{
    auto it = bodies_.find(id);
    return it == bodies_.end() ? nullptr : &it->second;
}

void BlockTree::dropStoredBody(const BlockId &id) { bodies_.erase(id); }

void BlockTree::markInvalid(const BlockId &id)
{
    std::vector<BlockId> stack{id};
    while (!stack.empty()) {
        const BlockId cur = stack.back();
        stack.pop_back();
        auto it = nodes_.find(cur);
        if (it == nodes_.end()) continue;
        it->second.invalid = true;
        bodies_.erase(cur);
        for (const auto &c : it->second.children) stack.push_back(c);
    }
}

bool BlockTree::isAncestor(const BlockId &ancestor, const BlockId &descendant) const
{
    auto a = nodes_.find(ancestor);
    auto d = nodes_.find(descendant);
    if (a == nodes_.end() || d == nodes_.end()) return false;
    const std::uint64_t h = a->second.header.height;
    const TreeNode *cur = &d->second;
    while (cur->header.height > h) {
        auto p = nodes_.find(cur->header.parent);
        if (p == nodes_.end()) return false;
        cur = &p->second;
    }
    return cur->id == ancestor;
}

std::vector<BlockId> BlockTree::path(const BlockId &ancestor, const BlockId &descendant) const
{
    if (!isAncestor(ancestor, descendant)) return {};
    std::vector<BlockId> out;
    BlockId cur = descendant;
    while (cur != ancestor) {
        out.push_back(cur);
        cur = nodes_.at(cur).header.parent;
    }
    return {out.rbegin(), out.rend()};
}

BlockId BlockTree::commonAncestor(const BlockId &a, const BlockId &b) const
{
    const TreeNode *x = find(a);
    const TreeNode *y = find(b);
    if (!x || !y) return rootId_;
    while (x->header.height > y->header.height) x = find(x->header.parent);
    while (y->header.height > x->header.height) y = find(y->header.parent);
    while (x && y && x->id != y->id) {
        x = find(x->header.parent);
        y = find(y->header.parent);
    }
    return x ? x->id : rootId_;
}

void BlockTree::best(const BlockId &from, bool needBody, const BlockId &preferred, BlockId &bestId,
                     std::uint64_t &bestHeight) const
{
    // Depth-first over the subtree; a node without a body (when bodies count) or invalid ends its branch.
    std::vector<BlockId> stack{from};
    while (!stack.empty()) {
        const BlockId cur = stack.back();
        stack.pop_back();
        const TreeNode &n = nodes_.at(cur);
        if (n.invalid || (needBody && !n.hasBody)) continue;
        const std::uint64_t h = n.header.height;
        const bool better = h > bestHeight || (h == bestHeight && bestId != preferred && (cur == preferred || cur < bestId));
        if (better) {
            bestId = cur;
            bestHeight = h;
        }
        for (const auto &c : n.children) stack.push_back(c);
    }
}

BlockId BlockTree::bestTip(const BlockId &justified, const BlockId &currentTip) const
{
    const BlockId start = nodes_.count(justified) ? justified : rootId_;
    // The justified block itself may still be on its way: then the head goes as far towards it as the
    // bodies here allow (it is where every honest node is heading).
    for (const BlockId &id : path(rootId_, start)) {
        const TreeNode &n = nodes_.at(id);
        if (!n.hasBody || n.invalid) return n.header.parent;
    }
    BlockId bestId = start;
    std::uint64_t bestHeight = nodes_.at(start).header.height;
    best(start, true, currentTip, bestId, bestHeight);
    return bestId;
}

BlockId BlockTree::bestHeaderTip(const BlockId &justified) const
{
    const BlockId start = nodes_.count(justified) ? justified : rootId_;
    BlockId bestId = start;
    std::uint64_t bestHeight = nodes_.at(start).header.height;
    best(start, false, BlockId{}, bestId, bestHeight);
    return bestId;
}

std::vector<BlockId> BlockTree::missingBodies(const BlockId &tip) const
{
    std::vector<BlockId> out;
    for (const auto &id : path(rootId_, tip))
        if (!nodes_.at(id).hasBody) out.push_back(id);
    return out;
}

void BlockTree::prune(const BlockId &newRoot)
{
    if (!nodes_.count(newRoot) || newRoot == rootId_) return;
    std::unordered_map<BlockId, TreeNode, BlockIdHash> kept;
    std::vector<BlockId> stack{newRoot};
    while (!stack.empty()) {
        const BlockId cur = stack.back();
        stack.pop_back();
        auto it = nodes_.find(cur);
        for (const auto &c : it->second.children) stack.push_back(c);
        kept.emplace(cur, std::move(it->second));
    }
    for (auto it = bodies_.begin(); it != bodies_.end();)
        it = kept.count(it->first) ? std::next(it) : bodies_.erase(it);
    nodes_ = std::move(kept);
    rootId_ = newRoot;
}

}  // namespace blyan::consensus
