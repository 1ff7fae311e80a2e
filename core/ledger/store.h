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

}  // namespace blyan::ledger::store
