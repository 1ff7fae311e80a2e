// State's governance rows (state.h): the same overlay rules as the other tables. flush and restore
// (state.cpp) write them back and undo them.
#include "ledger/governance/store.h"
#include "ledger/state.h"
#include "ledger/store.h"

namespace blyan::ledger {

Expected<std::optional<ProposalRow>> State::proposal(const crypto::Hash256 &id)
{
    if (auto it = proposals_.find(id); it != proposals_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readProposal(db_, id));
    proposals_.emplace(id, Entry<ProposalRow>{stored, stored});
    return stored;
}

Status State::setProposal(const crypto::Hash256 &id, const ProposalRow &p)
{
    BLYAN_CHECK(proposal(id));
    auto &e = proposals_[id];
    if (!e.current) ++addedProposals_;  // a new row (restore, which may remove one, never counts after)
    e.current = p;
    return {};
}

Expected<std::uint64_t> State::proposalCount()
{
    if (!storedProposalCount_) {
        BLYAN_TRY(const std::uint64_t stored, store::countProposals(db_));
        storedProposalCount_ = stored;
    }
    return *storedProposalCount_ + addedProposals_;
}

Expected<std::set<std::uint64_t>> State::openSnapshotHeights()
{
    BLYAN_TRY(const auto stored, store::readOpenProposals(db_));
    std::set<std::uint64_t> out;
    for (const auto &[id, snapshot] : stored)
        if (!proposals_.count(id)) out.insert(snapshot);
    for (const auto &[id, e] : proposals_)
        if (e.current && e.current->status == ProposalStatus::Voting) out.insert(e.current->snapshotHeight);
    return out;
}

Expected<std::vector<crypto::Hash256>> State::proposalsEndingBy(std::uint64_t height)
{
    BLYAN_TRY(auto stored, store::readProposalsEndingBy(db_, height));
    std::vector<crypto::Hash256> out;
    for (const auto &id : stored) {
        const auto it = proposals_.find(id);
        if (it == proposals_.end() || (it->second.current && it->second.current->status == ProposalStatus::Voting))
            out.push_back(id);
    }
    return out;
}

Expected<Amount> State::totalStakeBeforeBlock()
{
    if (!totalStakeBeforeBlock_) {
        BLYAN_TRY(const Amount total, store::sumStakes(db_));
        totalStakeBeforeBlock_ = total;
    }
    return *totalStakeBeforeBlock_;
}

Expected<std::optional<VoteRow>> State::vote(const VoteKey &k)
{
    if (auto it = votes_.find(k); it != votes_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readVote(db_, k));
    votes_.emplace(k, Entry<VoteRow>{stored, stored});
    return stored;
}

Status State::setVote(const VoteKey &k, const VoteRow &v)
{
    BLYAN_CHECK(vote(k));
    votes_[k].current = v;
    return {};
}

Expected<std::optional<Amount>> State::stakeCheckpoint(const CheckpointKey &k)
{
    if (auto it = checkpoints_.find(k); it != checkpoints_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readCheckpoint(db_, k));
    checkpoints_.emplace(k, Entry<Amount>{stored, stored});
    return stored;
}

Status State::setStakeCheckpoint(const CheckpointKey &k, std::optional<Amount> amount)
{
    BLYAN_CHECK(stakeCheckpoint(k));
    checkpoints_[k].current = amount;
    return {};
}

Expected<std::optional<std::pair<std::uint64_t, Amount>>> State::firstStakeCheckpointAbove(const PublicKey &key,
                                                                                          std::uint64_t height)
{
    using Result = std::optional<std::pair<std::uint64_t, Amount>>;
    // The first stored one that this State has not removed (a removed one is a pruned checkpoint, at or
    // below every open snapshot height, so voting never steps past more than the pruned ones)...
    Result found;
    for (std::uint64_t from = height;;) {
        BLYAN_TRY(const Result stored, store::readFirstCheckpointAbove(db_, key, from));
        if (!stored) break;
        const auto it = checkpoints_.find(CheckpointKey{key, stored->first});
        if (it == checkpoints_.end()) {
            found = stored;
            break;
        }
        if (it->second.current) {
            found = std::make_pair(stored->first, *it->second.current);
            break;
        }
        from = stored->first;
    }
    // ...or one this State holds below it.
    for (auto it = checkpoints_.upper_bound(CheckpointKey{key, height}); it != checkpoints_.end() && it->first.key == key; ++it) {
        if (found && it->first.height >= found->first) break;
        if (it->second.current) {
            found = std::make_pair(it->first.height, *it->second.current);
            break;
        }
    }
    return found;
}

Expected<std::vector<CheckpointKey>> State::stakeCheckpointsUpTo(std::uint64_t height)
{
    BLYAN_TRY(const auto stored, store::readCheckpointsUpTo(db_, height));
    std::set<CheckpointKey> keys(stored.begin(), stored.end());
    for (const auto &[k, e] : checkpoints_) {
        if (k.height > height) continue;
        if (e.current) keys.insert(k);
        else keys.erase(k);
    }
    return std::vector<CheckpointKey>(keys.begin(), keys.end());
}

Expected<std::optional<std::uint64_t>> State::param(std::uint8_t id)
{
    if (auto it = params_.find(id); it != params_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readParam(db_, id));
    params_.emplace(id, Entry<std::uint64_t>{stored, stored});
    return stored;
}

Status State::setParam(std::uint8_t id, std::uint64_t value)
{
    BLYAN_CHECK(param(id));
    params_[id].current = value;
    return {};
}

Expected<std::optional<DatasetApproval>> State::dataset(const ObjectId &id)
{
    if (auto it = datasets_.find(id); it != datasets_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readDataset(db_, id));
    datasets_.emplace(id, Entry<DatasetApproval>{stored, stored});
    return stored;
}

Status State::setDataset(const ObjectId &id, std::optional<DatasetApproval> a)
{
    BLYAN_CHECK(dataset(id));
    datasets_[id].current = a;
    return {};
}

Expected<Amount> State::stakeBeforeBlock(const PublicKey &key)
{
    BLYAN_CHECK(stake(key));  // loads the entry
    return stakes_.at(key).original.value_or(0);
}

std::vector<std::pair<PublicKey, Amount>> State::changedStakes() const
{
    std::vector<std::pair<PublicKey, Amount>> out;
    for (const auto &[key, e] : stakes_)
        if (e.original != e.current) out.emplace_back(key, e.original.value_or(0));
    return out;
}

}  // namespace blyan::ledger
