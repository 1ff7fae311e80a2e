#include "ledger/governance/store.h"

#include "ledger/sql_int.h"

#include <algorithm>
#include <cstdint>

namespace blyan::ledger::store {

namespace {

Expected<std::uint64_t> column(const storage::Statement &st, int col, std::string_view what)
{
    return fromSqlInt(st.columnInt64(col), what);
}

template <typename F>
Status each(storage::Statement &st, F &&row)
{
    for (;;) {
        BLYAN_TRY(const bool more, st.step());
        if (!more) return {};
        BLYAN_CHECK(row(st));
    }
}

}  // namespace

Expected<std::optional<ProposalRow>> readProposal(storage::Database &db, const Hash256 &id)
{
    BLYAN_TRY(auto st, db.prepareCached(
                           "SELECT number, proposer, action, deposit, created_height, snapshot_height, end_height, "
                           "total_stake, yes_stake, no_stake, abstain_stake, veto_stake, status, closed_height "
                           "FROM proposals WHERE id = ?1"));
    BLYAN_CHECK(st.bindHash(1, id));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<ProposalRow>();
    ProposalRow p;
    BLYAN_TRY(p.number, column(st, 0, "proposal number"));
    BLYAN_TRY(p.proposer, st.columnHash(1));
    auto action = chain::ProposalAction::decode(st.columnBlobView(2));
    if (!action)
        return makeError(ErrorCode::Corrupt, "ledger database: the action of proposal " + crypto::hashToHex(id) +
                                                 " does not decode (" + action.error().message + "); restore or resync");
    p.action = *action;
    BLYAN_TRY(p.deposit, column(st, 3, "proposal deposit"));
    BLYAN_TRY(p.createdHeight, column(st, 4, "proposal height"));
    BLYAN_TRY(p.snapshotHeight, column(st, 5, "proposal snapshot"));
    BLYAN_TRY(p.endHeight, column(st, 6, "proposal end"));
    BLYAN_TRY(p.totalStake, column(st, 7, "proposal total stake"));
    BLYAN_TRY(p.yes, column(st, 8, "proposal yes"));
    BLYAN_TRY(p.no, column(st, 9, "proposal no"));
    BLYAN_TRY(p.abstain, column(st, 10, "proposal abstain"));
    BLYAN_TRY(p.veto, column(st, 11, "proposal veto"));
    BLYAN_TRY(const std::uint64_t status, column(st, 12, "proposal status"));
    if (status > static_cast<std::uint64_t>(ProposalStatus::Failed))
        return makeError(ErrorCode::Corrupt, "ledger database: proposal status " + std::to_string(status) + " is unknown");
    p.status = static_cast<ProposalStatus>(status);
    BLYAN_TRY(p.closedHeight, column(st, 13, "proposal closed height"));
    return std::optional<ProposalRow>(p);
}

Status writeProposal(storage::Database &db, const Hash256 &id, const std::optional<ProposalRow> &p)
{
    if (!p) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM proposals WHERE id = ?1"));
        BLYAN_CHECK(st.bindHash(1, id));
        return st.run();
    }
    BLYAN_TRY(auto st, db.prepareCached(
                           "INSERT INTO proposals (id, number, proposer, action, deposit, created_height, "
                           "snapshot_height, end_height, total_stake, yes_stake, no_stake, abstain_stake, veto_stake, "
                           "status, closed_height) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
                           "ON CONFLICT (id) DO UPDATE SET number = ?2, proposer = ?3, action = ?4, deposit = ?5, "
                           "created_height = ?6, snapshot_height = ?7, end_height = ?8, total_stake = ?9, "
                           "yes_stake = ?10, no_stake = ?11, abstain_stake = ?12, veto_stake = ?13, status = ?14, "
                           "closed_height = ?15"));
    BLYAN_CHECK(st.bindHash(1, id));
    int i = 2;
    auto bindU64 = [&](std::uint64_t v, const char *what) -> Status {
        BLYAN_TRY(const auto x, toSqlInt(v, what));
        return st.bindInt64(i++, x);
    };
    BLYAN_CHECK(bindU64(p->number, "proposal number"));
    BLYAN_CHECK(st.bindBlob(i++, p->proposer));
    BLYAN_CHECK(st.bindBlob(i++, p->action.encode()));
    BLYAN_CHECK(bindU64(p->deposit, "deposit"));
    BLYAN_CHECK(bindU64(p->createdHeight, "height"));
    BLYAN_CHECK(bindU64(p->snapshotHeight, "height"));
    BLYAN_CHECK(bindU64(p->endHeight, "height"));
    BLYAN_CHECK(bindU64(p->totalStake, "stake"));
    BLYAN_CHECK(bindU64(p->yes, "stake"));
    BLYAN_CHECK(bindU64(p->no, "stake"));
    BLYAN_CHECK(bindU64(p->abstain, "stake"));
    BLYAN_CHECK(bindU64(p->veto, "stake"));
    BLYAN_CHECK(bindU64(static_cast<std::uint64_t>(p->status), "status"));
    BLYAN_CHECK(bindU64(p->closedHeight, "height"));
    return st.run();
}

Expected<std::uint64_t> countProposals(storage::Database &db)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT count(*) FROM proposals"));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::uint64_t(0);
    return column(st, 0, "proposal count");
}

Expected<std::vector<std::pair<Hash256, std::uint64_t>>> readOpenProposals(storage::Database &db)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT id, snapshot_height FROM proposals WHERE status = 0 ORDER BY id"));
    std::vector<std::pair<Hash256, std::uint64_t>> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        BLYAN_TRY(const Hash256 id, s.columnHash(0));
        BLYAN_TRY(const std::uint64_t h, column(s, 1, "proposal snapshot"));
        out.emplace_back(id, h);
        return {};
    }));
    return out;
}

Expected<std::vector<Hash256>> readProposalsEndingBy(storage::Database &db, std::uint64_t height)
{
    BLYAN_TRY(const auto h, toSqlInt(height, "height"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT id FROM proposals WHERE status = 0 AND end_height <= ?1 ORDER BY number"));
    BLYAN_CHECK(st.bindInt64(1, h));
    std::vector<Hash256> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        BLYAN_TRY(const Hash256 id, s.columnHash(0));
        out.push_back(id);
        return {};
    }));
    return out;
}

Expected<std::optional<VoteRow>> readVote(storage::Database &db, const VoteKey &k)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT choice, weight, height FROM proposal_votes WHERE proposal = ?1 AND voter = ?2"));
    BLYAN_CHECK(st.bindHash(1, k.proposal));
    BLYAN_CHECK(st.bindBlob(2, k.voter));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<VoteRow>();
    VoteRow v;
    BLYAN_TRY(const std::uint64_t choice, column(st, 0, "vote choice"));
    if (choice < 1 || choice > 4) return makeError(ErrorCode::Corrupt, "ledger database: vote choice " + std::to_string(choice) + " is unknown");
    v.choice = static_cast<chain::VoteChoice>(choice);
    BLYAN_TRY(v.weight, column(st, 1, "vote weight"));
    BLYAN_TRY(v.height, column(st, 2, "vote height"));
    return std::optional<VoteRow>(v);
}

Status writeVote(storage::Database &db, const VoteKey &k, const std::optional<VoteRow> &v)
{
    if (!v) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM proposal_votes WHERE proposal = ?1 AND voter = ?2"));
        BLYAN_CHECK(st.bindHash(1, k.proposal));
        BLYAN_CHECK(st.bindBlob(2, k.voter));
        return st.run();
    }
    BLYAN_TRY(const auto weight, toSqlInt(v->weight, "vote weight"));
    BLYAN_TRY(const auto height, toSqlInt(v->height, "height"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO proposal_votes (proposal, voter, choice, weight, height) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (proposal, voter) DO UPDATE SET "
                                        "choice = ?3, weight = ?4, height = ?5"));
    BLYAN_CHECK(st.bindHash(1, k.proposal));
    BLYAN_CHECK(st.bindBlob(2, k.voter));
    BLYAN_CHECK(st.bindInt64(3, static_cast<std::int64_t>(v->choice)));
    BLYAN_CHECK(st.bindInt64(4, weight));
    BLYAN_CHECK(st.bindInt64(5, height));
    return st.run();
}

Expected<std::optional<chain::Amount>> readCheckpoint(storage::Database &db, const CheckpointKey &k)
{
    BLYAN_TRY(const auto h, toSqlInt(k.height, "height"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT amount FROM stake_checkpoints WHERE pubkey = ?1 AND height = ?2"));
    BLYAN_CHECK(st.bindBlob(1, k.key));
    BLYAN_CHECK(st.bindInt64(2, h));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<chain::Amount>();
    BLYAN_TRY(const chain::Amount a, column(st, 0, "checkpoint stake"));
    return std::optional<chain::Amount>(a);
}

Status writeCheckpoint(storage::Database &db, const CheckpointKey &k, const std::optional<chain::Amount> &amount)
{
    BLYAN_TRY(const auto h, toSqlInt(k.height, "height"));
    if (!amount) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM stake_checkpoints WHERE pubkey = ?1 AND height = ?2"));
        BLYAN_CHECK(st.bindBlob(1, k.key));
        BLYAN_CHECK(st.bindInt64(2, h));
        return st.run();
    }
    BLYAN_TRY(const auto a, toSqlInt(*amount, "checkpoint stake"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO stake_checkpoints (pubkey, height, amount) VALUES (?1, ?2, ?3) "
                                        "ON CONFLICT (pubkey, height) DO UPDATE SET amount = ?3"));
    BLYAN_CHECK(st.bindBlob(1, k.key));
    BLYAN_CHECK(st.bindInt64(2, h));
    BLYAN_CHECK(st.bindInt64(3, a));
    return st.run();
}

Expected<std::optional<std::pair<std::uint64_t, chain::Amount>>> readFirstCheckpointAbove(storage::Database &db,
                                                                                         const PublicKey &key,
                                                                                         std::uint64_t height)
{
    using Result = std::optional<std::pair<std::uint64_t, chain::Amount>>;
    if (height >= std::uint64_t(INT64_MAX)) return Result();  // no stored height is above
    BLYAN_TRY(const auto h, toSqlInt(height, "height"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT height, amount FROM stake_checkpoints WHERE pubkey = ?1 AND height > ?2 "
                                        "ORDER BY height LIMIT 1"));
    BLYAN_CHECK(st.bindBlob(1, key));
    BLYAN_CHECK(st.bindInt64(2, h));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return Result();
    BLYAN_TRY(const std::uint64_t at, column(st, 0, "checkpoint height"));
    BLYAN_TRY(const chain::Amount a, column(st, 1, "checkpoint stake"));
    return Result(std::make_pair(at, a));
}

Expected<std::vector<CheckpointKey>> readCheckpointsUpTo(storage::Database &db, std::uint64_t height)
{
    BLYAN_TRY(const auto h, toSqlInt(std::min<std::uint64_t>(height, INT64_MAX), "height"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT pubkey, height FROM stake_checkpoints WHERE height <= ?1 "
                                        "ORDER BY pubkey, height"));
    BLYAN_CHECK(st.bindInt64(1, h));
    std::vector<CheckpointKey> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        CheckpointKey k;
        BLYAN_TRY(k.key, s.columnHash(0));
        BLYAN_TRY(k.height, column(s, 1, "checkpoint height"));
        out.push_back(k);
        return {};
    }));
    return out;
}

Expected<std::vector<std::pair<CheckpointKey, chain::Amount>>> readCheckpoints(storage::Database &db)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT pubkey, height, amount FROM stake_checkpoints ORDER BY pubkey, height"));
    std::vector<std::pair<CheckpointKey, chain::Amount>> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        CheckpointKey k;
        BLYAN_TRY(k.key, s.columnHash(0));
        BLYAN_TRY(k.height, column(s, 1, "checkpoint height"));
        BLYAN_TRY(const chain::Amount a, column(s, 2, "checkpoint stake"));
        out.emplace_back(k, a);
        return {};
    }));
    return out;
}

Expected<std::optional<std::uint64_t>> readParam(storage::Database &db, std::uint8_t id)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT value FROM params WHERE id = ?1"));
    BLYAN_CHECK(st.bindInt64(1, id));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<std::uint64_t>();
    BLYAN_TRY(const std::uint64_t v, column(st, 0, "parameter value"));
    return std::optional<std::uint64_t>(v);
}

Status writeParam(storage::Database &db, std::uint8_t id, const std::optional<std::uint64_t> &value)
{
    if (!value) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM params WHERE id = ?1"));
        BLYAN_CHECK(st.bindInt64(1, id));
        return st.run();
    }
    BLYAN_TRY(const auto v, toSqlInt(*value, "parameter value"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO params (id, value) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET value = ?2"));
    BLYAN_CHECK(st.bindInt64(1, id));
    BLYAN_CHECK(st.bindInt64(2, v));
    return st.run();
}

Expected<std::optional<DatasetApproval>> readDataset(storage::Database &db, const Hash256 &object)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT tier, proposal, height FROM dataset_approvals WHERE object = ?1"));
    BLYAN_CHECK(st.bindHash(1, object));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<DatasetApproval>();
    DatasetApproval a;
    BLYAN_TRY(const std::uint64_t tier, column(st, 0, "dataset tier"));
    if (tier < 1 || tier > chain::kMaxDatasetTier)
        return makeError(ErrorCode::Corrupt, "ledger database: dataset tier " + std::to_string(tier) + " is unknown");
    a.tier = static_cast<std::uint8_t>(tier);
    BLYAN_TRY(a.proposal, st.columnHash(1));
    BLYAN_TRY(a.height, column(st, 2, "dataset height"));
    return std::optional<DatasetApproval>(a);
}

Status writeDataset(storage::Database &db, const Hash256 &object, const std::optional<DatasetApproval> &a)
{
    if (!a) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM dataset_approvals WHERE object = ?1"));
        BLYAN_CHECK(st.bindHash(1, object));
        return st.run();
    }
    BLYAN_TRY(const auto h, toSqlInt(a->height, "height"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO dataset_approvals (object, tier, proposal, height) VALUES (?1, ?2, ?3, ?4) "
                                        "ON CONFLICT (object) DO UPDATE SET tier = ?2, proposal = ?3, height = ?4"));
    BLYAN_CHECK(st.bindHash(1, object));
    BLYAN_CHECK(st.bindInt64(2, a->tier));
    BLYAN_CHECK(st.bindHash(3, a->proposal));
    BLYAN_CHECK(st.bindInt64(4, h));
    return st.run();
}

Status insertEvent(storage::Database &db, const GovernanceEvent &e)
{
    BLYAN_TRY(const auto h, toSqlInt(e.height, "height"));
    BLYAN_TRY(const auto w, toSqlInt(e.weight, "event amount"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO governance_events (proposal, height, event, actor, choice, amount, txid) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    BLYAN_CHECK(st.bindHash(1, e.proposal));
    BLYAN_CHECK(st.bindInt64(2, h));
    BLYAN_CHECK(st.bindInt64(3, static_cast<std::int64_t>(e.kind)));
    BLYAN_CHECK(st.bindBlob(4, e.actor));
    BLYAN_CHECK(st.bindInt64(5, e.choice));
    BLYAN_CHECK(st.bindInt64(6, w));
    BLYAN_CHECK(st.bindHash(7, e.txid));
    return st.run();
}

Expected<chain::Amount> sumStakes(storage::Database &db)
{
    // Stakes are bounded by the supply cap (< 2^63), so SQLite's integer SUM cannot overflow; if the
    // database were corrupt it would fail with an error rather than wrap.
    BLYAN_TRY(auto st, db.prepareCached("SELECT coalesce(sum(amount), 0) FROM stakes"));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return chain::Amount(0);
    return column(st, 0, "total stake");
}

}  // namespace blyan::ledger::store
