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

Expected<std::vector<PublicKey>> State::snapshotKeys(std::uint64_t height)
{
    BLYAN_TRY(const auto stored, store::readSnapshotKeys(db_, height));
    std::set<PublicKey> keys(stored.begin(), stored.end());
    for (const auto &[k, e] : snapshots_) {
        if (k.height != height) continue;
        if (e.current) keys.insert(k.key);
        else keys.erase(k.key);
    }
    return std::vector<PublicKey>(keys.begin(), keys.end());
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

Expected<std::optional<Amount>> State::stakeSnapshot(const SnapshotKey &k)
{
    if (auto it = snapshots_.find(k); it != snapshots_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readSnapshot(db_, k));
    snapshots_.emplace(k, Entry<Amount>{stored, stored});
    return stored;
}

Status State::setStakeSnapshot(const SnapshotKey &k, std::optional<Amount> amount)
{
    BLYAN_CHECK(stakeSnapshot(k));
    snapshots_[k].current = amount;
    return {};
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
