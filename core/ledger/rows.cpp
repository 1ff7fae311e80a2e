#include "ledger/rows.h"

#include "util/codec.h"

namespace blyan::ledger {

Bytes encodeAccountRow(const PublicKey &key, const Account &a)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Account));
    w.raw(key);
    w.u64(a.balance);
    w.u64(a.nonce);
    return w.take();
}

Bytes encodeStakeRow(const PublicKey &key, Amount amount)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Stake));
    w.raw(key);
    w.u64(amount);
    return w.take();
}

Bytes encodeObjectRow(const ObjectId &id, const StoredObject &o)
{
    // The id is redundant with the record but cheap, and keeps every row keyed the same way.
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Object));
    w.raw(id);
    w.u64(o.publishedHeight);
    w.raw(o.publisher);
    chain::encodeObjectRecord(w, o.record);
    return w.take();
}

Bytes encodeHeadRow(const std::string &name, const ObjectId &id)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Head));
    w.string(name);
    w.raw(id);
    return w.take();
}

Bytes encodeSupplyRow(const Supply &s)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Supply));
    w.u64(s.genesis);
    w.u64(s.minted);
    w.u64(s.burned);
    w.u64(s.rewardPool);
    return w.take();
}

Bytes encodeConsensusRow(const ConsensusRow &c)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Consensus));
    w.u64(c.epoch);
    w.u64(c.previousEpoch);
    return w.take();
}

Bytes encodeValidatorRow(const ValidatorKey &k, Amount stake)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Validator));
    w.u64(k.epoch);
    w.raw(k.key);
    w.u64(stake);
    return w.take();
}

Bytes encodeSlashRow(const crypto::Hash256 &evidence, const SlashRecord &r)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Slash));
    w.raw(evidence);
    w.raw(r.voter);
    w.u64(r.height);
    w.u64(r.amount);
    return w.take();
}

Bytes encodeProposalRow(const crypto::Hash256 &id, const ProposalRow &p)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Proposal));
    w.raw(id);
    p.encode(w);
    return w.take();
}

Bytes encodeVoteRow(const VoteKey &k, const VoteRow &v)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::ProposalVote));
    w.raw(k.proposal);
    w.raw(k.voter);
    w.u8(static_cast<std::uint8_t>(v.choice));
    w.u64(v.weight);
    w.u64(v.height);
    return w.take();
}

Bytes encodeCheckpointRow(const CheckpointKey &k, Amount amount)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::StakeCheckpoint));
    w.raw(k.key);
    w.u64(k.height);
    w.u64(amount);
    return w.take();
}

Bytes encodeParamRow(std::uint8_t id, std::uint64_t value)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Param));
    w.u8(id);
    w.u64(value);
    return w.take();
}

Bytes encodeDatasetRow(const ObjectId &object, const DatasetApproval &a)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Dataset));
    w.raw(object);
    w.u8(a.tier);
    w.raw(a.proposal);
    w.u64(a.height);
    return w.take();
}

Bytes encodeUnbondingRow(const UnbondingKey &k, Amount amount)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(RowTag::Unbonding));
    w.raw(k.key);
    w.u64(k.releaseEpoch);
    w.u64(amount);
    return w.take();
}

}  // namespace blyan::ledger
