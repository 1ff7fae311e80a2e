#include "ledger/ledger.h"

#include "chain/address.h"
#include "ledger/sql_int.h"
#include "ledger/store.h"
#include "ledger/unbonding.h"

namespace blyan::ledger {

namespace {

std::string txLabel(const TxId &id, std::size_t index)
{
    return "transaction " + crypto::hashToHex(id) + " (index " + std::to_string(index) + ")";
}

}  // namespace

Expected<Ledger> Ledger::open(storage::Database &db, LedgerOptions options)
{
    Ledger ledger(db, std::move(options));
    BLYAN_TRY(const auto supply, store::readSupply(db));
    BLYAN_TRY(auto st, db.prepare("SELECT header, id FROM blocks ORDER BY height DESC LIMIT 1"));
    BLYAN_TRY(const bool row, st.step());
    if (row != supply.has_value())
        return makeError(ErrorCode::Corrupt, "ledger database: blocks and supply disagree on whether genesis "
                                             "was applied; restore the data dir or resync");
    if (!row) return ledger;
    ledger.hash_ = supply->second;
    BLYAN_TRY(ledger.tip_, chain::decodeBlockHeader(st.columnBlobView(0)));
    BLYAN_TRY(ledger.tipId_, st.columnHash(1));
    if (chain::blockId(*ledger.tip_) != ledger.tipId_ || ledger.tip_->stateRoot != ledger.hash_.root())
        return makeError(ErrorCode::Corrupt, "ledger database: the tip block does not match its id or the "
                                             "stored state hash; restore the data dir or resync");
    BLYAN_TRY(auto g, db.prepare("SELECT id FROM blocks WHERE height = 0"));
    BLYAN_TRY(const bool hasGenesisRow, g.step());
    if (!hasGenesisRow) return makeError(ErrorCode::Corrupt, "ledger database: no genesis block; restore the data dir or resync");
    BLYAN_TRY(ledger.genesisId_, g.columnHash(0));
    return ledger;
}

std::string Ledger::address(const PublicKey &key) const
{
    return chain::formatAddress(options_.network, key);
}

Expected<BlockResult> Ledger::applyGenesis(const GenesisSpec &spec)
{
    if (tip_) return makeError(ErrorCode::AlreadyExists, "the ledger already has a genesis block");
    Amount total = 0;
    for (const auto &[key, amount] : spec.allocations) {
        if (amount == 0) return makeError(ErrorCode::InvalidArgument, "genesis: allocation to " + address(key) + " is 0");
        BLYAN_TRY(total, chain::checkedAdd(total, amount, "genesis allocations"));
    }
    for (const auto &[key, amount] : spec.stakes) {
        if (amount == 0) return makeError(ErrorCode::InvalidArgument, "genesis: stake of " + address(key) + " is 0");
        BLYAN_TRY(total, chain::checkedAdd(total, amount, "genesis allocations and stakes"));
    }
    if (total != options_.params.genesisSupply)
        return makeError(ErrorCode::InvalidArgument, "genesis: allocations add up to " + chain::formatAmount(total) +
                                                         ", the genesis supply is " +
                                                         chain::formatAmount(options_.params.genesisSupply));
    if (auto s = chain::checkObjectRecord(spec.pact); !s) return s.error().context("genesis pact");
    if (spec.pact.chain != chain::ObjectChain::A || spec.pact.kind != "genesis_pact" || !spec.pact.dependsOn.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "genesis pact: must be a chain A 'genesis_pact' object without dependencies");

    BLYAN_TRY(auto txn, storage::Transaction::begin(*db_));
    State state(*db_);
    for (const auto &[key, amount] : spec.allocations) {
        BLYAN_TRY(const Account existing, state.account(key));
        if (existing.balance)
            return makeError(ErrorCode::InvalidArgument, "genesis: " + address(key) + " is allocated twice");
        BLYAN_CHECK(state.setAccount(key, Account{amount, 0}));
    }
    BLYAN_CHECK(applyGenesisValidators(state, spec));
    const chain::ObjectId pactId = chain::objectId(spec.pact);
    BLYAN_CHECK(state.addObject(pactId, StoredObject{spec.pact, 0, PublicKey{}}));
    BLYAN_CHECK(state.setHead(spec.pact.name, pactId));
    BLYAN_CHECK(state.setSupply(Supply{total, 0, 0, 0}));
    LtHash hash;
    BLYAN_CHECK(state.flush(hash));

    chain::Block block;
    block.header.timeMs = spec.timeMs;
    block.header.stateRoot = hash.root();
    const BlockId id = chain::blockId(block.header);
    BLYAN_CHECK(storeBlock(block, id));
    BLYAN_CHECK(txn.commit());
    hash_ = hash;
    tip_ = block.header;
    tipId_ = id;
    genesisId_ = id;
    return BlockResult{id, 0, block.header.stateRoot, 0, 0, 0, 0};
}

Status Ledger::checkContinuity(const chain::BlockHeader &h) const
{
    if (!tip_) return makeError(ErrorCode::NotFound, "the ledger has no genesis block yet");
    if (h.height != tip_->height + 1)
        return makeError(ErrorCode::InvalidArgument, "height " + std::to_string(h.height) +
                                                         " does not extend the tip at height " +
                                                         std::to_string(tip_->height));
    if (h.parent != tipId_)
        return makeError(ErrorCode::InvalidArgument, "parent " + crypto::hashToHex(h.parent) +
                                                         " is not the tip " + crypto::hashToHex(tipId_));
    if (h.slot <= tip_->slot)
        return makeError(ErrorCode::InvalidArgument, "slot " + std::to_string(h.slot) +
                                                         " is not after the parent's slot " +
                                                         std::to_string(tip_->slot));
    if (h.timeMs < tip_->timeMs)
        return makeError(ErrorCode::InvalidArgument, "time " + std::to_string(h.timeMs) +
                                                         " ms is before the parent's time " +
                                                         std::to_string(tip_->timeMs) + " ms");
    return {};
}

Status Ledger::applyTransaction(State &state, const chain::Transaction &tx, std::uint64_t height,
                                const PayloadCheck &payloadAvailable, const LiveParams &params, Totals &totals,
                                bool checkNonce)
{
    const TxStateHandler *handler = findStateHandler(tx.kind);
    if (!handler)
        return makeError(ErrorCode::InvalidArgument, "kind " + std::to_string(tx.kind) + " (" +
                                                         std::string(chain::txKindName(tx.kind)) +
                                                         ") has no ledger rules yet");
    BLYAN_TRY(Account sender, state.account(tx.from));
    if (!checkNonce) sender.nonce = tx.nonce;  // checkTransactionRules: earlier ones may still wait in the pool
    if (tx.nonce < sender.nonce)
        return makeError(ErrorCode::InvalidArgument, "nonce " + std::to_string(tx.nonce) +
                                                         " already used; next nonce for " + address(tx.from) +
                                                         " is " + std::to_string(sender.nonce));
    if (tx.nonce > sender.nonce)
        return makeError(ErrorCode::InvalidArgument, "nonce " + std::to_string(tx.nonce) + " skips ahead; next nonce for " +
                                                         address(tx.from) + " is " + std::to_string(sender.nonce));
    if (sender.balance < tx.fee)
        return makeError(ErrorCode::InvalidArgument, "balance " + chain::formatAmount(sender.balance) + " of " +
                                                         address(tx.from) + " is less than the fee " +
                                                         chain::formatAmount(tx.fee));
    sender.balance -= tx.fee;
    sender.nonce += 1;  // cannot wrap: it equals the number of transactions the account has sent
    BLYAN_CHECK(state.setAccount(tx.from, sender));

    const std::function<std::string(const PublicKey &)> addr = [this](const PublicKey &k) { return address(k); };
    TxContext ctx{state, tx, height, payloadAvailable, addr, options_.network, params, options_.governance};
    BLYAN_CHECK(handler->apply(ctx));

    const FeeSplit split = splitFee(params.tokenomics, tx.fee);
    BLYAN_TRY(Supply s, state.supply());
    BLYAN_TRY(s.burned, chain::checkedAdd(s.burned, split.burned, "burned supply"));
    BLYAN_TRY(s.rewardPool, chain::checkedAdd(s.rewardPool, split.toRewardPool, "reward pool"));
    BLYAN_CHECK(state.setSupply(s));
    BLYAN_TRY(totals.fees, chain::checkedAdd(totals.fees, tx.fee, "block fees"));
    totals.burned += split.burned;  // <= fees, which did not overflow
    return {};
}

Expected<BlockResult> Ledger::execute(const chain::Block &block, const PayloadCheck &payloadAvailable, Mode mode)
{
    const chain::BlockHeader &h = block.header;
    const std::string label = "block " + std::to_string(h.height);
    if (auto s = checkContinuity(h); !s) return s.error().context(label);
    const NetworkParams &net = networkParams(options_.network);
    if (mode == Mode::Apply) {
        if (auto s = chain::checkBlock(block, net.networkId); !s) return s.error().context(label);
    } else {
        // The producer has not signed yet: everything of checkBlock but the header signature and roots.
        for (std::size_t i = 0; i < block.transactions.size(); ++i)
            if (auto s = chain::checkTransaction(block.transactions[i], net.networkId); !s)
                return s.error().context(label + ": " + txLabel(chain::transactionId(block.transactions[i]), i));
    }

    BLYAN_TRY(auto txn, storage::Transaction::begin(*db_));
    State state(*db_);
    const bool validatorSet = usesValidatorSet(options_.network);
    if (validatorSet) {
        // The proposer must be the slot's scheduled one (the unsigned preview of the producer included:
        // it learns at once when its clock put it in someone else's slot).
        BLYAN_TRY(const ValidatorSet set, enterEpoch(state, h.slot));
        const auto expected = proposerForSlot(set, genesisId_, h.slot);
        if (!expected || (mode == Mode::Apply && *expected != h.proposer))
            return makeError(ErrorCode::InvalidArgument,
                             label + ": slot " + std::to_string(h.slot) + " belongs to " +
                                 (expected ? address(*expected) : std::string("no validator (the set is empty)")) +
                                 ", not to the proposer " + address(h.proposer));
    }
    // Governance first (ledger/governance/engine.h): proposals ending here are tallied and carried out,
    // so a parameter they change holds for this whole block.
    if (auto s = closeProposals(state, h.height, options_.governance); !s)
        return s.error().context(label + ": closing proposals");
    BLYAN_TRY(const LiveParams live, ledger::liveParams(state, options_.network, options_.params, options_.governance));
    Totals totals;
    for (std::size_t i = 0; i < block.transactions.size(); ++i) {
        const chain::Transaction &tx = block.transactions[i];
        if (auto s = applyTransaction(state, tx, h.height, payloadAvailable, live, totals); !s)
            return s.error().context(label + ": " + txLabel(chain::transactionId(tx), i));
    }

    // Unbonding rows due by this block's epoch reach their balances after its transactions: a transaction
    // checked against the parent's state (the pool's check, which enters no epoch) meets the same rows here,
    // so evidence against a voter whose only stake is unbonding cannot pass the pool and then fail the block.
    if (validatorSet)
        BLYAN_CHECK(releaseUnbonded(state, epochOfSlot(h.slot, net.epochSlots)));

    // Emission follows slot time, not the proposer's clock, so a proposer cannot mint more by lying
    // about the time.
    BLYAN_TRY(const Amount elapsedMs, chain::checkedMul(h.slot - tip_->slot, static_cast<std::uint64_t>(net.slotMs),
                                                        label + " slot time"));
    BLYAN_TRY(Supply s, state.supply());
    const Amount minted = blockEmission(live.tokenomics, elapsedMs, s.minted);
    BLYAN_TRY(s.minted, chain::checkedAdd(s.minted, minted, "minted supply"));
    BLYAN_TRY(s.rewardPool, chain::checkedAdd(s.rewardPool, minted, "reward pool"));
    BLYAN_CHECK(state.setSupply(s));
    // Stakes this block changed keep their value at the open proposals' snapshots (a checkpoint each).
    BLYAN_CHECK(recordStakeCheckpoints(state, h.height));

    LtHash hash = hash_;
    UndoLog undo;
    BLYAN_CHECK(state.flush(hash, validatorSet ? &undo : nullptr));
    const Hash256 root = hash.root();
    BlockResult result{chain::blockId(h), h.height, root, block.transactions.size(), totals.fees, totals.burned, minted};
    if (mode == Mode::Preview) return result;  // txn rolls back
    if (root != h.stateRoot)
        return makeError(ErrorCode::InvalidArgument, label + ": state_root " + crypto::hashToHex(h.stateRoot) +
                                                         " in the header, the ledger computes " +
                                                         crypto::hashToHex(root));
    BLYAN_CHECK(storeBlock(block, result.id));
    if (validatorSet) {
        // Kept until the block is final (pruneUndo), so that a fork switch can revert it.
        BLYAN_TRY(const auto height, toSqlInt(h.height, "height"));
        BLYAN_TRY(auto st, db_->prepareCached("INSERT INTO undo (height, data) VALUES (?1, ?2)"));
        BLYAN_CHECK(st.bindInt64(1, height));
        BLYAN_CHECK(st.bindBlob(2, encodeUndo(undo)));
        BLYAN_CHECK(st.run());
    }
    BLYAN_CHECK(txn.commit());
    hash_ = hash;
    tip_ = h;
    tipId_ = result.id;
    return result;
}

Expected<BlockResult> Ledger::applyBlock(const chain::Block &block, const PayloadCheck &payloadAvailable)
{
    return execute(block, payloadAvailable, Mode::Apply);
}

Expected<Hash256> Ledger::previewStateRoot(const chain::Block &block, const PayloadCheck &payloadAvailable)
{
    BLYAN_TRY(const BlockResult r, execute(block, payloadAvailable, Mode::Preview));
    return r.stateRoot;
}

Expected<TxCheck> Ledger::checkTransactionAgainstState(const chain::Transaction &tx,
                                                       const PayloadCheck &payloadAvailable)
{
    const TxId id = chain::transactionId(tx);
    if (!tip_) return makeError(ErrorCode::NotFound, "the ledger has no genesis block yet");
    if (auto s = chain::checkTransaction(tx, networkParams(options_.network).networkId); !s)
        return s.error().context("transaction " + crypto::hashToHex(id));
    State state(*db_);  // never flushed: nothing is written
    BLYAN_TRY(const LiveParams live, nextBlockParams(state));
    Totals totals;
    if (auto s = applyTransaction(state, tx, tip_->height + 1, payloadAvailable, live, totals); !s)
        return s.error().context("transaction " + crypto::hashToHex(id));
    BLYAN_TRY(const Account after, state.account(tx.from));
    return TxCheck{id, tx.fee, tx.nonce, after.balance};
}

Status Ledger::checkTransactionRules(const chain::Transaction &tx, const PayloadCheck &payloadAvailable)
{
    if (!tip_) return makeError(ErrorCode::NotFound, "the ledger has no genesis block yet");
    State state(*db_);  // never flushed: nothing is written
    BLYAN_TRY(const LiveParams live, nextBlockParams(state));
    Totals totals;
    return applyTransaction(state, tx, tip_->height + 1, payloadAvailable, live, totals, false);
}

Expected<LiveParams> Ledger::nextBlockParams(State &state)
{
    // The next block closes the proposals ending at its height before its transactions (execute), so a
    // transaction is checked against that state: otherwise a proposal whose deposit is below a
    // proposal_deposit_bly raised there, or whose change a closing proposal has just made, passes the
    // pool and fails the block; and the producer, finding every transaction valid alone, drops the
    // whole block's worth of transactions from the pool.
    BLYAN_CHECK(closeProposals(state, tip_->height + 1, options_.governance, /*pruneCheckpoints=*/false));
    return ledger::liveParams(state, options_.network, options_.params, options_.governance);
}

Expected<LiveParams> Ledger::liveParams()
{
    State state(*db_);  // never flushed
    return ledger::liveParams(state, options_.network, options_.params, options_.governance);
}

Status Ledger::storeBlock(const chain::Block &block, const BlockId &id)
{
    BLYAN_TRY(const auto height, toSqlInt(block.header.height, "height"));
    BLYAN_TRY(auto st, db_->prepareCached(
                           "INSERT INTO blocks (height, id, header, tx_count, state_root) VALUES (?1, ?2, ?3, ?4, ?5)"));
    BLYAN_CHECK(st.bindInt64(1, height));
    BLYAN_CHECK(st.bindHash(2, id));
    BLYAN_CHECK(st.bindBlob(3, chain::encodeBlockHeader(block.header)));
    BLYAN_CHECK(st.bindInt64(4, static_cast<std::int64_t>(block.transactions.size())));
    BLYAN_CHECK(st.bindHash(5, block.header.stateRoot));
    BLYAN_CHECK(st.run());
    for (std::size_t i = 0; i < block.transactions.size(); ++i) {
        const chain::Transaction &tx = block.transactions[i];
        BLYAN_TRY(auto t, db_->prepareCached("INSERT INTO txs (id, height, tx_index, raw) VALUES (?1, ?2, ?3, ?4)"));
        BLYAN_CHECK(t.bindHash(1, chain::transactionId(tx)));
        BLYAN_CHECK(t.bindInt64(2, height));
        BLYAN_CHECK(t.bindInt64(3, static_cast<std::int64_t>(i)));
        BLYAN_CHECK(t.bindBlob(4, chain::encodeTransaction(tx)));
        BLYAN_CHECK(t.run());
    }
    return {};
}

}  // namespace blyan::ledger
