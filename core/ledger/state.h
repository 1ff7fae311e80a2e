#pragma once
// The ledger state as seen while applying or checking transactions: reads come from SQLite, writes
// stay in an in-memory overlay until flush(). That gives three things at once:
//   - checkTransactionAgainstState runs the real handlers and simply never flushes (no writes);
//   - an account touched by 100 transfers in a block is written, and re-hashed, once;
//   - the state hash is updated from each changed row's value before and after the block, i.e.
//     O(changed rows) per block.
// Row encodings (what the state root commits to) are in rows.h and docs/protocol.md.

#include "chain/object.h"
#include "ledger/account.h"
#include "chain/transaction.h"
#include "ledger/lthash.h"
#include "storage/database.h"

#include <map>
#include <optional>
#include <string>

namespace blyan::ledger {

using chain::Amount;
using chain::ObjectId;
using chain::PublicKey;

struct StoredObject {
    chain::ObjectRecord record;
    std::uint64_t publishedHeight = 0;
    PublicKey publisher{};
    bool operator==(const StoredObject &) const = default;
};

struct Supply {
    Amount genesis = 0;
    Amount minted = 0;
    Amount burned = 0;
    Amount rewardPool = 0;
    bool operator==(const Supply &) const = default;
};

class State {
public:
    explicit State(storage::Database &db) : db_(db) {}

    // A missing account reads as {0, 0}; a missing stake as 0. Setters load the stored row first if it
    // was not read yet, because flush must hash out exactly the row that was there before.
    Expected<Account> account(const PublicKey &key);
    Status setAccount(const PublicKey &key, const Account &a);
    Expected<Amount> stake(const PublicKey &key);
    Status setStake(const PublicKey &key, Amount amount);  // 0 deletes the row
    Expected<std::optional<StoredObject>> object(const ObjectId &id);
    Status addObject(const ObjectId &id, StoredObject object);  // AlreadyExists when stored
    Expected<std::optional<ObjectId>> head(const std::string &name);
    Status setHead(const std::string &name, const ObjectId &id);
    Expected<Supply> supply();  // NotFound before genesis
    Status setSupply(const Supply &s);

    // Writes every changed row and moves `hash` from the old rows to the new ones. Call inside the
    // block's SQL transaction; the State must not be used afterwards.
    Status flush(LtHash &hash);

private:
    template <typename V>
    struct Entry {
        std::optional<V> original;  // as stored before this State touched it
        std::optional<V> current;
    };

    storage::Database &db_;
    std::map<PublicKey, Entry<Account>> accounts_;
    std::map<PublicKey, Entry<Amount>> stakes_;
    std::map<ObjectId, Entry<StoredObject>> objects_;
    std::map<std::string, Entry<ObjectId>> heads_;
    std::optional<Entry<Supply>> supply_;
};

}  // namespace blyan::ledger
