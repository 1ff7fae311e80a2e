#include "ledger/state.h"

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

Status State::flush(LtHash &hash)
{
    // Each table: hash out the row as it was, hash in the row as it is, write it. Unchanged rows
    // (read but not modified) cost nothing.
    for (const auto &[key, e] : accounts_) {
        if (e.original == e.current) continue;
        if (e.original) hash.remove(encodeAccountRow(key, *e.original));
        hash.add(encodeAccountRow(key, *e.current));  // accounts are never deleted (their nonce lives on)
        BLYAN_CHECK(store::writeAccount(db_, key, *e.current));
    }
    for (const auto &[key, e] : stakes_) {
        if (e.original == e.current) continue;
        if (e.original) hash.remove(encodeStakeRow(key, *e.original));
        if (e.current) hash.add(encodeStakeRow(key, *e.current));
        BLYAN_CHECK(store::writeStake(db_, key, e.current.value_or(0)));
    }
    for (const auto &[id, e] : objects_) {
        if (e.original == e.current) continue;
        hash.add(encodeObjectRow(id, *e.current));  // only ever added
        BLYAN_CHECK(store::insertObject(db_, id, *e.current));
    }
    for (const auto &[name, e] : heads_) {
        if (e.original == e.current) continue;
        if (e.original) hash.remove(encodeHeadRow(name, *e.original));
        hash.add(encodeHeadRow(name, *e.current));
        BLYAN_CHECK(store::writeHead(db_, name, *e.current));
    }
    if (supply_ && supply_->original != supply_->current) {
        if (supply_->original) hash.remove(encodeSupplyRow(*supply_->original));
        hash.add(encodeSupplyRow(*supply_->current));
    }
    // The supply row also carries the hash itself, so it is written last and always.
    BLYAN_TRY(const Supply s, supply());
    return store::writeSupply(db_, s, hash);
}

}  // namespace blyan::ledger
