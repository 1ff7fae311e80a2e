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
    auto supermajority = [&](const std::set<chain::Hash256> &ids, const TreeNode &target) {
        auto set = setFor(target.header);
        if (!set) return false;
        chain::Amount stake = 0;
        for (const auto &vid : ids) stake += set->stakeOf(byId_.at(vid).voter);  // one vote per voter per target
        return ledger::isSupermajority(stake, set->total());
    };
    // Fixpoint: a newly justified block can be the source that justifies the next.
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto &[key, ids] : links_) {
            const auto &[source, target] = key;
            if (justifiedSet_.count(target)) continue;
            const TreeNode *t = tree.find(target);
            const TreeNode *s = tree.find(source);
            if (!t || !s || t->invalid || !tree.isAncestor(source, target)) continue;
            const bool directChild = t->header.height == s->header.height + 1;
            if (!justifiedSet_.count(source)) {
                // The certificate rule: a supermajority link from S to its direct child proves S final even
                // when this node missed the votes that justified S (it joined late, or they went by while
                // it was away). Honest validators only vote from sources they saw justified, so the same
                // assumption as every other finality proof here; a forged one needs conflicting votes.
                if (!directChild || s->header.height <= final_.height || !tree.isAncestor(final_.id, source)) continue;
                if (!supermajority(ids, *t)) continue;
                justifiedSet_[source] = s->header.height;
            } else if (!supermajority(ids, *t)) {
                continue;
            }
            justifiedSet_[target] = t->header.height;
            changed = true;
            if (directChild && s->header.height > final_.height) final_ = Checkpoint{s->header.height, source};
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

std::vector<chain::Vote> FinalityTracker::votes() const
{
    std::vector<chain::Vote> out;
    out.reserve(byId_.size());
    for (const auto &[id, v] : byId_) out.push_back(v);
    return out;
}

std::vector<FinalityTracker::LinkInfo> FinalityTracker::links() const
{
    std::vector<LinkInfo> out;
    for (const auto &[key, ids] : links_) {
        if (ids.empty()) continue;
        const chain::Vote &v = byId_.at(*ids.begin());
        out.push_back({v.sourceHeight, v.targetHeight, key.first, key.second, ids.size(), justifiedSet_.count(key.first) != 0,
                       justifiedSet_.count(key.second) != 0});
    }
    return out;
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
    // The votes go in like gossip (already known ones too: they may only now have their blocks), and
    // update() applies the certificate rule to the link they make.
    for (const auto &v : votes) add(v);
    return update(tree, setFor);
}

}  // namespace blyan::consensus
