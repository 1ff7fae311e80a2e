// Read-only queries over the committed state and history, and the integrity checks.
#include "ledger/governance/store.h"
#include "ledger/ledger.h"
#include "ledger/rows.h"
#include "ledger/sql_int.h"
#include "ledger/store.h"

namespace blyan::ledger {

namespace {

__extension__ typedef unsigned __int128 u128;

Expected<StoredBlock> blockFromRow(const storage::Statement &st)
{
    StoredBlock b;
    BLYAN_TRY(b.header, chain::decodeBlockHeader(st.columnBlobView(0)));
    BLYAN_TRY(b.id, st.columnHash(1));
    BLYAN_TRY(const auto count, fromSqlInt(st.columnInt64(2), "block tx count"));
    b.transactions = static_cast<std::size_t>(count);
    return b;
}

// Runs `sql` and calls `row` for each result row.
template <typename F>
Status forEachRow(storage::Database &db, std::string_view sql, F &&row)
{
    BLYAN_TRY(auto st, db.prepare(sql));
    for (;;) {
        BLYAN_TRY(const bool more, st.step());
        if (!more) return {};
        BLYAN_CHECK(row(st));
    }
}

}  // namespace

Expected<Amount> Ledger::balance(const PublicKey &key)
{
    BLYAN_TRY(const auto a, store::readAccount(*db_, key));
    return a ? a->balance : Amount(0);
}

Expected<std::uint64_t> Ledger::nonce(const PublicKey &key)
{
    BLYAN_TRY(const auto a, store::readAccount(*db_, key));
    return a ? a->nonce : std::uint64_t(0);
}

Expected<Amount> Ledger::stake(const PublicKey &key)
{
    return store::readStake(*db_, key);
}

Expected<std::vector<UnbondingEntry>> Ledger::unbonding(const PublicKey &key)
{
    return store::readUnbondingsOf(*db_, key);
}

Expected<SupplyInfo> Ledger::supply()
{
    BLYAN_TRY(const auto row, store::readSupply(*db_));
    if (!row) return makeError(ErrorCode::NotFound, "the ledger has no genesis block yet");
    const Supply &s = row->first;
    // Bounded by the cap and kept by the supply identity, so this cannot underflow unless the
    // database is corrupt; checked anyway.
    BLYAN_TRY(const Amount issued, chain::checkedAdd(s.genesis, s.minted, "issued supply"));
    BLYAN_TRY(const Amount live, chain::checkedSub(issued, s.burned, "supply after burns"));
    BLYAN_TRY(const Amount circulating, chain::checkedSub(live, s.rewardPool, "circulating supply"));
    return SupplyInfo{s.genesis, s.minted, s.burned, s.rewardPool, circulating};
}

Expected<std::optional<StoredObject>> Ledger::object(const chain::ObjectId &id)
{
    return store::readObject(*db_, id);
}

Expected<std::optional<chain::ObjectId>> Ledger::head(const std::string &name)
{
    return store::readHead(*db_, name);
}

Expected<std::optional<StoredObject>> Ledger::objectByName(const std::string &name)
{
    BLYAN_TRY(const auto id, store::readHead(*db_, name));
    if (!id) return std::optional<StoredObject>();
    return store::readObject(*db_, *id);
}

Expected<std::optional<StoredBlock>> Ledger::blockByHeight(std::uint64_t height)
{
    BLYAN_TRY(const auto h, toSqlInt(height, "height"));
    BLYAN_TRY(auto st, db_->prepareCached("SELECT header, id, tx_count FROM blocks WHERE height = ?1"));
    BLYAN_CHECK(st.bindInt64(1, h));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<StoredBlock>();
    BLYAN_TRY(auto b, blockFromRow(st));
    return std::optional<StoredBlock>(std::move(b));
}

Expected<std::optional<StoredBlock>> Ledger::blockById(const BlockId &id)
{
    BLYAN_TRY(auto st, db_->prepareCached("SELECT header, id, tx_count FROM blocks WHERE id = ?1"));
    BLYAN_CHECK(st.bindHash(1, id));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<StoredBlock>();
    BLYAN_TRY(auto b, blockFromRow(st));
    return std::optional<StoredBlock>(std::move(b));
}

Expected<std::optional<StoredTransaction>> Ledger::transaction(const TxId &id)
{
    BLYAN_TRY(auto st, db_->prepareCached("SELECT raw, height, tx_index FROM txs WHERE id = ?1"));
    BLYAN_CHECK(st.bindHash(1, id));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<StoredTransaction>();
    StoredTransaction t;
    BLYAN_TRY(t.tx, chain::decodeTransaction(st.columnBlobView(0)));
    BLYAN_TRY(t.height, fromSqlInt(st.columnInt64(1), "tx height"));
    BLYAN_TRY(const auto index, fromSqlInt(st.columnInt64(2), "tx index"));
    t.index = static_cast<std::size_t>(index);
    return std::optional<StoredTransaction>(std::move(t));
}

Expected<std::vector<StoredTransaction>> Ledger::blockTransactions(std::uint64_t height)
{
    BLYAN_TRY(const std::int64_t h, toSqlInt(height, "height"));
    BLYAN_TRY(auto st, db_->prepareCached("SELECT raw, tx_index FROM txs WHERE height = ?1 ORDER BY tx_index"));
    BLYAN_CHECK(st.bindInt64(1, h));
    std::vector<StoredTransaction> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        StoredTransaction t;
        BLYAN_TRY(t.tx, chain::decodeTransaction(st.columnBlobView(0)));
        t.height = height;
        BLYAN_TRY(const auto index, fromSqlInt(st.columnInt64(1), "tx index"));
        t.index = static_cast<std::size_t>(index);
        out.push_back(std::move(t));
    }
    return out;
}

Status Ledger::checkSupplyIdentity()
{
    BLYAN_TRY(const auto row, store::readSupply(*db_));
    if (!row) return makeError(ErrorCode::NotFound, "the ledger has no genesis block yet");
    const Supply &s = row->first;
    // Summed in C++ with 128 bits rather than SQL SUM(), which would fail on a (corrupt) overflow.
    u128 held = s.rewardPool;
    BLYAN_CHECK(forEachRow(*db_, "SELECT balance FROM accounts", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const Amount v, fromSqlInt(st.columnInt64(0), "balance"));
        held += v;
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT amount FROM stakes", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const Amount v, fromSqlInt(st.columnInt64(0), "stake"));
        held += v;
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT amount FROM unbonding", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const Amount v, fromSqlInt(st.columnInt64(0), "unbonding amount"));
        held += v;
        return {};
    }));
    // Deposits locked in open proposals (0 once returned or burned).
    BLYAN_CHECK(forEachRow(*db_, "SELECT deposit FROM proposals WHERE deposit > 0", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const Amount v, fromSqlInt(st.columnInt64(0), "proposal deposit"));
        held += v;
        return {};
    }));
    const u128 issued = u128(s.genesis) + s.minted;
    if (issued < s.burned || issued - s.burned != held)
        return makeError(ErrorCode::Corrupt,
                         "supply identity broken: genesis " + chain::formatAmount(s.genesis) + " + minted " +
                             chain::formatAmount(s.minted) + " - burned " + chain::formatAmount(s.burned) +
                             " differs from balances + stakes + unbonding + reward pool + proposal deposits");
    return {};
}

Expected<Hash256> Ledger::recomputeStateRoot()
{
    LtHash hash;
    BLYAN_CHECK(forEachRow(*db_, "SELECT pubkey FROM accounts", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const PublicKey key, st.columnHash(0));
        BLYAN_TRY(const auto a, store::readAccount(*db_, key));
        hash.add(encodeAccountRow(key, *a));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT pubkey FROM stakes", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const PublicKey key, st.columnHash(0));
        BLYAN_TRY(const Amount amount, store::readStake(*db_, key));
        hash.add(encodeStakeRow(key, amount));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT id FROM objects", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const chain::ObjectId id, st.columnHash(0));
        BLYAN_TRY(const auto o, store::readObject(*db_, id));
        hash.add(encodeObjectRow(id, *o));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT name, object FROM heads", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const chain::ObjectId id, st.columnHash(1));
        hash.add(encodeHeadRow(st.columnText(0), id));
        return {};
    }));
    BLYAN_TRY(const auto consensus, store::readConsensus(*db_));
    if (consensus) hash.add(encodeConsensusRow(*consensus));
    BLYAN_CHECK(forEachRow(*db_, "SELECT epoch, pubkey, stake FROM validators", [&](const storage::Statement &st) -> Status {
        ValidatorKey k;
        BLYAN_TRY(k.epoch, fromSqlInt(st.columnInt64(0), "epoch"));
        BLYAN_TRY(k.key, st.columnHash(1));
        BLYAN_TRY(const Amount stake, fromSqlInt(st.columnInt64(2), "validator stake"));
        hash.add(encodeValidatorRow(k, stake));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT evidence FROM slashes", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const crypto::Hash256 id, st.columnHash(0));
        BLYAN_TRY(const auto r, store::readSlash(*db_, id));
        hash.add(encodeSlashRow(id, *r));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT pubkey, release_epoch, amount FROM unbonding", [&](const storage::Statement &st) -> Status {
        UnbondingKey k;
        BLYAN_TRY(k.key, st.columnHash(0));
        BLYAN_TRY(k.releaseEpoch, fromSqlInt(st.columnInt64(1), "release epoch"));
        BLYAN_TRY(const Amount amount, fromSqlInt(st.columnInt64(2), "unbonding amount"));
        hash.add(encodeUnbondingRow(k, amount));
        return {};
    }));
    // Governance rows (ledger/governance/types.h).
    BLYAN_CHECK(forEachRow(*db_, "SELECT id FROM proposals", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const crypto::Hash256 id, st.columnHash(0));
        BLYAN_TRY(const auto p, store::readProposal(*db_, id));
        hash.add(encodeProposalRow(id, *p));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT proposal, voter FROM proposal_votes", [&](const storage::Statement &st) -> Status {
        VoteKey k;
        BLYAN_TRY(k.proposal, st.columnHash(0));
        BLYAN_TRY(k.voter, st.columnHash(1));
        BLYAN_TRY(const auto v, store::readVote(*db_, k));
        hash.add(encodeVoteRow(k, *v));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT pubkey, height, amount FROM stake_checkpoints", [&](const storage::Statement &st) -> Status {
        CheckpointKey k;
        BLYAN_TRY(k.key, st.columnHash(0));
        BLYAN_TRY(k.height, fromSqlInt(st.columnInt64(1), "checkpoint height"));
        BLYAN_TRY(const Amount amount, fromSqlInt(st.columnInt64(2), "checkpoint stake"));
        hash.add(encodeCheckpointRow(k, amount));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT id, value FROM params", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const std::uint64_t id, fromSqlInt(st.columnInt64(0), "parameter id"));
        BLYAN_TRY(const std::uint64_t value, fromSqlInt(st.columnInt64(1), "parameter value"));
        hash.add(encodeParamRow(static_cast<std::uint8_t>(id), value));
        return {};
    }));
    BLYAN_CHECK(forEachRow(*db_, "SELECT object FROM dataset_approvals", [&](const storage::Statement &st) -> Status {
        BLYAN_TRY(const chain::ObjectId id, st.columnHash(0));
        BLYAN_TRY(const auto a, store::readDataset(*db_, id));
        hash.add(encodeDatasetRow(id, *a));
        return {};
    }));
    BLYAN_TRY(const auto row, store::readSupply(*db_));
    if (!row) return makeError(ErrorCode::NotFound, "the ledger has no genesis block yet");
    hash.add(encodeSupplyRow(row->first));
    return hash.root();
}

}  // namespace blyan::ledger
