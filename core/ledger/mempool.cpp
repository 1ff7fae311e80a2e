#include "ledger/mempool.h"

#include "chain/address.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <queue>

namespace blyan::ledger {

namespace {

__extension__ typedef unsigned __int128 u128;

// Fee rates are compared exactly as fractions: fee (< 2^64) times size (< 2^17) fits in 128 bits,
// where a double would misorder close rates.
bool lowerRate(Amount feeA, std::size_t sizeA, Amount feeB, std::size_t sizeB)
{
    return u128(feeA) * sizeB < u128(feeB) * sizeA;
}

std::string rateText(Amount fee, std::size_t size)
{
    const u128 centi = u128(fee) * 100 / size;
    const auto whole = static_cast<std::uint64_t>(centi / 100);
    const auto frac = static_cast<unsigned>(centi % 100);
    return std::to_string(whole) + (frac < 10 ? ".0" : ".") + std::to_string(frac) + " units/byte";
}

// The smallest fee that makes a transaction of `size` bytes pay a higher rate than fee/refSize.
Amount feeAbove(Amount fee, std::size_t refSize, std::size_t size)
{
    const u128 need = u128(fee) * size / refSize + 1;
    return need > std::numeric_limits<Amount>::max() ? std::numeric_limits<Amount>::max()
                                                     : static_cast<Amount>(need);
}

}  // namespace

bool Mempool::ByFeeRate::operator()(const Entry *a, const Entry *b) const
{
    if (lowerRate(a->tx.fee, a->size, b->tx.fee, b->size)) return true;
    if (lowerRate(b->tx.fee, b->size, a->tx.fee, a->size)) return false;
    return a->seq > b->seq;  // at equal rates the newcomer goes first, the older one keeps its place
}

Mempool::Mempool(Network network, const AccountView &state, MempoolLimits limits, SpendFn spendOf)
    : network_(network),
      networkId_(networkParams(network).networkId),
      state_(state),
      limits_(limits),
      spendOf_(spendOf ? std::move(spendOf) : SpendFn([](const Transaction &tx) -> Expected<Amount> {
          return tx.fee;
      }))
{
}

Mempool::~Mempool() = default;

std::string Mempool::describe(const Transaction &tx, const TxId &id) const
{
    return "transaction " + crypto::hashToHex(id) + " (from " + chain::formatAddress(network_, tx.from) +
           ", nonce " + std::to_string(tx.nonce) + ")";
}

Expected<AddResult> Mempool::add(Transaction tx, std::int64_t nowMs)
{
    const TxId id = chain::transactionId(tx);
    const std::string name = describe(tx, id);
    // Before the signature check: peers re-announce pooled transactions all the time.
    if (contains(id))
        return makeError(ErrorCode::AlreadyExists, name + " is already in the pool; wait for a block to include it");
    if (auto st = chain::checkTransaction(tx, networkId_); !st) return st.error().context(name);
    const std::size_t size = chain::encodeTransaction(tx).size();
    auto spend = spendOf_(tx);
    if (!spend) return spend.error().context(name);

    auto found = accounts_.find(tx.from);
    Account *acct = found == accounts_.end() ? nullptr : &found->second;
    Entry *replacing = nullptr;
    if (acct) {
        auto r = acct->byNonce.find(tx.nonce);
        if (r != acct->byNonce.end()) replacing = &r->second;
    }
    BLYAN_TRY(const AccountState state, checkAgainstState(tx, name, acct, replacing, *spend));
    BLYAN_TRY(const std::vector<Entry *> victims, planEviction(tx, name, size, replacing));

    // Every check passed: from here on nothing fails, so the pool never ends half-changed.
    AddResult result;
    result.id = id;
    for (Entry *v : victims) {
        result.evicted.push_back(v->id);
        erase(v);  // other accounts only: `acct` stays valid
    }
    Account &a = accounts_[tx.from];
    untrackTail(a);
    if (replacing) {
        result.replaced = replacing->id;
        unindex(a, *replacing);
        a.byNonce.erase(tx.nonce);
    }
    const std::uint64_t nonce = tx.nonce;
    Entry &e = a.byNonce[nonce];
    e = Entry{std::move(tx), id, size, *spend, nowMs, nextSeq_++};
    a.committed += e.spend;  // checkAgainstState proved it fits under the balance
    bytes_ += size;
    byId_.emplace(id, &e);
    byTime_.emplace(std::make_pair(nowMs, e.seq), &e);
    trackTail(a);

    result.ready = true;
    for (std::uint64_t n = state.nonce; n < nonce && result.ready; ++n) result.ready = a.byNonce.count(n) != 0;
    return result;
}

Expected<AccountState> Mempool::checkAgainstState(const Transaction &tx, const std::string &name,
                                                  const Account *acct, const Entry *replacing, Amount spend) const
{
    auto state = state_.account(tx.from);
    if (!state) return state.error().context(name + ": reading the sender's account");
    if (tx.nonce < state->nonce)
        return makeError(ErrorCode::InvalidArgument,
                         name + ": nonce " + std::to_string(tx.nonce) + " already used; next is " +
                             std::to_string(state->nonce) + ": sign it again with that nonce");
    if (replacing) {
        // A replacement must pay noticeably more, or anyone could churn the pool for free.
        const Amount old = replacing->tx.fee;
        u128 need = u128(old) + (u128(old) * limits_.replaceBumpPercent + 99) / 100;
        if (need == old) need = u128(old) + 1;
        if (u128(tx.fee) < need)
            return makeError(ErrorCode::InvalidArgument,
                             name + ": replacement needs a fee of at least " +
                                 chain::formatAmount(need > std::numeric_limits<Amount>::max()
                                                         ? std::numeric_limits<Amount>::max()
                                                         : static_cast<Amount>(need)) +
                                 " (the pooled transaction " + crypto::hashToHex(replacing->id) +
                                 " with this nonce pays " + chain::formatAmount(old) +
                                 "); raise the fee or wait for the pooled one to be included");
    } else {
        const std::size_t pendingCount = acct ? acct->byNonce.size() : 0;
        if (pendingCount >= limits_.maxPerAccount)
            return makeError(ErrorCode::LimitExceeded,
                             name + ": the sender already has " + std::to_string(pendingCount) +
                                 " transactions pending (limit " + std::to_string(limits_.maxPerAccount) +
                                 "); wait for some to be included");
        // The first nonce neither the state nor the pool has: a gap up to maxNonceGap past it is
        // queued, further is more likely a mistake than a plan, and would pin pool space.
        std::uint64_t next = state->nonce;
        while (acct && acct->byNonce.count(next)) ++next;
        if (tx.nonce > next && tx.nonce - next > limits_.maxNonceGap)
            return makeError(ErrorCode::LimitExceeded,
                             name + ": nonce " + std::to_string(tx.nonce) + " is too far ahead; the next nonce " +
                                 "the sender can use is " + std::to_string(next) + " and at most " +
                                 std::to_string(limits_.maxNonceGap) + " may be skipped: send nonces " +
                                 std::to_string(next) + ".." + std::to_string(tx.nonce - 1) + " first");
    }
    // Pending transactions count as spent: a sender cannot queue more than it owns.
    Amount committed = acct ? acct->committed : 0;
    if (replacing) committed -= replacing->spend;
    auto total = chain::checkedAdd(committed, spend, "committed amount");
    if (!total || *total > state->balance)
        return makeError(ErrorCode::InvalidArgument,
                         name + ": it spends " + chain::formatAmount(spend) + " but the sender's balance is " +
                             chain::formatAmount(state->balance) + ", of which " + chain::formatAmount(committed) +
                             " is committed by its other pending transactions; wait for them to be included "
                             "or send less");
    return *state;
}

Expected<std::vector<Mempool::Entry *>> Mempool::planEviction(const Transaction &tx, const std::string &name,
                                                              std::size_t size, const Entry *replacing)
{
    std::size_t count = byId_.size() + (replacing ? 0 : 1);
    std::size_t total = bytes_ + size - (replacing ? replacing->size : 0);
    std::vector<Entry *> victims;
    if (count <= limits_.maxTxs && total <= limits_.maxBytes) return victims;

    // Only an account's last nonce may go (evicting from the middle would strand the ones after it),
    // so candidates are the tails in ascending fee rate, merged with the predecessors that each
    // eviction exposes. The sender's own transactions are never evicted for it.
    auto higherFirst = [](const Entry *a, const Entry *b) { return ByFeeRate{}(b, a); };
    std::priority_queue<Entry *, std::vector<Entry *>, decltype(higherFirst)> exposed(higherFirst);
    auto tail = tails_.begin();
    const Entry *dearest = nullptr;
    while (count > limits_.maxTxs || total > limits_.maxBytes) {
        while (tail != tails_.end() && (*tail)->tx.from == tx.from) ++tail;
        Entry *next = nullptr;
        if (tail != tails_.end() && (exposed.empty() || ByFeeRate{}(*tail, exposed.top()))) {
            next = *tail++;
        } else if (!exposed.empty()) {
            next = exposed.top();
            exposed.pop();
        } else {
            return makeError(ErrorCode::LimitExceeded,
                             name + ": pool full and only the sender's own pending transactions could make "
                                    "room; wait for them to be included");
        }
        victims.push_back(next);
        --count;
        total -= next->size;
        if (!dearest || ByFeeRate{}(dearest, next)) dearest = next;
        const Account &a = accounts_.find(next->tx.from)->second;
        auto pos = a.byNonce.find(next->tx.nonce);
        if (pos != a.byNonce.begin()) exposed.push(const_cast<Entry *>(&std::prev(pos)->second));
    }
    if (!lowerRate(dearest->tx.fee, dearest->size, tx.fee, size)) {
        const Amount needFee = feeAbove(dearest->tx.fee, dearest->size, size);
        return makeError(ErrorCode::LimitExceeded,
                         name + ": pool full; fee rate above " + rateText(dearest->tx.fee, dearest->size) +
                             " needed (it pays " + rateText(tx.fee, size) + "): raise the fee to at least " +
                             chain::formatAmount(needFee) + " or retry later");
    }
    return victims;
}

void Mempool::unindex(Account &a, const Entry &e)
{
    byId_.erase(e.id);
    byTime_.erase(std::make_pair(e.addedMs, e.seq));
    bytes_ -= e.size;
    a.committed -= e.spend;
}

void Mempool::erase(Entry *e)
{
    const PublicKey from = e->tx.from;
    auto it = accounts_.find(from);
    Account &a = it->second;
    untrackTail(a);
    unindex(a, *e);
    a.byNonce.erase(e->tx.nonce);
    if (a.byNonce.empty())
        accounts_.erase(it);
    else
        trackTail(a);
}

void Mempool::untrackTail(Account &a)
{
    if (!a.byNonce.empty()) tails_.erase(&a.byNonce.rbegin()->second);
}

void Mempool::trackTail(Account &a)
{
    if (!a.byNonce.empty()) tails_.insert(&a.byNonce.rbegin()->second);
}

std::vector<Transaction> Mempool::selectForBlock(std::size_t maxTxs, std::size_t maxBytes,
                                                 const AccountView &state) const
{
    // One head per account (its next executable nonce); the best head goes in, then that account's
    // following nonce becomes its head. Greedy by head keeps nonce order within each account.
    struct Head {
        std::map<std::uint64_t, Entry>::const_iterator pos, end;
        Amount left;  // balance not yet spent by this block
    };
    auto worseHead = [](const Head &a, const Head &b) { return ByFeeRate{}(&a.pos->second, &b.pos->second); };
    std::priority_queue<Head, std::vector<Head>, decltype(worseHead)> heads(worseHead);
    for (const auto &[key, a] : accounts_) {
        auto st = state.account(key);
        if (!st) continue;  // an unreadable account waits for the next block rather than failing this one
        auto pos = a.byNonce.find(st->nonce);
        if (pos != a.byNonce.end()) heads.push(Head{pos, a.byNonce.end(), st->balance});
    }
    std::vector<Transaction> out;
    std::size_t used = 0;
    while (!heads.empty() && out.size() < maxTxs) {
        Head h = heads.top();
        heads.pop();
        const Entry &e = h.pos->second;
        // Does not fit or cannot be paid: this account's later nonces cannot go before it.
        if (used + e.size > maxBytes || e.spend > h.left) continue;
        out.push_back(e.tx);
        used += e.size;
        h.left -= e.spend;
        const std::uint64_t nonce = h.pos->first;
        if (++h.pos != h.end && h.pos->first == nonce + 1) heads.push(h);
    }
    return out;
}

std::size_t Mempool::removeIncluded(const std::vector<Transaction> &blockTxs)
{
    std::size_t removed = 0;
    for (const Transaction &tx : blockTxs) {
        // The block used (from, nonce) and, by nonce order, every lower nonce of the sender.
        auto it = accounts_.find(tx.from);
        while (it != accounts_.end() && it->second.byNonce.begin()->first <= tx.nonce) {
            Entry *e = &it->second.byNonce.begin()->second;
            const bool last = it->second.byNonce.size() == 1;
            erase(e);
            ++removed;
            if (last) break;  // erase() dropped the account
        }
    }
    return removed;
}

Expected<std::vector<TxId>> Mempool::revalidate(const AccountView &state)
{
    std::vector<PublicKey> keys;
    keys.reserve(accounts_.size());
    for (const auto &[key, a] : accounts_) keys.push_back(key);
    std::vector<TxId> dropped;
    for (const PublicKey &key : keys) {
        auto st = state.account(key);
        if (!st) return st.error().context("revalidating the transaction pool");
        std::vector<Entry *> doomed;
        Amount spent = 0;
        bool unpayable = false;
        for (auto &[nonce, e] : accounts_.find(key)->second.byNonce) {
            // Once one cannot be paid, the later nonces can never execute either.
            if (!unpayable && nonce >= st->nonce) {
                unpayable = e.spend > st->balance - spent;  // spent <= balance holds here
                if (!unpayable) spent += e.spend;
            }
            if (nonce < st->nonce || unpayable) doomed.push_back(&e);
        }
        for (Entry *e : doomed) {
            dropped.push_back(e->id);
            erase(e);
        }
    }
    return dropped;
}

std::vector<TxId> Mempool::expire(std::int64_t nowMs)
{
    std::vector<TxId> expired;
    while (!byTime_.empty() && nowMs - byTime_.begin()->first.first >= limits_.maxAgeMs) {
        Entry *e = byTime_.begin()->second;
        expired.push_back(e->id);
        erase(e);
    }
    return expired;
}

std::optional<Transaction> Mempool::get(const TxId &id) const
{
    auto it = byId_.find(id);
    if (it == byId_.end()) return std::nullopt;
    return it->second->tx;
}

std::vector<TxId> Mempool::txids() const
{
    std::vector<TxId> out;
    out.reserve(byId_.size());
    for (const auto &[key, a] : accounts_)
        for (const auto &[nonce, e] : a.byNonce) out.push_back(e.id);
    return out;
}

std::vector<Transaction> Mempool::pending(const PublicKey &from) const
{
    std::vector<Transaction> out;
    auto it = accounts_.find(from);
    if (it == accounts_.end()) return out;
    for (const auto &[nonce, e] : it->second.byNonce) out.push_back(e.tx);
    return out;
}

Amount Mempool::lowestFeeRate() const
{
    if (tails_.empty()) return 0;
    const Entry *e = *tails_.begin();
    return e->size ? (e->tx.fee + e->size - 1) / e->size : e->tx.fee;
}

}  // namespace blyan::ledger
