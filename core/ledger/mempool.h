#pragma once
// The transaction pool: signed transactions waiting for a block (DESIGN.md section 4, issue 3).
//
// Independent of storage: the pool reads account state through AccountView, which the ledger
// implements over SQLite (and tests over a map). Per account it keeps transactions by nonce; the ones
// from the account's state nonce upwards without a gap are "ready", the ones behind a gap "queued"
// until the missing nonces arrive. Blocks take ready transactions, highest fee rate (fee per byte of
// the encoding) first across accounts, strictly in nonce order within an account.
//
// Threading: a Mempool is owned by one thread, the node's validation thread, and has no lock inside.
// Every mutation needs the AccountView of the same moment anyway, and the ledger is driven from that
// thread; other threads (RPC) post requests to it instead of sharing the pool.
//
// Every rejection is an Error naming the transaction and saying what to do: it reaches RPC callers of
// sendrawtransaction unchanged.

#include "chain/transaction.h"
#include "ledger/account.h"
#include "util/network.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace blyan::ledger {

using chain::Amount;
using chain::Transaction;
using chain::TxId;
using crypto::PublicKey;

// The mempool sees the same account state the ledger stores.
using AccountState = Account;

// The ledger's view of accounts. An account that never received anything is {0, 0}, not an error;
// an error means the state cannot be read (database), and the pool passes it on.
class AccountView {
public:
    virtual ~AccountView() = default;
    virtual Expected<AccountState> account(const PublicKey &key) const = 0;
};

struct MempoolLimits {
    std::size_t maxTxs = 50'000;               // ~ 10 full devnet blocks
    std::size_t maxBytes = 32 * 1024 * 1024;   // 32 MiB of encodings
    std::size_t maxPerAccount = 64;            // pending transactions of one sender
    std::uint64_t maxNonceGap = 16;            // missing nonces a queued transaction may skip
    unsigned replaceBumpPercent = 10;          // fee increase a same-nonce replacement must pay
    std::int64_t maxAgeMs = 60 * 60 * 1000;    // expire() drops what waited longer
};

// Everything the transaction takes from the sender's balance, fee included. The ledger provides it
// from each kind's body (transfer amount, stake...); the default counts the fee only.
using SpendFn = std::function<Expected<Amount>(const Transaction &)>;

struct AddResult {
    TxId id{};
    bool ready = false;               // executable now (no nonce gap before it)
    std::optional<TxId> replaced;     // the same-nonce transaction it replaced
    std::vector<TxId> evicted;        // other accounts' transactions dropped to make room
};

class Mempool {
public:
    // `state` is read by add() and must outlive the pool.
    Mempool(Network network, const AccountView &state, MempoolLimits limits = {}, SpendFn spendOf = {});
    Mempool(const Mempool &) = delete;
    Mempool &operator=(const Mempool &) = delete;
    ~Mempool();

    Expected<AddResult> add(Transaction tx, std::int64_t nowMs);

    // Ready transactions for a block under `state`: highest fee rate first across accounts, each
    // account's from its state nonce upwards without a gap and within its balance.
    std::vector<Transaction> selectForBlock(std::size_t maxTxs, std::size_t maxBytes,
                                            const AccountView &state) const;

    // After a block: drop its transactions and every pooled one whose (from, nonce) it used up.
    // Returns how many left the pool.
    std::size_t removeIncluded(const std::vector<Transaction> &blockTxs);
    // After a block: drop what the new state makes invalid (nonce used, no longer payable, and what
    // follows an unpayable one in its account). On a state read error the accounts already visited
    // are revalidated and the error is returned; the pool stays consistent.
    Expected<std::vector<TxId>> revalidate(const AccountView &state);
    // Drops transactions that entered the pool maxAgeMs or more before nowMs.
    std::vector<TxId> expire(std::int64_t nowMs);

    std::size_t size() const { return byId_.size(); }
    std::size_t bytes() const { return bytes_; }
    bool contains(const TxId &id) const { return byId_.count(id) != 0; }
    std::optional<Transaction> get(const TxId &id) const;
    std::vector<TxId> txids() const;  // for getrawmempool, by sender then nonce
    std::vector<Transaction> pending(const PublicKey &from) const;  // in nonce order
    const MempoolLimits &limits() const { return limits_; }
    // The fee per byte (rounded up) of the cheapest transaction eviction would take first; 0 when empty.
    Amount lowestFeeRate() const;

private:
    struct Entry {
        Transaction tx;
        TxId id{};
        std::size_t size = 0;   // encoded bytes
        Amount spend = 0;       // spendOf(tx)
        std::int64_t addedMs = 0;
        std::uint64_t seq = 0;  // arrival order: ties and the time index
    };
    struct Account {
        std::map<std::uint64_t, Entry> byNonce;  // map nodes never move: Entry * stay valid
        Amount committed = 0;                    // sum of spend over byNonce
    };
    struct ByFeeRate {  // ascending fee rate; ties: newest first (evicted first)
        bool operator()(const Entry *a, const Entry *b) const;
    };

    Expected<AccountState> checkAgainstState(const Transaction &tx, const std::string &name,
                                             const Account *acct, const Entry *replacing, Amount spend) const;
    Expected<std::vector<Entry *>> planEviction(const Transaction &tx, const std::string &name,
                                                std::size_t size, const Entry *replacing);
    void unindex(Account &a, const Entry &e);  // from every index but byNonce
    void erase(Entry *e);
    void untrackTail(Account &a);
    void trackTail(Account &a);
    std::string describe(const Transaction &tx, const TxId &id) const;

    Network network_;
    std::uint32_t networkId_;
    const AccountView &state_;
    MempoolLimits limits_;
    SpendFn spendOf_;
    std::map<PublicKey, Account> accounts_;
    std::unordered_map<TxId, Entry *, crypto::Hash256Hasher> byId_;
    std::set<Entry *, ByFeeRate> tails_;  // each account's highest nonce: what eviction may take
    std::map<std::pair<std::int64_t, std::uint64_t>, Entry *> byTime_;  // (added, seq)
    std::size_t bytes_ = 0;
    std::uint64_t nextSeq_ = 0;
};

}  // namespace blyan::ledger
