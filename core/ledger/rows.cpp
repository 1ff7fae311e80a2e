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

}  // namespace blyan::ledger
