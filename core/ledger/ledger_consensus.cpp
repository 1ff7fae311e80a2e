// The ledger's consensus side (networks with a validator set): genesis validators, epoch switches, the
// validator set that counts for an epoch, and reverting non-final blocks for a fork switch.
#include "ledger/ledger.h"

#include "chain/address.h"
#include "ledger/sql_int.h"
#include "ledger/store.h"

namespace blyan::ledger {

namespace {

chain::Amount minimumStake(Network network)
{
    return networkParams(network).minValidatorStakeBly * chain::kCoin;
}

}  // namespace

Status Ledger::applyGenesisValidators(State &state, const GenesisSpec &spec)
{
    if (!usesValidatorSet(options_.network)) {
        if (!spec.stakes.empty())
            return makeError(ErrorCode::InvalidArgument, "genesis: a " + networkName(options_.network).toStdString() +
                                                             " has a single proposer and no genesis validators");
        return {};
    }
    const chain::Amount minimum = minimumStake(options_.network);
    bool any = false;
    for (const auto &[key, amount] : spec.stakes) {
        BLYAN_TRY(const Amount existing, state.stake(key));
        if (existing) return makeError(ErrorCode::InvalidArgument, "genesis: " + address(key) + " is a validator twice");
        BLYAN_CHECK(state.setStake(key, amount));
        if (amount < minimum) continue;  // staked, but below the set's minimum
        BLYAN_CHECK(state.setValidator(ValidatorKey{0, key}, amount));
        any = true;
    }
    if (!any)
        return makeError(ErrorCode::InvalidArgument, "genesis: a " + networkName(options_.network).toStdString() +
                                                         " needs at least one validator staking " +
                                                         chain::formatAmount(minimum) + " or more");
    return state.setConsensus(ConsensusRow{0, 0});
}

Expected<ValidatorSet> Ledger::enterEpoch(State &state, std::uint64_t slot)
{
    BLYAN_TRY(const auto row, state.consensus());
    if (!row) return makeError(ErrorCode::Corrupt, "ledger database: no consensus row on a validator-set network");
    const std::uint64_t epoch = epochOfSlot(slot, networkParams(options_.network).epochSlots);
    BLYAN_TRY(ValidatorSet current, validatorSet(row->epoch));
    if (epoch <= row->epoch) return current;

    // A new epoch: the stakes as they are after the parent block become its set. The set before the
    // current one is dropped (votes on blocks of two epochs ago no longer matter). When nobody stakes
    // enough any more, the old set goes on rather than halting the chain.
    // The minimum is the live one: governance may have changed min_validator_stake_bly.
    BLYAN_TRY(const LiveParams live, ledger::liveParams(state, options_.network, options_.params, options_.governance));
    BLYAN_TRY(auto stakes, store::readStakes(*db_, live.minValidatorStake));
    ValidatorSet next{epoch, stakes.empty() ? current.members : std::move(stakes)};
    if (row->previousEpoch != row->epoch) {
        BLYAN_TRY(const auto old, store::readValidatorSet(*db_, row->previousEpoch));
        for (const auto &m : old) BLYAN_CHECK(state.setValidator(ValidatorKey{row->previousEpoch, m.first}, 0));
    }
    for (const auto &[key, stake] : next.members) BLYAN_CHECK(state.setValidator(ValidatorKey{epoch, key}, stake));
    BLYAN_CHECK(state.setConsensus(ConsensusRow{epoch, row->epoch}));
    return next;
}

Expected<ValidatorSet> Ledger::validatorSet(std::uint64_t epoch)
{
    if (!usesValidatorSet(options_.network))
        return makeError(ErrorCode::NotFound, "a " + networkName(options_.network).toStdString() + " has no validator set");
    BLYAN_TRY(const auto row, store::readConsensus(*db_));
    if (!row) return makeError(ErrorCode::NotFound, "the ledger has no consensus state yet");
    std::uint64_t stored = 0;
    if (epoch >= row->epoch) {
        stored = row->epoch;
    } else if (epoch >= row->previousEpoch) {
        stored = row->previousEpoch;
    } else {
        return makeError(ErrorCode::NotFound, "the validator set of epoch " + std::to_string(epoch) +
                                                  " is no longer kept (the ledger is at epoch " +
                                                  std::to_string(row->epoch) + ")");
    }
    BLYAN_TRY(auto members, store::readValidatorSet(*db_, stored));
    return ValidatorSet{stored, std::move(members)};
}

Expected<std::optional<PublicKey>> Ledger::nextProposer(std::uint64_t slot)
{
    if (!usesValidatorSet(options_.network)) return std::optional<PublicKey>();
    State scratch(*db_);  // never flushed
    BLYAN_TRY(const ValidatorSet set, enterEpoch(scratch, slot));
    return proposerForSlot(set, genesisId_, slot);
}

Expected<chain::Block> Ledger::revertTip()
{
    if (!tip_ || tip_->height == 0) return makeError(ErrorCode::InvalidArgument, "the genesis block cannot be reverted");
    const std::uint64_t height = tip_->height;
    const std::string label = "reverting block " + std::to_string(height);
    BLYAN_TRY(const auto h, toSqlInt(height, "height"));
    BLYAN_TRY(auto st, db_->prepareCached("SELECT data FROM undo WHERE height = ?1"));
    BLYAN_CHECK(st.bindInt64(1, h));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return makeError(ErrorCode::NotFound, label + ": it has no undo log (final, or from a devnet)");
    auto undo = decodeUndo(st.columnBlobView(0));
    if (!undo) return makeError(ErrorCode::Corrupt, label + ": its undo log does not decode (" + undo.error().message +
                                                        "); restore the data dir or resync");
    BLYAN_TRY(const auto parent, blockByHeight(height - 1));
    if (!parent) return makeError(ErrorCode::Corrupt, label + ": the parent block is missing");
    chain::Block block;
    block.header = *tip_;
    BLYAN_TRY(const auto txs, blockTransactions(height));
    for (const auto &t : txs) block.transactions.push_back(t.tx);

    BLYAN_TRY(auto txn, storage::Transaction::begin(*db_));
    State state(*db_);
    BLYAN_CHECK(state.restore(*undo));
    LtHash hash = hash_;
    BLYAN_CHECK(state.flush(hash));
    if (hash.root() != parent->header.stateRoot)
        return makeError(ErrorCode::Corrupt, label + ": the restored state root does not match the parent's; the "
                                                     "database was changed behind the ledger (restore or resync)");
    for (const char *sql : {"DELETE FROM txs WHERE height = ?1", "DELETE FROM blocks WHERE height = ?1",
                            "DELETE FROM undo WHERE height = ?1", "DELETE FROM governance_events WHERE height = ?1"}) {
        BLYAN_TRY(auto del, db_->prepareCached(sql));
        BLYAN_CHECK(del.bindInt64(1, h));
        BLYAN_CHECK(del.run());
    }
    BLYAN_CHECK(txn.commit());
    hash_ = hash;
    tip_ = parent->header;
    tipId_ = parent->id;
    return block;
}

Status Ledger::pruneUndo(std::uint64_t height)
{
    BLYAN_TRY(const auto h, toSqlInt(height, "height"));
    BLYAN_TRY(auto st, db_->prepareCached("DELETE FROM undo WHERE height <= ?1"));
    BLYAN_CHECK(st.bindInt64(1, h));
    return st.run();
}

}  // namespace blyan::ledger
