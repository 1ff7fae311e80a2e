#pragma once
// Canonical encodings of the state rows that the state root commits to (docs/protocol.md, "State
// root"). One leading tag byte per table keeps rows of different tables from ever colliding.

#include "ledger/state.h"

namespace blyan::ledger {

enum class RowTag : std::uint8_t { Account = 1, Stake = 2, Object = 3, Head = 4, Supply = 5, Consensus = 6, Validator = 7, Slash = 8,
                             Proposal = 9, ProposalVote = 10, StakeCheckpoint = 11, Param = 12, Dataset = 13,
                             Unbonding = 14 };

Bytes encodeAccountRow(const PublicKey &key, const Account &a);
Bytes encodeStakeRow(const PublicKey &key, Amount amount);
Bytes encodeObjectRow(const ObjectId &id, const StoredObject &o);
Bytes encodeHeadRow(const std::string &name, const ObjectId &id);
Bytes encodeSupplyRow(const Supply &s);
Bytes encodeConsensusRow(const ConsensusRow &c);
Bytes encodeValidatorRow(const ValidatorKey &k, Amount stake);
Bytes encodeSlashRow(const crypto::Hash256 &evidence, const SlashRecord &r);
// Governance (ledger/governance/types.h).
Bytes encodeProposalRow(const crypto::Hash256 &id, const ProposalRow &p);
Bytes encodeVoteRow(const VoteKey &k, const VoteRow &v);
Bytes encodeCheckpointRow(const CheckpointKey &k, Amount amount);
Bytes encodeParamRow(std::uint8_t id, std::uint64_t value);
Bytes encodeDatasetRow(const ObjectId &object, const DatasetApproval &a);
Bytes encodeUnbondingRow(const UnbondingKey &k, Amount amount);

}  // namespace blyan::ledger
