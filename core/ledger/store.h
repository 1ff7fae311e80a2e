#pragma once
// Row-level SQL for the state tables, shared by State (reads and flush) and the Ledger's queries.
// Nothing here touches the state hash: that is State::flush's job.

#include "ledger/state.h"

namespace blyan::ledger::store {

Expected<std::optional<Account>> readAccount(storage::Database &db, const PublicKey &key);
Expected<Amount> readStake(storage::Database &db, const PublicKey &key);
Expected<std::optional<StoredObject>> readObject(storage::Database &db, const ObjectId &id);
Expected<std::optional<ObjectId>> readHead(storage::Database &db, const std::string &name);
// Supply counters and the persisted state hash; nullopt before genesis.
Expected<std::optional<std::pair<Supply, LtHash>>> readSupply(storage::Database &db);

Status writeAccount(storage::Database &db, const PublicKey &key, const Account &a);
Status writeStake(storage::Database &db, const PublicKey &key, Amount amount);  // 0 deletes
Status insertObject(storage::Database &db, const ObjectId &id, const StoredObject &o);
Status writeHead(storage::Database &db, const std::string &name, const ObjectId &id);
Status writeSupply(storage::Database &db, const Supply &s, const LtHash &hash);

// Consensus rows (validator-set networks), and the deletions a block revert needs.
Expected<std::optional<ConsensusRow>> readConsensus(storage::Database &db);
Status writeConsensus(storage::Database &db, const std::optional<ConsensusRow> &c);  // nullopt deletes
Expected<Amount> readValidator(storage::Database &db, const ValidatorKey &k);
Status writeValidator(storage::Database &db, const ValidatorKey &k, Amount stake);  // 0 deletes
// Every validator of `epoch`'s set, by key.
Expected<std::vector<std::pair<PublicKey, Amount>>> readValidatorSet(storage::Database &db, std::uint64_t epoch);
// Every stake of at least `minimum`, by key.
Expected<std::vector<std::pair<PublicKey, Amount>>> readStakes(storage::Database &db, Amount minimum);
Expected<std::optional<SlashRecord>> readSlash(storage::Database &db, const crypto::Hash256 &evidence);
Status insertSlash(storage::Database &db, const crypto::Hash256 &evidence, const SlashRecord &r);
Status deleteSlash(storage::Database &db, const crypto::Hash256 &evidence);
// Unbonding rows (ledger/unbonding.cpp): one, every row of a key, every row due by an epoch.
Expected<Amount> readUnbonding(storage::Database &db, const UnbondingKey &k);
Status writeUnbonding(storage::Database &db, const UnbondingKey &k, Amount amount);  // 0 deletes
Expected<std::vector<UnbondingEntry>> readUnbondingsOf(storage::Database &db, const PublicKey &key);
Expected<std::vector<UnbondingEntry>> readUnbondingsDue(storage::Database &db, std::uint64_t epoch);
Status deleteAccount(storage::Database &db, const PublicKey &key);
Status deleteObject(storage::Database &db, const ObjectId &id);  // and its dependency rows
Status deleteHead(storage::Database &db, const std::string &name);

}  // namespace blyan::ledger::store
