#include "ledger/store.h"

#include "ledger/sql_int.h"

namespace blyan::ledger::store {

namespace {

Expected<std::uint64_t> column(const storage::Statement &st, int col, std::string_view what)
{
    return fromSqlInt(st.columnInt64(col), what);
}

Expected<chain::ObjectChain> chainFromText(const std::string &text)
{
    if (text == "A") return chain::ObjectChain::A;
    if (text == "B") return chain::ObjectChain::B;
    if (text == "D") return chain::ObjectChain::D;
    return makeError(ErrorCode::Corrupt, "ledger database: object chain '" + text + "' is not A, B or D");
}

}  // namespace

Expected<std::optional<Account>> readAccount(storage::Database &db, const PublicKey &key)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT balance, nonce FROM accounts WHERE pubkey = ?1"));
    BLYAN_CHECK(st.bindBlob(1, key));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<Account>();
    BLYAN_TRY(const Amount balance, column(st, 0, "account balance"));
    BLYAN_TRY(const std::uint64_t nonce, column(st, 1, "account nonce"));
    return std::optional<Account>(Account{balance, nonce});
}

Expected<Amount> readStake(storage::Database &db, const PublicKey &key)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT amount FROM stakes WHERE pubkey = ?1"));
    BLYAN_CHECK(st.bindBlob(1, key));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return Amount(0);
    return column(st, 0, "stake");
}

Expected<std::optional<StoredObject>> readObject(storage::Database &db, const ObjectId &id)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT chain, kind, name, payload_hash, size, merkle_root, "
                                        "published_height, publisher FROM objects WHERE id = ?1"));
    BLYAN_CHECK(st.bindHash(1, id));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<StoredObject>();
    StoredObject o;
    BLYAN_TRY(o.record.chain, chainFromText(st.columnText(0)));
    o.record.kind = st.columnText(1);
    o.record.name = st.columnText(2);
    BLYAN_TRY(o.record.payloadHash, st.columnHash(3));
    BLYAN_TRY(o.record.size, column(st, 4, "object size"));
    BLYAN_TRY(o.record.chunkMerkleRoot, st.columnHash(5));
    BLYAN_TRY(o.publishedHeight, column(st, 6, "object height"));
    BLYAN_TRY(o.publisher, st.columnHash(7));
    // BLOB order is memcmp order, which is the record's canonical (strictly ascending) order.
    BLYAN_TRY(auto deps, db.prepareCached("SELECT depends_on FROM object_deps WHERE object = ?1 "
                                          "ORDER BY depends_on"));
    BLYAN_CHECK(deps.bindHash(1, id));
    for (;;) {
        BLYAN_TRY(const bool more, deps.step());
        if (!more) break;
        BLYAN_TRY(const ObjectId dep, deps.columnHash(0));
        o.record.dependsOn.push_back(dep);
    }
    if (chain::objectId(o.record) != id)
        return makeError(ErrorCode::Corrupt, "ledger database: object " + crypto::hashToHex(id) +
                                                 " does not hash to its id; restore the data dir or resync");
    return std::optional<StoredObject>(std::move(o));
}

Expected<std::optional<ObjectId>> readHead(storage::Database &db, const std::string &name)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT object FROM heads WHERE name = ?1"));
    BLYAN_CHECK(st.bindText(1, name));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<ObjectId>();
    BLYAN_TRY(const ObjectId id, st.columnHash(0));
    return std::optional<ObjectId>(id);
}

Expected<std::optional<std::pair<Supply, LtHash>>> readSupply(storage::Database &db)
{
    BLYAN_TRY(auto st, db.prepareCached(
                           "SELECT genesis, minted, burned, reward_pool, state_hash FROM supply WHERE id = 0"));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<std::pair<Supply, LtHash>>();
    Supply s;
    BLYAN_TRY(s.genesis, column(st, 0, "genesis supply"));
    BLYAN_TRY(s.minted, column(st, 1, "minted supply"));
    BLYAN_TRY(s.burned, column(st, 2, "burned supply"));
    BLYAN_TRY(s.rewardPool, column(st, 3, "reward pool"));
    BLYAN_TRY(LtHash hash, LtHash::deserialize(st.columnBlobView(4)));
    return std::optional<std::pair<Supply, LtHash>>(std::make_pair(s, hash));
}

Status writeAccount(storage::Database &db, const PublicKey &key, const Account &a)
{
    BLYAN_TRY(const auto balance, toSqlInt(a.balance, "balance"));
    BLYAN_TRY(const auto nonce, toSqlInt(a.nonce, "nonce"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO accounts (pubkey, balance, nonce) VALUES (?1, ?2, ?3) "
                                        "ON CONFLICT (pubkey) DO UPDATE SET balance = ?2, nonce = ?3"));
    BLYAN_CHECK(st.bindBlob(1, key));
    BLYAN_CHECK(st.bindInt64(2, balance));
    BLYAN_CHECK(st.bindInt64(3, nonce));
    return st.run();
}

Status writeStake(storage::Database &db, const PublicKey &key, Amount amount)
{
    if (amount == 0) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM stakes WHERE pubkey = ?1"));
        BLYAN_CHECK(st.bindBlob(1, key));
        return st.run();
    }
    BLYAN_TRY(const auto value, toSqlInt(amount, "stake"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO stakes (pubkey, amount) VALUES (?1, ?2) "
                                        "ON CONFLICT (pubkey) DO UPDATE SET amount = ?2"));
    BLYAN_CHECK(st.bindBlob(1, key));
    BLYAN_CHECK(st.bindInt64(2, value));
    return st.run();
}

Status insertObject(storage::Database &db, const ObjectId &id, const StoredObject &o)
{
    BLYAN_TRY(const auto size, toSqlInt(o.record.size, "object size"));
    BLYAN_TRY(const auto height, toSqlInt(o.publishedHeight, "height"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO objects (id, chain, kind, name, payload_hash, size, "
                                        "merkle_root, published_height, publisher) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    BLYAN_CHECK(st.bindHash(1, id));
    BLYAN_CHECK(st.bindText(2, std::string(1, chain::objectChainLetter(o.record.chain))));
    BLYAN_CHECK(st.bindText(3, o.record.kind));
    BLYAN_CHECK(st.bindText(4, o.record.name));
    BLYAN_CHECK(st.bindHash(5, o.record.payloadHash));
    BLYAN_CHECK(st.bindInt64(6, size));
    BLYAN_CHECK(st.bindHash(7, o.record.chunkMerkleRoot));
    BLYAN_CHECK(st.bindInt64(8, height));
    BLYAN_CHECK(st.bindBlob(9, o.publisher));
    BLYAN_CHECK(st.run());
    for (const ObjectId &dep : o.record.dependsOn) {
        BLYAN_TRY(auto d, db.prepareCached("INSERT INTO object_deps (object, depends_on) VALUES (?1, ?2)"));
        BLYAN_CHECK(d.bindHash(1, id));
        BLYAN_CHECK(d.bindHash(2, dep));
        BLYAN_CHECK(d.run());
    }
    return {};
}

Status writeHead(storage::Database &db, const std::string &name, const ObjectId &id)
{
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO heads (name, object) VALUES (?1, ?2) "
                                        "ON CONFLICT (name) DO UPDATE SET object = ?2"));
    BLYAN_CHECK(st.bindText(1, name));
    BLYAN_CHECK(st.bindHash(2, id));
    return st.run();
}

Status writeSupply(storage::Database &db, const Supply &s, const LtHash &hash)
{
    BLYAN_TRY(const auto genesis, toSqlInt(s.genesis, "genesis supply"));
    BLYAN_TRY(const auto minted, toSqlInt(s.minted, "minted supply"));
    BLYAN_TRY(const auto burned, toSqlInt(s.burned, "burned supply"));
    BLYAN_TRY(const auto pool, toSqlInt(s.rewardPool, "reward pool"));
    BLYAN_TRY(auto st, db.prepareCached(
                           "INSERT INTO supply (id, genesis, minted, burned, reward_pool, state_hash) "
                           "VALUES (0, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET genesis = ?1, "
                           "minted = ?2, burned = ?3, reward_pool = ?4, state_hash = ?5"));
    BLYAN_CHECK(st.bindInt64(1, genesis));
    BLYAN_CHECK(st.bindInt64(2, minted));
    BLYAN_CHECK(st.bindInt64(3, burned));
    BLYAN_CHECK(st.bindInt64(4, pool));
    BLYAN_CHECK(st.bindBlob(5, hash.serialize()));
    return st.run();
}

}  // namespace blyan::ledger::store

namespace blyan::ledger::store {

Expected<std::optional<ConsensusRow>> readConsensus(storage::Database &db)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT epoch, previous_epoch FROM consensus WHERE id = 0"));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<ConsensusRow>();
    ConsensusRow c;
    BLYAN_TRY(c.epoch, column(st, 0, "consensus epoch"));
    BLYAN_TRY(c.previousEpoch, column(st, 1, "consensus previous epoch"));
    return std::optional<ConsensusRow>(c);
}

Status writeConsensus(storage::Database &db, const std::optional<ConsensusRow> &c)
{
    if (!c) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM consensus WHERE id = 0"));
        return st.run();
    }
    BLYAN_TRY(const auto epoch, toSqlInt(c->epoch, "epoch"));
    BLYAN_TRY(const auto previous, toSqlInt(c->previousEpoch, "previous epoch"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO consensus (id, epoch, previous_epoch) VALUES (0, ?1, ?2) "
                                        "ON CONFLICT (id) DO UPDATE SET epoch = ?1, previous_epoch = ?2"));
    BLYAN_CHECK(st.bindInt64(1, epoch));
    BLYAN_CHECK(st.bindInt64(2, previous));
    return st.run();
}

Expected<Amount> readValidator(storage::Database &db, const ValidatorKey &k)
{
    BLYAN_TRY(const auto epoch, toSqlInt(k.epoch, "epoch"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT stake FROM validators WHERE epoch = ?1 AND pubkey = ?2"));
    BLYAN_CHECK(st.bindInt64(1, epoch));
    BLYAN_CHECK(st.bindBlob(2, k.key));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return Amount(0);
    return column(st, 0, "validator stake");
}

Status writeValidator(storage::Database &db, const ValidatorKey &k, Amount stake)
{
    BLYAN_TRY(const auto epoch, toSqlInt(k.epoch, "epoch"));
    if (stake == 0) {
        BLYAN_TRY(auto st, db.prepareCached("DELETE FROM validators WHERE epoch = ?1 AND pubkey = ?2"));
        BLYAN_CHECK(st.bindInt64(1, epoch));
        BLYAN_CHECK(st.bindBlob(2, k.key));
        return st.run();
    }
    BLYAN_TRY(const auto value, toSqlInt(stake, "validator stake"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO validators (epoch, pubkey, stake) VALUES (?1, ?2, ?3) "
                                        "ON CONFLICT (epoch, pubkey) DO UPDATE SET stake = ?3"));
    BLYAN_CHECK(st.bindInt64(1, epoch));
    BLYAN_CHECK(st.bindBlob(2, k.key));
    BLYAN_CHECK(st.bindInt64(3, value));
    return st.run();
}

Expected<std::vector<std::pair<PublicKey, Amount>>> readValidatorSet(storage::Database &db, std::uint64_t epoch)
{
    BLYAN_TRY(const auto e, toSqlInt(epoch, "epoch"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT pubkey, stake FROM validators WHERE epoch = ?1 ORDER BY pubkey"));
    BLYAN_CHECK(st.bindInt64(1, e));
    std::vector<std::pair<PublicKey, Amount>> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(const PublicKey key, st.columnHash(0));
        BLYAN_TRY(const Amount stake, column(st, 1, "validator stake"));
        out.emplace_back(key, stake);
    }
    return out;
}

Expected<std::vector<std::pair<PublicKey, Amount>>> readStakes(storage::Database &db, Amount minimum)
{
    BLYAN_TRY(const auto m, toSqlInt(minimum, "minimum stake"));
    BLYAN_TRY(auto st, db.prepareCached("SELECT pubkey, amount FROM stakes WHERE amount >= ?1 ORDER BY pubkey"));
    BLYAN_CHECK(st.bindInt64(1, m));
    std::vector<std::pair<PublicKey, Amount>> out;
    for (;;) {
        BLYAN_TRY(const bool row, st.step());
        if (!row) break;
        BLYAN_TRY(const PublicKey key, st.columnHash(0));
        BLYAN_TRY(const Amount stake, column(st, 1, "stake"));
        out.emplace_back(key, stake);
    }
    return out;
}

Expected<std::optional<SlashRecord>> readSlash(storage::Database &db, const crypto::Hash256 &evidence)
{
    BLYAN_TRY(auto st, db.prepareCached("SELECT voter, height, amount FROM slashes WHERE evidence = ?1"));
    BLYAN_CHECK(st.bindHash(1, evidence));
    BLYAN_TRY(const bool row, st.step());
    if (!row) return std::optional<SlashRecord>();
    SlashRecord r;
    BLYAN_TRY(r.voter, st.columnHash(0));
    BLYAN_TRY(r.height, column(st, 1, "slash height"));
    BLYAN_TRY(r.amount, column(st, 2, "slashed amount"));
    return std::optional<SlashRecord>(r);
}

Status insertSlash(storage::Database &db, const crypto::Hash256 &evidence, const SlashRecord &r)
{
    BLYAN_TRY(const auto height, toSqlInt(r.height, "height"));
    BLYAN_TRY(const auto amount, toSqlInt(r.amount, "slashed amount"));
    BLYAN_TRY(auto st, db.prepareCached("INSERT INTO slashes (evidence, voter, height, amount) VALUES (?1, ?2, ?3, ?4)"));
    BLYAN_CHECK(st.bindHash(1, evidence));
    BLYAN_CHECK(st.bindBlob(2, r.voter));
    BLYAN_CHECK(st.bindInt64(3, height));
    BLYAN_CHECK(st.bindInt64(4, amount));
    return st.run();
}

Status deleteSlash(storage::Database &db, const crypto::Hash256 &evidence)
{
    BLYAN_TRY(auto st, db.prepareCached("DELETE FROM slashes WHERE evidence = ?1"));
    BLYAN_CHECK(st.bindHash(1, evidence));
    return st.run();
}

Status deleteAccount(storage::Database &db, const PublicKey &key)
{
    BLYAN_TRY(auto st, db.prepareCached("DELETE FROM accounts WHERE pubkey = ?1"));
    BLYAN_CHECK(st.bindBlob(1, key));
    return st.run();
}

Status deleteObject(storage::Database &db, const ObjectId &id)
{
    BLYAN_TRY(auto deps, db.prepareCached("DELETE FROM object_deps WHERE object = ?1"));
    BLYAN_CHECK(deps.bindHash(1, id));
    BLYAN_CHECK(deps.run());
    BLYAN_TRY(auto st, db.prepareCached("DELETE FROM objects WHERE id = ?1"));
    BLYAN_CHECK(st.bindHash(1, id));
    return st.run();
}

Status deleteHead(storage::Database &db, const std::string &name)
{
    BLYAN_TRY(auto st, db.prepareCached("DELETE FROM heads WHERE name = ?1"));
    BLYAN_CHECK(st.bindText(1, name));
    return st.run();
}

}  // namespace blyan::ledger::store
