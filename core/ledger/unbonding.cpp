// Unbonding rows: their SQL (store::), their overlay in State (the same rules as the other tables; flush
// and restore in state.cpp write them back and undo them) and the release at an epoch boundary.
#include "ledger/unbonding.h"

#include "ledger/sql_int.h"
#include "ledger/store.h"

namespace blyan::ledger {

namespace store {

namespace {

Expected<std::vector<UnbondingEntry>> readEntries(storage::Statement &st)
{
    std::vector<UnbondingEntry> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        UnbondingKey k;
        BLYAN_TRY(k.key, st.columnHash(0));
        BLYAN_TRY(k.releaseEpoch, fromSqlInt(st.columnInt64(1), "unbonding release epoch"));
        BLYAN_TRY(const Amount amount, fromSqlInt(st.columnInt64(2), "unbonding amount"));
        out.emplace_back(k, amount);
    }
    return out;
}

}  // namespace

Expected<Amount> readUnbonding(storage::Database &db, const UnbondingKey &k)
{
    BLYAN_TRY(const auto epoch, toSqlInt(k.releaseEpoch, "release epoch"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT amount FROM unbonding WHERE pubkey = ?1 AND release_epoch = ?2"));
    BLYAN_CHECK(st.bindBlob(1, k.key));
    BLYAN_CHECK(st.bindInt64(2, epoch));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return Amount(0);
    return fromSqlInt(st.columnInt64(0), "unbonding amount");
}

Status writeUnbonding(storage::Database &db, const UnbondingKey &k, Amount amount)
{
    BLYAN_TRY(const auto epoch, toSqlInt(k.releaseEpoch, "release epoch"));
    if (amount == 0) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM unbonding WHERE pubkey = ?1 AND release_epoch = ?2"));
        BLYAN_CHECK(st.bindBlob(1, k.key));
        BLYAN_CHECK(st.bindInt64(2, epoch));
        return st.run();
    }
    BLYAN_TRY(const auto value, toSqlInt(amount, "unbonding amount"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO unbonding (pubkey, release_epoch, amount) VALUES (?1, ?2, ?3) "
                                        "ON CONFLICT (pubkey, release_epoch) DO UPDATE SET amount = ?3"));
    BLYAN_CHECK(st.bindBlob(1, k.key));
    BLYAN_CHECK(st.bindInt64(2, epoch));
    BLYAN_CHECK(st.bindInt64(3, value));
    return st.run();
}

Expected<std::vector<UnbondingEntry>> readUnbondingsOf(storage::Database &db, const PublicKey &key)
{
    BLYAN_TRY(auto st, db.prepareCached(
                           "SELECT pubkey, release_epoch, amount FROM unbonding WHERE pubkey = ?1 ORDER BY release_epoch"));
    BLYAN_CHECK(st.bindBlob(1, key));
    return readEntries(st);
}

Expected<std::vector<UnbondingEntry>> readUnbondingsDue(storage::Database &db, std::uint64_t epoch)
{
    BLYAN_TRY(const auto e, toSqlInt(epoch, "epoch"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT pubkey, release_epoch, amount FROM unbonding WHERE release_epoch <= ?1 "
                                        "ORDER BY pubkey, release_epoch"));
    BLYAN_CHECK(st.bindInt64(1, e));
    return readEntries(st);
}

}  // namespace store

Expected<Amount> State::unbonding(const UnbondingKey &k)
{
    if (auto it = unbondings_.find(k); it != unbondings_.end()) return it->second.current.value_or(0);
    BLYAN_TRY(const Amount stored, store::readUnbonding(db_, k));
    const std::optional<Amount> row = stored ? std::optional<Amount>(stored) : std::nullopt;
    unbondings_.emplace(k, Entry<Amount>{row, row});
    return stored;
}

Status State::setUnbonding(const UnbondingKey &k, Amount amount)
{
    BLYAN_CHECK(unbonding(k));
    unbondings_[k].current = amount ? std::optional<Amount>(amount) : std::nullopt;
    return {};
}

namespace {

// The stored rows that `keep` selects, overlaid with this State's rows (`changed`: key -> Entry) that it
// selects, in key order.
template <typename Changed, typename Keep>
std::vector<UnbondingEntry> overlay(const std::vector<UnbondingEntry> &stored, const Changed &changed, Keep keep)
{
    std::map<UnbondingKey, Amount> rows(stored.begin(), stored.end());
    for (const auto &[k, e] : changed) {
        if (!keep(k)) continue;
        if (e.current) rows[k] = *e.current;
        else rows.erase(k);
    }
    return {rows.begin(), rows.end()};
}

}  // namespace

Expected<std::vector<UnbondingEntry>> State::unbondingsOf(const PublicKey &key)
{
    BLYAN_TRY(const auto stored, store::readUnbondingsOf(db_, key));
    return overlay(stored, unbondings_, [&](const UnbondingKey &k) { return k.key == key; });
}

Expected<std::vector<UnbondingEntry>> State::unbondingsDue(std::uint64_t epoch)
{
    BLYAN_TRY(const auto stored, store::readUnbondingsDue(db_, epoch));
    return overlay(stored, unbondings_, [&](const UnbondingKey &k) { return k.releaseEpoch <= epoch; });
}

std::uint64_t unbondingReleaseEpoch(std::uint64_t epoch, std::uint64_t unbondingEpochs)
{
    return epoch + unbondingEpochs;
}

Status releaseUnbonded(State &state, std::uint64_t epoch)
{
    BLYAN_TRY(const auto due, state.unbondingsDue(epoch));
    for (const auto &[k, amount] : due) {
        BLYAN_TRY(Account a, state.account(k.key));
        BLYAN_TRY(a.balance, chain::checkedAdd(a.balance, amount, "balance"));
        BLYAN_CHECK(state.setAccount(k.key, a));
        BLYAN_CHECK(state.setUnbonding(k, 0));
    }
    return {};
}

}  // namespace blyan::ledger
