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

// v3: governance (issue 9). Proposals with their running tally, votes, stake snapshots (a stake as it
// stood at an open proposal's snapshot height, written the first time it changes after it; replaced by
// v4's checkpoints), parameters
// changed by governance (absent: the config default) and approved datasets are state; governance_events
// is history like txs (removed with its block on a revert). A chain without proposals has none of these
// rows, so its state root is unchanged.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE proposals (
  id BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 32),
  number INTEGER NOT NULL UNIQUE CHECK (number > 0),
  proposer BLOB NOT NULL CHECK (length(proposer) = 32),
  action BLOB NOT NULL,
  deposit INTEGER NOT NULL CHECK (deposit >= 0),
  created_height INTEGER NOT NULL CHECK (created_height > 0),
  snapshot_height INTEGER NOT NULL CHECK (snapshot_height >= 0),
  end_height INTEGER NOT NULL CHECK (end_height > created_height),
  total_stake INTEGER NOT NULL CHECK (total_stake >= 0),
  yes_stake INTEGER NOT NULL CHECK (yes_stake >= 0),
  no_stake INTEGER NOT NULL CHECK (no_stake >= 0),
  abstain_stake INTEGER NOT NULL CHECK (abstain_stake >= 0),
  veto_stake INTEGER NOT NULL CHECK (veto_stake >= 0),
  status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 5),
  closed_height INTEGER NOT NULL CHECK (closed_height >= 0)
) STRICT, WITHOUT ROWID;
CREATE INDEX proposals_by_end ON proposals (status, end_height);
CREATE TABLE proposal_votes (
  proposal BLOB NOT NULL CHECK (length(proposal) = 32),
  voter BLOB NOT NULL CHECK (length(voter) = 32),
  choice INTEGER NOT NULL CHECK (choice BETWEEN 1 AND 4),
  weight INTEGER NOT NULL CHECK (weight > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  PRIMARY KEY (proposal, voter)
) STRICT, WITHOUT ROWID;
CREATE INDEX proposal_votes_by_voter ON proposal_votes (voter);
CREATE TABLE stake_snapshots (
  height INTEGER NOT NULL CHECK (height >= 0),
  pubkey BLOB NOT NULL CHECK (length(pubkey) = 32),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (height, pubkey)
) STRICT, WITHOUT ROWID;
CREATE TABLE params (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id BETWEEN 1 AND 255),
  value INTEGER NOT NULL CHECK (value >= 0)
) STRICT;
CREATE TABLE dataset_approvals (
  object BLOB PRIMARY KEY NOT NULL CHECK (length(object) = 32),
  tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 255),
  proposal BLOB NOT NULL CHECK (length(proposal) = 32),
  height INTEGER NOT NULL CHECK (height > 0)
) STRICT, WITHOUT ROWID;
CREATE TABLE governance_events (
  seq INTEGER PRIMARY KEY,
  proposal BLOB NOT NULL CHECK (length(proposal) = 32),
  height INTEGER NOT NULL CHECK (height > 0),
  event INTEGER NOT NULL CHECK (event BETWEEN 1 AND 3),
  actor BLOB NOT NULL CHECK (length(actor) = 32),
  choice INTEGER NOT NULL CHECK (choice >= 0),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  txid BLOB NOT NULL CHECK (length(txid) = 32)
) STRICT;
CREATE INDEX governance_events_by_proposal ON governance_events (proposal, seq);
CREATE INDEX governance_events_by_height ON governance_events (height);
)sql";

// v4: per-key stake checkpoints replace v3's stake snapshots, which a block wrote once per changed stake
// per open snapshot height (millions of rows in one block with many proposals open). A checkpoint
// (pubkey, height) is the stake before that block, written at most once per changed stake and block
// (docs/protocol.md "Governance"). The old rows are in the state root under the old rules, so a data dir
// holding any (a proposal was open when this build arrived) must resync instead: the guard's CHECK
// fails the migration, which leaves the database at v3. An empty stake_snapshots table changes nothing.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE v4_guard (
  n INTEGER NOT NULL,
  CONSTRAINT stake_snapshots_of_an_open_proposal_resync_this_data_dir CHECK (n = 0)
) STRICT;
INSERT INTO v4_guard SELECT count(*) FROM stake_snapshots;
DROP TABLE v4_guard;
DROP TABLE stake_snapshots;
CREATE TABLE stake_checkpoints (
  pubkey BLOB NOT NULL CHECK (length(pubkey) = 32),
  height INTEGER NOT NULL CHECK (height > 0),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (pubkey, height)
) STRICT, WITHOUT ROWID;
CREATE INDEX stake_checkpoints_by_height ON stake_checkpoints (height);
)sql";

// v5: unbonding (docs/protocol.md "Unbonding"). On a validator-set network an unstake no longer pays out at
// once: the amount waits, still slashable, until its release epoch. Undo logs gained a trailing section
// for these rows; the undo rows already stored get it empty (a varint 0).
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE unbonding (
  pubkey BLOB NOT NULL CHECK (length(pubkey) = 32),
  release_epoch INTEGER NOT NULL CHECK (release_epoch > 0),
  amount INTEGER NOT NULL CHECK (amount > 0),
  PRIMARY KEY (pubkey, release_epoch)
) STRICT, WITHOUT ROWID;
CREATE INDEX unbonding_by_release ON unbonding (release_epoch);
UPDATE undo SET data = CAST(data || X'00' AS BLOB);
)sql";

}  // namespace

std::vector<storage::Migration> ledgerMigrations(int firstVersion)
{
    return {storage::Migration{firstVersion, kSchemaV1}, storage::Migration{firstVersion + 1, kSchemaV2},
            storage::Migration{firstVersion + 2, kSchemaV3}, storage::Migration{firstVersion + 3, kSchemaV4},
            storage::Migration{firstVersion + 4, kSchemaV5}};
}

}  // namespace blyan::ledger
