#include "ledger/state.h"

#include "ledger/governance/store.h"
#include "ledger/rows.h"
#include "ledger/store.h"

namespace blyan::ledger {

Expected<Account> State::account(const PublicKey &key)
{
    if (auto it = accounts_.find(key); it != accounts_.end()) return it->second.current.value_or(Account{});
    BLYAN_TRY(auto stored, store::readAccount(db_, key));
    accounts_.emplace(key, Entry<Account>{stored, stored});
    return stored.value_or(Account{});
}

Status State::setAccount(const PublicKey &key, const Account &a)
{
    BLYAN_CHECK(account(key));
    accounts_[key].current = a;
    return {};
}

Expected<Amount> State::stake(const PublicKey &key)
{
    if (auto it = stakes_.find(key); it != stakes_.end()) return it->second.current.value_or(0);
    BLYAN_TRY(const Amount stored, store::readStake(db_, key));
    const std::optional<Amount> row = stored ? std::optional<Amount>(stored) : std::nullopt;
    stakes_.emplace(key, Entry<Amount>{row, row});
    return stored;
}

Status State::setStake(const PublicKey &key, Amount amount)
{
    BLYAN_CHECK(stake(key));
    stakes_[key].current = amount ? std::optional<Amount>(amount) : std::nullopt;
    return {};
}

Expected<std::optional<StoredObject>> State::object(const ObjectId &id)
{
    if (auto it = objects_.find(id); it != objects_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readObject(db_, id));
    objects_.emplace(id, Entry<StoredObject>{stored, stored});
    return stored;
}

Status State::addObject(const ObjectId &id, StoredObject object)
{
    BLYAN_TRY(const auto existing, this->object(id));
    if (existing)
        return makeError(ErrorCode::AlreadyExists, "object " + crypto::hashToHex(id) + " is already stored");
    objects_[id].current = std::move(object);
    return {};
}

Expected<std::optional<ObjectId>> State::head(const std::string &name)
{
    if (auto it = heads_.find(name); it != heads_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readHead(db_, name));
    heads_.emplace(name, Entry<ObjectId>{stored, stored});
    return stored;
}

Status State::setHead(const std::string &name, const ObjectId &id)
{
    BLYAN_CHECK(head(name));
    heads_[name].current = id;
    return {};
}

Expected<Supply> State::supply()
{
    if (supply_) {
        if (supply_->current) return *supply_->current;
    } else {
        BLYAN_TRY(auto stored, store::readSupply(db_));
        std::optional<Supply> s;
        if (stored) s = stored->first;
        supply_ = Entry<Supply>{s, s};
        if (s) return *s;
    }
    return makeError(ErrorCode::NotFound, "the ledger has no genesis yet");
}

Status State::setSupply(const Supply &s)
{
    if (!supply_) {
        // Genesis creates the row; anything else must find it.
        BLYAN_TRY(auto stored, store::readSupply(db_));
        std::optional<Supply> original;
        if (stored) original = stored->first;
        supply_ = Entry<Supply>{original, original};
    }
    supply_->current = s;
    return {};
}

Expected<std::optional<ConsensusRow>> State::consensus()
{
    if (!consensus_) {
        BLYAN_TRY(auto stored, store::readConsensus(db_));
        consensus_ = Entry<ConsensusRow>{stored, stored};
    }
    return consensus_->current;
}

Status State::setConsensus(const ConsensusRow &c)
{
    BLYAN_CHECK(consensus());
    consensus_->current = c;
    return {};
}

Expected<Amount> State::validator(const ValidatorKey &k)
{
    if (auto it = validators_.find(k); it != validators_.end()) return it->second.current.value_or(0);
    BLYAN_TRY(const Amount stored, store::readValidator(db_, k));
    const std::optional<Amount> row = stored ? std::optional<Amount>(stored) : std::nullopt;
    validators_.emplace(k, Entry<Amount>{row, row});
    return stored;
}

Status State::setValidator(const ValidatorKey &k, Amount stake)
{
    BLYAN_CHECK(validator(k));
    validators_[k].current = stake ? std::optional<Amount>(stake) : std::nullopt;
    return {};
}

Expected<std::optional<SlashRecord>> State::slash(const crypto::Hash256 &evidence)
{
    if (auto it = slashes_.find(evidence); it != slashes_.end()) return it->second.current;
    BLYAN_TRY(auto stored, store::readSlash(db_, evidence));
    slashes_.emplace(evidence, Entry<SlashRecord>{stored, stored});
    return stored;
}

Status State::addSlash(const crypto::Hash256 &evidence, const SlashRecord &r)
{
    BLYAN_TRY(const auto existing, slash(evidence));
    if (existing) return makeError(ErrorCode::AlreadyExists, "this slashing evidence was already applied");
    slashes_[evidence].current = r;
    return {};
}

Status State::restore(const UndoLog &undo)
{
    // Each row goes back to what it was before the block; rows the block created go away.
    for (const auto &[key, a] : undo.accounts) {
        BLYAN_CHECK(account(key));
        accounts_[key].current = a;
    }
    for (const auto &[key, amount] : undo.stakes) BLYAN_CHECK(setStake(key, amount.value_or(0)));
    for (const auto &id : undo.addedObjects) {
        BLYAN_CHECK(object(id));
        objects_[id].current.reset();
    }
    for (const auto &[name, id] : undo.heads) {
        BLYAN_CHECK(head(name));
        heads_[name].current = id;
    }
    if (undo.supply) BLYAN_CHECK(setSupply(*undo.supply));
    if (undo.consensus) {
        BLYAN_CHECK(consensus());
        consensus_->current = *undo.consensus;
    }
    for (const auto &[k, stake] : undo.validators) BLYAN_CHECK(setValidator(k, stake.value_or(0)));
    for (const auto &e : undo.addedSlashes) {
        BLYAN_CHECK(slash(e));
        slashes_[e].current.reset();
    }
    for (const auto &[id, p] : undo.proposals) {
        BLYAN_CHECK(proposal(id));
        proposals_[id].current = p;
    }
    for (const auto &[k, v] : undo.votes) {
        BLYAN_CHECK(vote(k));
        votes_[k].current = v;
    }
    for (const auto &[k, a] : undo.checkpoints) BLYAN_CHECK(setStakeCheckpoint(k, a));
    for (const auto &[id, v] : undo.params) {
        BLYAN_CHECK(param(id));
        params_[id].current = v;
    }
    for (const auto &[id, a] : undo.datasets) BLYAN_CHECK(setDataset(id, a));
    for (const auto &[k, a] : undo.unbondings) BLYAN_CHECK(setUnbonding(k, a.value_or(0)));
    return {};
}

namespace {

// One table of keyed rows (governance, unbonding): hash the old row out and the new one in, write it, record the old value.
template <typename K, typename V, typename Encode, typename Write, typename Undo>
Status flushTable(const K &key, const std::optional<V> &original, const std::optional<V> &current, LtHash &hash,
                  Encode encode, Write write, Undo *undo)
{
    if (original == current) return {};
    if (original) hash.remove(encode(key, *original));
    if (current) hash.add(encode(key, *current));
    BLYAN_CHECK(write(key, current));
    if (undo) undo->emplace_back(key, original);
    return {};
}

}  // namespace

Status State::flush(LtHash &hash, UndoLog *undo)
{
    // Each table: hash out the row as it was, hash in the row as it is, write it (or delete it: only a
    // revert removes accounts, objects and slash records). Unchanged rows (read but not modified) cost
    // nothing.
    for (const auto &[key, e] : accounts_) {
        if (e.original == e.current) continue;
        if (e.original) hash.remove(encodeAccountRow(key, *e.original));
        if (e.current) {
            hash.add(encodeAccountRow(key, *e.current));
            BLYAN_CHECK(store::writeAccount(db_, key, *e.current));
        } else {
            BLYAN_CHECK(store::deleteAccount(db_, key));
        }
        if (undo) undo->accounts.emplace_back(key, e.original);
    }
    for (const auto &[key, e] : stakes_) {
        if (e.original == e.current) continue;
        if (e.original) hash.remove(encodeStakeRow(key, *e.original));
        if (e.current) hash.add(encodeStakeRow(key, *e.current));
        BLYAN_CHECK(store::writeStake(db_, key, e.current.value_or(0)));
        if (undo) undo->stakes.emplace_back(key, e.original);
    }
    for (const auto &[id, e] : objects_) {
        if (e.original == e.current) continue;
        if (e.original) {
            hash.remove(encodeObjectRow(id, *e.original));
            BLYAN_CHECK(store::deleteObject(db_, id));
        }
        if (e.current) {
            hash.add(encodeObjectRow(id, *e.current));
            BLYAN_CHECK(store::insertObject(db_, id, *e.current));
            if (undo) undo->addedObjects.push_back(id);
        }
    }
    for (const auto &[name, e] : heads_) {
        if (e.original == e.current) continue;
        if (e.original) hash.remove(encodeHeadRow(name, *e.original));
        if (e.current) {
            hash.add(encodeHeadRow(name, *e.current));
            BLYAN_CHECK(store::writeHead(db_, name, *e.current));
        } else {
            BLYAN_CHECK(store::deleteHead(db_, name));
        }
        if (undo) undo->heads.emplace_back(name, e.original);
    }
    if (consensus_ && consensus_->original != consensus_->current) {
        if (consensus_->original) hash.remove(encodeConsensusRow(*consensus_->original));
        if (consensus_->current) hash.add(encodeConsensusRow(*consensus_->current));
        BLYAN_CHECK(store::writeConsensus(db_, consensus_->current));
        if (undo) undo->consensus = consensus_->original;
    }
    for (const auto &[k, e] : validators_) {
        if (e.original == e.current) continue;
        if (e.original) hash.remove(encodeValidatorRow(k, *e.original));
        if (e.current) hash.add(encodeValidatorRow(k, *e.current));
        BLYAN_CHECK(store::writeValidator(db_, k, e.current.value_or(0)));
        if (undo) undo->validators.emplace_back(k, e.original);
    }
    for (const auto &[id, e] : slashes_) {
        if (e.original == e.current) continue;
        if (e.original) {
            hash.remove(encodeSlashRow(id, *e.original));
            BLYAN_CHECK(store::deleteSlash(db_, id));
        }
        if (e.current) {
            hash.add(encodeSlashRow(id, *e.current));
            BLYAN_CHECK(store::insertSlash(db_, id, *e.current));
            if (undo) undo->addedSlashes.push_back(id);
        }
    }
    UndoLog *const u = undo;  // governance rows (ledger/governance/types.h)
    for (const auto &[id, e] : proposals_)
        BLYAN_CHECK(flushTable(id, e.original, e.current, hash, encodeProposalRow,
                               [&](const crypto::Hash256 &k, const std::optional<ProposalRow> &v) { return store::writeProposal(db_, k, v); },
                               u ? &u->proposals : nullptr));
    for (const auto &[k, e] : votes_)
        BLYAN_CHECK(flushTable(k, e.original, e.current, hash, encodeVoteRow,
                               [&](const VoteKey &key, const std::optional<VoteRow> &v) { return store::writeVote(db_, key, v); },
                               u ? &u->votes : nullptr));
    for (const auto &[k, e] : checkpoints_)
        BLYAN_CHECK(flushTable(k, e.original, e.current, hash, encodeCheckpointRow,
                               [&](const CheckpointKey &key, const std::optional<Amount> &v) { return store::writeCheckpoint(db_, key, v); },
                               u ? &u->checkpoints : nullptr));
    for (const auto &[id, e] : params_)
        BLYAN_CHECK(flushTable(id, e.original, e.current, hash, encodeParamRow,
                               [&](std::uint8_t key, const std::optional<std::uint64_t> &v) { return store::writeParam(db_, key, v); },
                               u ? &u->params : nullptr));
    for (const auto &[id, e] : datasets_)
        BLYAN_CHECK(flushTable(id, e.original, e.current, hash, encodeDatasetRow,
                               [&](const ObjectId &key, const std::optional<DatasetApproval> &v) { return store::writeDataset(db_, key, v); },
                               u ? &u->datasets : nullptr));
    for (const auto &[k, e] : unbondings_)
        BLYAN_CHECK(flushTable(k, e.original, e.current, hash, encodeUnbondingRow,
                               [&](const UnbondingKey &key, const std::optional<Amount> &v) { return store::writeUnbonding(db_, key, v.value_or(0)); },
                               u ? &u->unbondings : nullptr));
    for (const auto &e : events_) BLYAN_CHECK(store::insertEvent(db_, e));
    if (supply_ && supply_->original != supply_->current) {
        if (supply_->original) hash.remove(encodeSupplyRow(*supply_->original));
        hash.add(encodeSupplyRow(*supply_->current));
        if (undo) undo->supply = supply_->original;
    }
    // The supply row also carries the hash itself, so it is written last and always.
    BLYAN_TRY(const Supply s, supply());
    return store::writeSupply(db_, s, hash);
}

}  // namespace blyan::ledger
