#include "consensus/finality.h"

namespace blyan::consensus {

void FinalityTracker::reset(const Checkpoint &finalized)
{
    final_ = finalized;
    justified_ = finalized;
    justifiedSet_.clear();
    justifiedSet_[finalized.id] = finalized.height;
    dropBelow(finalized.height);
}

void FinalityTracker::forget(const chain::Hash256 &voteId)
{
    auto it = byId_.find(voteId);
    if (it == byId_.end()) return;
    const chain::Vote &v = it->second;
    auto link = links_.find({v.source, v.target});
    if (link != links_.end()) {
        link->second.erase(voteId);
        if (link->second.empty()) links_.erase(link);
    }
    auto voter = byVoter_.find(v.voter);
    if (voter != byVoter_.end()) {
        voter->second.erase(v.targetHeight);
        if (voter->second.empty()) byVoter_.erase(voter);
    }
    byId_.erase(it);
}

void FinalityTracker::dropBelow(std::uint64_t height)
{
    std::vector<chain::Hash256> old;
    for (const auto &[id, v] : byId_)
        if (v.targetHeight <= height) old.push_back(id);
    for (const auto &id : old) forget(id);
}

FinalityTracker::Added FinalityTracker::add(const chain::Vote &vote)
{
    Added out;
    const chain::Hash256 id = chain::voteId(vote);
    if (byId_.count(id)) return out;
    auto &mine = byVoter_[vote.voter];
    // A double vote meets the stored vote of the same target height; a surround vote can meet any.
    for (const auto &[height, otherId] : mine) {
        const chain::Vote &other = byId_.at(otherId);
        if (chain::voteConflict(vote, other) != chain::VoteConflict::None) {
            out.conflict = other;
            break;
        }
    }
    if (vote.targetHeight <= final_.height || out.conflict) {
        if (mine.empty()) byVoter_.erase(vote.voter);
        return out;  // nothing to count (a conflicting vote never counts: the first one stands)
    }
    if (mine.size() >= kMaxVotesPerVoter) forget(mine.begin()->second);
    byVoter_[vote.voter][vote.targetHeight] = id;
    byId_.emplace(id, vote);
    links_[{vote.source, vote.target}].insert(id);
    out.stored = true;
    return out;
}

bool FinalityTracker::update(const BlockTree &tree, const SetForBlock &setFor)
{
    const BlockId finalBefore = final_.id;
    // Fixpoint: a newly justified block can be the source that justifies the next.
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto &[key, ids] : links_) {
            const auto &[source, target] = key;
            if (justifiedSet_.count(target) || !justifiedSet_.count(source)) continue;
            const TreeNode *t = tree.find(target);
            const TreeNode *s = tree.find(source);
            if (!t || !s || t->invalid || !tree.isAncestor(source, target)) continue;
            auto set = setFor(t->header);
            if (!set) continue;
            chain::Amount stake = 0;
            for (const auto &vid : ids) stake += set->stakeOf(byId_.at(vid).voter);  // one vote per voter per target
            if (!ledger::isSupermajority(stake, set->total())) continue;
            justifiedSet_[target] = t->header.height;
            changed = true;
            if (t->header.height == s->header.height + 1 && s->header.height > final_.height)
                final_ = Checkpoint{s->header.height, source};
        }
    }
    // Only what descends from the final block still matters.
    for (auto it = justifiedSet_.begin(); it != justifiedSet_.end();)
        it = (it->first == final_.id || tree.isAncestor(final_.id, it->first)) ? std::next(it) : justifiedSet_.erase(it);
    justified_ = final_;
    for (const auto &[id, height] : justifiedSet_)
        if (height > justified_.height) justified_ = Checkpoint{height, id};
    if (final_.id == finalBefore) return false;
    dropBelow(final_.height);
    return true;
}

std::vector<chain::Vote> FinalityTracker::linkVotes(const BlockId &source, const BlockId &target) const
{
    std::vector<chain::Vote> out;
    auto it = links_.find({source, target});
    if (it == links_.end()) return out;
    for (const auto &id : it->second) out.push_back(byId_.at(id));
    return out;
}

bool FinalityTracker::adoptCertificate(const std::vector<chain::Vote> &votes, const BlockTree &tree, const SetForBlock &setFor)
{
    // The votes go in like gossip; if they prove a later final block, update() finds it. A certificate
    // whose source is not yet justified here (a node that synced without votes) is taken as its
    // claimed justification only when the link S -> child(S) itself has a supermajority from the set:
    // that link alone proves S final under the accountable-safety assumption.
    const BlockId finalBefore = final_.id;
    bool any = false;
    for (const auto &v : votes) any = add(v).stored || any;
    if (!any) return false;
    for (const auto &v : votes) {
        const TreeNode *t = tree.find(v.target);
        const TreeNode *s = tree.find(v.source);
        if (!t || !s || t->header.height != s->header.height + 1 || s->header.height <= final_.height) continue;
        if (!tree.isAncestor(final_.id, v.source)) continue;
        auto set = setFor(t->header);
        if (!set) continue;
        chain::Amount stake = 0;
        for (const auto &id : links_[{v.source, v.target}]) stake += set->stakeOf(byId_.at(id).voter);
        if (ledger::isSupermajority(stake, set->total())) {
            justifiedSet_[v.source] = s->header.height;
            justifiedSet_[v.target] = t->header.height;
            final_ = Checkpoint{s->header.height, v.source};
        }
    }
    update(tree, setFor);
    if (final_.id == finalBefore) return false;
    dropBelow(final_.height);
    return true;
}

}  // namespace blyan::consensus
