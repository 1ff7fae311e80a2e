#pragma once
// Row-level SQL for the governance tables (schema v3, stake checkpoints v4), shared by State (reads and flush), the block
// step (engine.h) and the queries the RPC reads (queries.h). Nothing here touches the state hash.

#include "ledger/governance/types.h"
#include "storage/database.h"

#include <vector>

namespace blyan::ledger::store {

using crypto::Hash256;
using crypto::PublicKey;

Expected<std::optional<ProposalRow>> readProposal(storage::Database &db, const Hash256 &id);
Status writeProposal(storage::Database &db, const Hash256 &id, const std::optional<ProposalRow> &p);  // nullopt deletes
Expected<std::uint64_t> countProposals(storage::Database &db);
// Voting proposals: (id, snapshot height).
Expected<std::vector<std::pair<Hash256, std::uint64_t>>> readOpenProposals(storage::Database &db);
// Voting proposals whose end height is at or below `height`, in creation order.
Expected<std::vector<Hash256>> readProposalsEndingBy(storage::Database &db, std::uint64_t height);

Expected<std::optional<VoteRow>> readVote(storage::Database &db, const VoteKey &k);
Status writeVote(storage::Database &db, const VoteKey &k, const std::optional<VoteRow> &v);

Expected<std::optional<chain::Amount>> readCheckpoint(storage::Database &db, const CheckpointKey &k);
Status writeCheckpoint(storage::Database &db, const CheckpointKey &k, const std::optional<chain::Amount> &amount);
// `key`'s stored checkpoint with the lowest height above `height`: (height, amount).
Expected<std::optional<std::pair<std::uint64_t, chain::Amount>>> readFirstCheckpointAbove(storage::Database &db,
                                                                                         const PublicKey &key,
                                                                                         std::uint64_t height);
// Every stored checkpoint at or below `height`, ordered by key and height.
Expected<std::vector<CheckpointKey>> readCheckpointsUpTo(storage::Database &db, std::uint64_t height);
// Every stored checkpoint, ordered by key and height (tests, checks).
Expected<std::vector<std::pair<CheckpointKey, chain::Amount>>> readCheckpoints(storage::Database &db);

Expected<std::optional<std::uint64_t>> readParam(storage::Database &db, std::uint8_t id);
Status writeParam(storage::Database &db, std::uint8_t id, const std::optional<std::uint64_t> &value);

Expected<std::optional<DatasetApproval>> readDataset(storage::Database &db, const Hash256 &object);
Status writeDataset(storage::Database &db, const Hash256 &object, const std::optional<DatasetApproval> &a);

Status insertEvent(storage::Database &db, const GovernanceEvent &e);

// Every stake added up (the quorum's base at a snapshot).
Expected<chain::Amount> sumStakes(storage::Database &db);

}  // namespace blyan::ledger::store
