#include "ledger/schema.h"

namespace blyan::ledger {

namespace {

// Foreign keys into objects are deferred: one block may publish an object and its dependant, and
// State::flush writes objects in id order, not dependency order.
// txs is keyed by (height, index) so a block's rows append at the end of the table; only the small
// unique index on id takes random inserts (keyed by id, the table cost ~10 us more per transaction).
// v1: the state (accounts, stakes, objects, heads, supply; what the state root commits to) and the
// history (blocks, txs; committed to by block ids instead).
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE accounts (
  pubkey BLOB PRIMARY KEY NOT NULL CHECK (length(pubkey) = 32),
  balance INTEGER NOT NULL CHECK (balance >= 0),
  nonce INTEGER NOT NULL CHECK (nonce >= 0)
) STRICT, WITHOUT ROWID;
CREATE TABLE stakes (
  pubkey BLOB PRIMARY KEY NOT NULL CHECK (length(pubkey) = 32),
  amount INTEGER NOT NULL CHECK (amount > 0)
) STRICT, WITHOUT ROWID;
CREATE TABLE objects (
  id BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 32),
  chain TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  payload_hash BLOB NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  merkle_root BLOB NOT NULL,
  published_height INTEGER NOT NULL CHECK (published_height >= 0),
  publisher BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX objects_by_name ON objects (name, published_height);
CREATE TABLE object_deps (
  object BLOB NOT NULL REFERENCES objects (id) DEFERRABLE INITIALLY DEFERRED,
  depends_on BLOB NOT NULL REFERENCES objects (id) DEFERRABLE INITIALLY DEFERRED,
  PRIMARY KEY (object, depends_on)
) STRICT, WITHOUT ROWID;
CREATE INDEX object_deps_by_target ON object_deps (depends_on);
CREATE TABLE heads (
  name TEXT PRIMARY KEY NOT NULL,
  object BLOB NOT NULL REFERENCES objects (id) DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;
CREATE TABLE blocks (
  height INTEGER PRIMARY KEY NOT NULL CHECK (height >= 0),
  id BLOB NOT NULL UNIQUE,
  header BLOB NOT NULL,
  tx_count INTEGER NOT NULL,
  state_root BLOB NOT NULL
) STRICT;
CREATE TABLE txs (
  height INTEGER NOT NULL REFERENCES blocks (height),
  tx_index INTEGER NOT NULL,
  id BLOB NOT NULL UNIQUE,
  raw BLOB NOT NULL,
  PRIMARY KEY (height, tx_index)
) STRICT, WITHOUT ROWID;
CREATE TABLE supply (
  id INTEGER PRIMARY KEY CHECK (id = 0),
  genesis INTEGER NOT NULL CHECK (genesis >= 0),
  minted INTEGER NOT NULL CHECK (minted >= 0),
  burned INTEGER NOT NULL CHECK (burned >= 0),
  reward_pool INTEGER NOT NULL CHECK (reward_pool >= 0),
  state_hash BLOB NOT NULL
) STRICT;
)sql";

// v2: consensus (issue 8). The validator sets of the active and the previous epoch, the epoch row, and
// applied slashing evidence are state (in the state root); undo holds, per non-final block, the rows as
// they were before it, so that a fork switch can revert it (dropped once the block is final). A devnet
// (single proposer) never writes validators or consensus rows, so its state root is unchanged.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE consensus (
  id INTEGER PRIMARY KEY CHECK (id = 0),
  epoch INTEGER NOT NULL CHECK (epoch >= 0),
  previous_epoch INTEGER NOT NULL CHECK (previous_epoch >= 0 AND previous_epoch <= epoch)
) STRICT;
CREATE TABLE validators (
  epoch INTEGER NOT NULL CHECK (epoch >= 0),
  pubkey BLOB NOT NULL CHECK (length(pubkey) = 32),
  stake INTEGER NOT NULL CHECK (stake > 0),
  PRIMARY KEY (epoch, pubkey)
) STRICT, WITHOUT ROWID;
CREATE TABLE slashes (
  evidence BLOB PRIMARY KEY NOT NULL CHECK (length(evidence) = 32),
  voter BLOB NOT NULL CHECK (length(voter) = 32),
  height INTEGER NOT NULL CHECK (height >= 0),
  amount INTEGER NOT NULL CHECK (amount >= 0)
) STRICT, WITHOUT ROWID;
CREATE TABLE undo (
  height INTEGER PRIMARY KEY NOT NULL CHECK (height > 0),
  data BLOB NOT NULL
) STRICT;
)sql";

}  // namespace

std::vector<storage::Migration> ledgerMigrations(int firstVersion)
{
    return {storage::Migration{firstVersion, kSchemaV1}, storage::Migration{firstVersion + 1, kSchemaV2}};
}

}  // namespace blyan::ledger
