#include "ledger/governance/queries.h"

#include "ledger/governance/store.h"
#include "ledger/sql_int.h"

namespace blyan::ledger::governance {

namespace {

template <typename F>
Status each(storage::Statement &st, F &&row)
{
    for (;;) {
        BLYAN_TRY(const bool more, st.step());
        if (!more) return {};
        BLYAN_CHECK(row(st));
    }
}

Expected<VoteRow> voteFrom(const storage::Statement &st, int col)
{
    VoteRow v;
    BLYAN_TRY(const std::uint64_t choice, fromSqlInt(st.columnInt64(col), "vote choice"));
    if (choice < 1 || choice > 4) return makeError(ErrorCode::Corrupt, "ledger database: vote choice " + std::to_string(choice));
    v.choice = static_cast<chain::VoteChoice>(choice);
    BLYAN_TRY(v.weight, fromSqlInt(st.columnInt64(col + 1), "vote weight"));
    BLYAN_TRY(v.height, fromSqlInt(st.columnInt64(col + 2), "vote height"));
    return v;
}

Expected<std::vector<ProposalEntry>> entries(storage::Database &db, storage::Statement &st)
{
    std::vector<ProposalEntry> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        ProposalEntry e;
        BLYAN_TRY(e.id, s.columnHash(0));
        BLYAN_TRY(const auto row, store::readProposal(db, e.id));
        if (!row) return makeError(ErrorCode::Corrupt, "ledger database: a listed proposal vanished");
        e.row = *row;
        out.push_back(std::move(e));
        return {};
    }));
    return out;
}

}  // namespace

Expected<std::vector<ProposalEntry>> listProposals(storage::Database &db, std::optional<bool> open,
                                                   std::uint64_t beforeNumber, int limit)
{
    BLYAN_TRY(const auto before, toSqlInt(beforeNumber ? beforeNumber : std::uint64_t(INT64_MAX), "number"));
    const char *sql = !open    ? "SELECT id FROM proposals WHERE number < ?1 ORDER BY number DESC LIMIT ?2"
                      : *open ? "SELECT id FROM proposals WHERE number < ?1 AND status = 0 ORDER BY number DESC LIMIT ?2"
                              : "SELECT id FROM proposals WHERE number < ?1 AND status != 0 ORDER BY number DESC LIMIT ?2";
    BLYAN_TRY(auto st, db.prepare(sql));
    BLYAN_CHECK(st.bindInt64(1, before));
    BLYAN_CHECK(st.bindInt64(2, limit));
    return entries(db, st);
}

Expected<std::optional<ProposalEntry>> proposalByNumber(storage::Database &db, std::uint64_t number)
{
    BLYAN_TRY(const auto n, toSqlInt(number, "number"));
    BLYAN_TRY(auto st, db.prepare("SELECT id FROM proposals WHERE number = ?1"));
    BLYAN_CHECK(st.bindInt64(1, n));
    BLYAN_TRY(auto list, entries(db, st));
    if (list.empty()) return std::optional<ProposalEntry>();
    return std::optional<ProposalEntry>(std::move(list.front()));
}

Expected<std::vector<VoteEntry>> proposalVotes(storage::Database &db, const crypto::Hash256 &proposal, int limit)
{
    BLYAN_TRY(auto st, db.prepare("SELECT voter, choice, weight, height FROM proposal_votes WHERE proposal = ?1 "
                                  "ORDER BY weight DESC, voter LIMIT ?2"));
    BLYAN_CHECK(st.bindHash(1, proposal));
    BLYAN_CHECK(st.bindInt64(2, limit));
    std::vector<VoteEntry> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        VoteEntry e;
        e.proposal = proposal;
        BLYAN_TRY(e.voter, s.columnHash(0));
        BLYAN_TRY(e.vote, voteFrom(s, 1));
        out.push_back(e);
        return {};
    }));
    return out;
}

Expected<std::uint64_t> proposalVoteCount(storage::Database &db, const crypto::Hash256 &proposal)
{
    BLYAN_TRY(auto st, db.prepare("SELECT count(*) FROM proposal_votes WHERE proposal = ?1"));
    BLYAN_CHECK(st.bindHash(1, proposal));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::uint64_t(0);
    return fromSqlInt(st.columnInt64(0), "vote count");
}

Expected<std::vector<VoteEntry>> votesBy(storage::Database &db, const crypto::PublicKey &voter, int limit)
{
    BLYAN_TRY(auto st, db.prepare("SELECT proposal, choice, weight, height FROM proposal_votes WHERE voter = ?1 "
                                  "ORDER BY height DESC, proposal LIMIT ?2"));
    BLYAN_CHECK(st.bindBlob(1, voter));
    BLYAN_CHECK(st.bindInt64(2, limit));
    std::vector<VoteEntry> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        VoteEntry e;
        e.voter = voter;
        BLYAN_TRY(e.proposal, s.columnHash(0));
        BLYAN_TRY(e.vote, voteFrom(s, 1));
        out.push_back(e);
        return {};
    }));
    return out;
}

Expected<std::vector<GovernanceEvent>> proposalEvents(storage::Database &db, const crypto::Hash256 &proposal, int limit)
{
    BLYAN_TRY(auto st, db.prepare("SELECT height, event, actor, choice, amount, txid FROM governance_events "
                                  "WHERE proposal = ?1 ORDER BY seq LIMIT ?2"));
    BLYAN_CHECK(st.bindHash(1, proposal));
    BLYAN_CHECK(st.bindInt64(2, limit));
    std::vector<GovernanceEvent> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        GovernanceEvent e;
        e.proposal = proposal;
        BLYAN_TRY(e.height, fromSqlInt(s.columnInt64(0), "event height"));
        BLYAN_TRY(const std::uint64_t kind, fromSqlInt(s.columnInt64(1), "event kind"));
        if (kind < 1 || kind > 3) return makeError(ErrorCode::Corrupt, "ledger database: governance event kind " + std::to_string(kind));
        e.kind = static_cast<GovernanceEventKind>(kind);
        BLYAN_TRY(e.actor, s.columnHash(2));
        BLYAN_TRY(const std::uint64_t choice, fromSqlInt(s.columnInt64(3), "event choice"));
        e.choice = static_cast<std::uint8_t>(choice);
        BLYAN_TRY(e.weight, fromSqlInt(s.columnInt64(4), "event amount"));
        BLYAN_TRY(e.txid, s.columnHash(5));
        out.push_back(e);
        return {};
    }));
    return out;
}

Expected<std::vector<std::pair<crypto::Hash256, DatasetApproval>>> datasetApprovals(storage::Database &db, int limit)
{
    BLYAN_TRY(auto st, db.prepare("SELECT object FROM dataset_approvals ORDER BY height DESC, object LIMIT ?1"));
    BLYAN_CHECK(st.bindInt64(1, limit));
    std::vector<std::pair<crypto::Hash256, DatasetApproval>> out;
    BLYAN_CHECK(each(st, [&](const storage::Statement &s) -> Status {
        BLYAN_TRY(const crypto::Hash256 id, s.columnHash(0));
        BLYAN_TRY(const auto a, store::readDataset(db, id));
        if (a) out.emplace_back(id, *a);
        return {};
    }));
    return out;
}

}  // namespace blyan::ledger::governance
