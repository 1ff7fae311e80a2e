// The undo log's encoding (stored per block in the undo table until the block is final). Local to this
// node, never on the wire, but decoded strictly all the same: a damaged undo row must stop a revert,
// not corrupt the state.
#include "chain/object.h"
#include "ledger/state.h"
#include "util/codec.h"

namespace blyan::ledger {

namespace {

template <typename T, typename Fn>
void writeOptional(Writer &w, const std::optional<T> &v, Fn fn)
{
    w.boolean(v.has_value());
    if (v) fn(*v);
}

template <typename T, typename Fn>
Expected<std::optional<T>> readOptional(Reader &r, Fn fn)
{
    BLYAN_TRY(const bool has, r.boolean());
    if (!has) return std::optional<T>();
    BLYAN_TRY(T v, fn());
    return std::optional<T>(std::move(v));
}

// Every entry takes at least one byte, so a count above the bytes left is damage; a fixed cap would not
// do: a block that changes many rows was applied, so its undo log must decode or the block could never be
// reverted.
Expected<std::size_t> count(Reader &r) { return r.varint(r.remaining(), "undo entry count"); }

}  // namespace

Bytes encodeUndo(const UndoLog &u)
{
    Writer w;
    w.varint(u.accounts.size());
    for (const auto &[k, a] : u.accounts) {
        w.raw(k);
        writeOptional(w, a, [&](const Account &v) {
            w.varint(v.balance);
            w.varint(v.nonce);
        });
    }
    w.varint(u.stakes.size());
    for (const auto &[k, a] : u.stakes) {
        w.raw(k);
        writeOptional(w, a, [&](Amount v) { w.varint(v); });
    }
    w.varint(u.addedObjects.size());
    for (const auto &id : u.addedObjects) w.raw(id);
    w.varint(u.heads.size());
    for (const auto &[name, id] : u.heads) {
        w.string(name);
        writeOptional(w, id, [&](const ObjectId &v) { w.raw(v); });
    }
    writeOptional(w, u.supply, [&](const Supply &s) {
        w.varint(s.genesis);
        w.varint(s.minted);
        w.varint(s.burned);
        w.varint(s.rewardPool);
    });
    writeOptional(w, u.consensus, [&](const std::optional<ConsensusRow> &c) {
        writeOptional(w, c, [&](const ConsensusRow &v) {
            w.varint(v.epoch);
            w.varint(v.previousEpoch);
        });
    });
    w.varint(u.validators.size());
    for (const auto &[k, a] : u.validators) {
        w.varint(k.epoch);
        w.raw(k.key);
        writeOptional(w, a, [&](Amount v) { w.varint(v); });
    }
    w.varint(u.addedSlashes.size());
    for (const auto &id : u.addedSlashes) w.raw(id);
    // Governance rows (ledger/governance/types.h).
    w.varint(u.proposals.size());
    for (const auto &[id, p] : u.proposals) {
        w.raw(id);
        writeOptional(w, p, [&](const ProposalRow &v) { v.encode(w); });
    }
    w.varint(u.votes.size());
    for (const auto &[k, v] : u.votes) {
        w.raw(k.proposal);
        w.raw(k.voter);
        writeOptional(w, v, [&](const VoteRow &x) {
            w.u8(static_cast<std::uint8_t>(x.choice));
            w.varint(x.weight);
            w.varint(x.height);
        });
    }
    w.varint(u.checkpoints.size());
    for (const auto &[k, a] : u.checkpoints) {
        w.raw(k.key);
        w.varint(k.height);
        writeOptional(w, a, [&](Amount v) { w.varint(v); });
    }
    w.varint(u.params.size());
    for (const auto &[id, v] : u.params) {
        w.u8(id);
        writeOptional(w, v, [&](std::uint64_t x) { w.varint(x); });
    }
    w.varint(u.datasets.size());
    for (const auto &[id, a] : u.datasets) {
        w.raw(id);
        writeOptional(w, a, [&](const DatasetApproval &x) {
            w.u8(x.tier);
            w.raw(x.proposal);
            w.varint(x.height);
        });
    }
    // Schema v5 appended this section (the migration gave older undo rows an empty one).
    w.varint(u.unbondings.size());
    for (const auto &[k, a] : u.unbondings) {
        w.raw(k.key);
        w.varint(k.releaseEpoch);
        writeOptional(w, a, [&](Amount v) { w.varint(v); });
    }
    return w.take();
}

Expected<UndoLog> decodeUndo(ByteView bytes)
{
    Reader r(bytes);
    UndoLog u;
    BLYAN_TRY(const std::size_t accounts, count(r));
    for (std::size_t i = 0; i < accounts; ++i) {
        BLYAN_TRY(const PublicKey k, r.fixedArray<32>("undo account key"));
        BLYAN_TRY(auto a, readOptional<Account>(r, [&]() -> Expected<Account> {
            Account v;
            BLYAN_TRY(v.balance, r.varint());
            BLYAN_TRY(v.nonce, r.varint());
            return v;
        }));
        u.accounts.emplace_back(k, a);
    }
    BLYAN_TRY(const std::size_t stakes, count(r));
    for (std::size_t i = 0; i < stakes; ++i) {
        BLYAN_TRY(const PublicKey k, r.fixedArray<32>("undo stake key"));
        BLYAN_TRY(auto a, readOptional<Amount>(r, [&]() -> Expected<Amount> { return r.varint(); }));
        u.stakes.emplace_back(k, a);
    }
    BLYAN_TRY(const std::size_t objects, count(r));
    for (std::size_t i = 0; i < objects; ++i) {
        BLYAN_TRY(const ObjectId id, r.fixedArray<32>("undo object id"));
        u.addedObjects.push_back(id);
    }
    BLYAN_TRY(const std::size_t heads, count(r));
    for (std::size_t i = 0; i < heads; ++i) {
        BLYAN_TRY(std::string name, r.string(chain::kMaxObjectNameLength, "undo head name"));
        BLYAN_TRY(auto id, readOptional<ObjectId>(r, [&]() -> Expected<ObjectId> { return r.fixedArray<32>("undo head"); }));
        u.heads.emplace_back(std::move(name), id);
    }
    BLYAN_TRY(u.supply, readOptional<Supply>(r, [&]() -> Expected<Supply> {
        Supply s;
        BLYAN_TRY(s.genesis, r.varint());
        BLYAN_TRY(s.minted, r.varint());
        BLYAN_TRY(s.burned, r.varint());
        BLYAN_TRY(s.rewardPool, r.varint());
        return s;
    }));
    BLYAN_TRY(u.consensus, readOptional<std::optional<ConsensusRow>>(r, [&]() -> Expected<std::optional<ConsensusRow>> {
        return readOptional<ConsensusRow>(r, [&]() -> Expected<ConsensusRow> {
            ConsensusRow c;
            BLYAN_TRY(c.epoch, r.varint());
            BLYAN_TRY(c.previousEpoch, r.varint());
            return c;
        });
    }));
    BLYAN_TRY(const std::size_t validators, count(r));
    for (std::size_t i = 0; i < validators; ++i) {
        ValidatorKey k;
        BLYAN_TRY(k.epoch, r.varint());
        BLYAN_TRY(k.key, r.fixedArray<32>("undo validator key"));
        BLYAN_TRY(auto a, readOptional<Amount>(r, [&]() -> Expected<Amount> { return r.varint(); }));
        u.validators.emplace_back(k, a);
    }
    BLYAN_TRY(const std::size_t slashes, count(r));
    for (std::size_t i = 0; i < slashes; ++i) {
        BLYAN_TRY(const crypto::Hash256 id, r.fixedArray<32>("undo slash evidence"));
        u.addedSlashes.push_back(id);
    }
    BLYAN_TRY(const std::size_t proposals, count(r));
    for (std::size_t i = 0; i < proposals; ++i) {
        BLYAN_TRY(const crypto::Hash256 id, r.fixedArray<32>("undo proposal id"));
        BLYAN_TRY(auto p, readOptional<ProposalRow>(r, [&]() { return ProposalRow::decode(r); }));
        u.proposals.emplace_back(id, std::move(p));
    }
    BLYAN_TRY(const std::size_t votes, count(r));
    for (std::size_t i = 0; i < votes; ++i) {
        VoteKey k;
        BLYAN_TRY(k.proposal, r.fixedArray<32>("undo vote proposal"));
        BLYAN_TRY(k.voter, r.fixedArray<32>("undo voter"));
        BLYAN_TRY(auto v, readOptional<VoteRow>(r, [&]() -> Expected<VoteRow> {
            VoteRow x;
            BLYAN_TRY(const std::uint8_t choice, r.u8());
            if (choice < 1 || choice > 4) return makeError(ErrorCode::Malformed, "undo vote choice " + std::to_string(choice));
            x.choice = static_cast<chain::VoteChoice>(choice);
            BLYAN_TRY(x.weight, r.varint());
            BLYAN_TRY(x.height, r.varint());
            return x;
        }));
        u.votes.emplace_back(k, v);
    }
    BLYAN_TRY(const std::size_t checkpoints, count(r));
    for (std::size_t i = 0; i < checkpoints; ++i) {
        CheckpointKey k;
        BLYAN_TRY(k.key, r.fixedArray<32>("undo checkpoint key"));
        BLYAN_TRY(k.height, r.varint());
        BLYAN_TRY(auto a, readOptional<Amount>(r, [&]() -> Expected<Amount> { return r.varint(); }));
        u.checkpoints.emplace_back(k, a);
    }
    BLYAN_TRY(const std::size_t params, count(r));
    for (std::size_t i = 0; i < params; ++i) {
        BLYAN_TRY(const std::uint8_t id, r.u8());
        BLYAN_TRY(auto v, readOptional<std::uint64_t>(r, [&]() -> Expected<std::uint64_t> { return r.varint(); }));
        u.params.emplace_back(id, v);
    }
    BLYAN_TRY(const std::size_t datasets, count(r));
    for (std::size_t i = 0; i < datasets; ++i) {
        BLYAN_TRY(const ObjectId id, r.fixedArray<32>("undo dataset object"));
        BLYAN_TRY(auto a, readOptional<DatasetApproval>(r, [&]() -> Expected<DatasetApproval> {
            DatasetApproval x;
            BLYAN_TRY(x.tier, r.u8());
            BLYAN_TRY(x.proposal, r.fixedArray<32>("undo dataset proposal"));
            BLYAN_TRY(x.height, r.varint());
            return x;
        }));
        u.datasets.emplace_back(id, a);
    }
    BLYAN_TRY(const std::size_t unbondings, count(r));
    for (std::size_t i = 0; i < unbondings; ++i) {
        UnbondingKey k;
        BLYAN_TRY(k.key, r.fixedArray<32>("undo unbonding key"));
        BLYAN_TRY(k.releaseEpoch, r.varint());
        BLYAN_TRY(auto a, readOptional<Amount>(r, [&]() -> Expected<Amount> { return r.varint(); }));
        u.unbondings.emplace_back(k, a);
    }
    BLYAN_CHECK(r.finish());
    return u;
}

}  // namespace blyan::ledger
