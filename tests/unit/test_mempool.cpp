// The transaction pool: fee-rate ordering with nonce order kept, queued gaps, replacement, duplicate,
// stale nonce, overspend, per-account and pool limits with eviction, expiry, the after-block cleanup,
// and a randomized run checking every selection. Real keys and real signatures throughout.

#include "chain/tx_kinds/transfer.h"
#include "ledger/mempool.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <map>
#include <memory>

using namespace blyan;
using namespace blyan::ledger;
using chain::TransferBody;

namespace {

const std::uint32_t kNet = networkParams(Network::Devnet).networkId;

// An in-memory ledger: what the SQLite ledger provides to the pool, for a unit test of the pool.
struct MapView : AccountView {
    std::map<PublicKey, AccountState> accounts;
    Expected<AccountState> account(const PublicKey &key) const override
    {
        auto it = accounts.find(key);
        return it == accounts.end() ? AccountState{} : it->second;
    }
};

// What a transfer takes from its sender: amount plus fee (the ledger's hook does this per kind).
Expected<Amount> transferSpend(const Transaction &tx)
{
    BLYAN_TRY(const TransferBody body, chain::transactionBody<TransferBody>(tx));
    return chain::checkedAdd(body.amount, tx.fee, "spend");
}

Transaction transfer(const crypto::KeyPair &from, std::uint64_t nonce, Amount fee, Amount amount = 1,
                     const PublicKey &to = crypto::KeyPair::generate().publicKey())
{
    Transaction tx = chain::makeTransaction(kNet, nonce, fee, TransferBody{to, amount});
    chain::signTransaction(tx, from);
    return tx;
}

std::vector<std::uint64_t> noncesOf(const std::vector<Transaction> &txs, const PublicKey &from)
{
    std::vector<std::uint64_t> out;
    for (const auto &tx : txs)
        if (tx.from == from) out.push_back(tx.nonce);
    return out;
}

std::size_t encodedSize(const std::vector<Transaction> &txs)
{
    std::size_t n = 0;
    for (const auto &tx : txs) n += chain::encodeTransaction(tx).size();
    return n;
}

}  // namespace

class TestMempool : public QObject {
    Q_OBJECT

    MapView view;
    std::vector<std::unique_ptr<crypto::KeyPair>> keys;

    const crypto::KeyPair &key(std::size_t i)
    {
        while (keys.size() <= i) {
            keys.push_back(std::make_unique<crypto::KeyPair>(crypto::KeyPair::generate()));
            view.accounts[keys.back()->publicKey()] = AccountState{1'000'000 * chain::kCoin, 0};
        }
        return *keys[i];
    }
    std::unique_ptr<Mempool> pool(MempoolLimits limits = {})
    {
        return std::make_unique<Mempool>(Network::Devnet, view, limits, transferSpend);
    }
    static void expectError(const Expected<AddResult> &r, const char *needle)
    {
        QVERIFY2(!r, "accepted a transaction that must be rejected");
        QVERIFY2(r.error().message.find(needle) != std::string::npos, r.error().message.c_str());
        QVERIFY2(r.error().message.find("transaction ") == 0, r.error().message.c_str());  // names it
    }

private Q_SLOTS:
    void init()
    {
        view.accounts.clear();
        keys.clear();
    }

    void ordersByFeeRateKeepingNonceOrder()
    {
        auto p = pool();
        const auto &a = key(0), &b = key(1), &c = key(2);
        QVERIFY(p->add(transfer(a, 0, 10), 0));
        QVERIFY(p->add(transfer(a, 1, 100'000), 0));  // rich, but behind a's cheap nonce 0
        QVERIFY(p->add(transfer(b, 0, 1000), 0));
        QVERIFY(p->add(transfer(c, 0, 500), 0));
        auto sel = p->selectForBlock(100, 1 << 20, view);
        QCOMPARE(sel.size(), std::size_t(4));
        QVERIFY(sel[0].from == b.publicKey() && sel[1].from == c.publicKey());
        QVERIFY(sel[2].from == a.publicKey() && sel[2].nonce == 0 && sel[3].nonce == 1);
        // Count and byte limits.
        QCOMPARE(p->selectForBlock(2, 1 << 20, view).size(), std::size_t(2));
        const std::size_t one = chain::encodeTransaction(sel[0]).size();
        QCOMPARE(p->selectForBlock(100, one, view).size(), std::size_t(1));
        // b and c do not fit; a's nonce 0 (a 1-byte fee varint) still does, its nonce 1 then not.
        const auto small = p->selectForBlock(100, one - 1, view);
        QVERIFY(small.size() == 1 && small[0].from == a.publicKey() && small[0].nonce == 0);
        QCOMPARE(p->selectForBlock(100, one - 2, view).size(), std::size_t(0));
        // Selecting does not remove; queries.
        QCOMPARE(p->size(), std::size_t(4));
        QCOMPARE(p->bytes(), encodedSize(sel));
        QCOMPARE(p->txids().size(), std::size_t(4));
        const TxId id = chain::transactionId(sel[0]);
        QVERIFY(p->contains(id));
        QVERIFY(p->get(id) && *p->get(id) == sel[0]);
        QCOMPARE(noncesOf(p->pending(a.publicKey()), a.publicKey()), (std::vector<std::uint64_t>{0, 1}));
    }

    void gapsAreQueuedThenReleased()
    {
        MempoolLimits limits;
        limits.maxNonceGap = 3;
        auto p = pool(limits);
        const auto &a = key(0);
        view.accounts[a.publicKey()].nonce = 5;
        auto r = p->add(transfer(a, 7, 1), 0);
        QVERIFY(r && !r->ready);
        QVERIFY(p->selectForBlock(100, 1 << 20, view).empty());
        expectError(p->add(transfer(a, 9, 1), 0), "too far ahead");  // next usable is 5: skips 4 > 3
        r = p->add(transfer(a, 5, 1), 0);
        QVERIFY(r && r->ready);
        QCOMPARE(noncesOf(p->selectForBlock(100, 1 << 20, view), a.publicKey()), (std::vector<std::uint64_t>{5}));
        QVERIFY(p->add(transfer(a, 6, 1), 0));
        QCOMPARE(noncesOf(p->selectForBlock(100, 1 << 20, view), a.publicKey()),
                 (std::vector<std::uint64_t>{5, 6, 7}));
        QVERIFY(p->add(transfer(a, 11, 1), 0));  // next usable is now 8: skipping 3 is allowed
    }

    void replacementNeedsAFeeBump()
    {
        auto p = pool();
        const auto &a = key(0);
        auto first = p->add(transfer(a, 0, 1000), 0);
        QVERIFY(first);
        expectError(p->add(transfer(a, 0, 1099), 0), "replacement needs a fee of at least 0.000011 BLY");
        auto second = p->add(transfer(a, 0, 1100), 0);
        QVERIFY(second && second->replaced && *second->replaced == first->id);
        QCOMPARE(p->size(), std::size_t(1));
        QVERIFY(!p->contains(first->id) && p->contains(second->id));
        QCOMPARE(p->bytes(), encodedSize(p->pending(a.publicKey())));
    }

    void duplicateAndStaleNonceAndBadTransactionsAreRejected()
    {
        auto p = pool();
        const auto &a = key(0);
        const Transaction tx = transfer(a, 3, 10);
        view.accounts[a.publicKey()].nonce = 3;
        QVERIFY(p->add(tx, 0));
        auto dup = p->add(tx, 0);
        expectError(dup, "already in the pool");
        QCOMPARE(dup.error().code, ErrorCode::AlreadyExists);
        expectError(p->add(transfer(a, 2, 10), 0), "nonce 2 already used; next is 3");
        Transaction forged = transfer(a, 4, 10);
        forged.fee = 11;  // after signing
        expectError(p->add(forged, 0), "signature");
        Transaction otherNet = chain::makeTransaction(kNet + 1, 4, 10, TransferBody{key(1).publicKey(), 1});
        chain::signTransaction(otherNet, a);
        expectError(p->add(otherNet, 0), "network");
        QCOMPARE(p->size(), std::size_t(1));
    }

    void overspendIsRejected()
    {
        auto p = pool();
        const auto &a = key(0);
        view.accounts[a.publicKey()].balance = 1000;
        QVERIFY(p->add(transfer(a, 0, 10, 600), 0));
        expectError(p->add(transfer(a, 1, 10, 400), 0), "balance is 0.00001 BLY");
        QVERIFY(p->add(transfer(a, 1, 10, 380), 0));  // exactly the balance
        // A replacement is judged without the spend it replaces.
        QVERIFY(p->add(transfer(a, 1, 11, 379), 0));
        expectError(p->add(transfer(a, 1, 20, 380), 0), "balance");
        // The default hook counts the fee only.
        Mempool feeOnly(Network::Devnet, view);
        QVERIFY(feeOnly.add(transfer(a, 0, 1000, 999'999), 0));
        expectError(feeOnly.add(transfer(a, 1, 1), 0), "balance");
    }

    void perAccountLimit()
    {
        MempoolLimits limits;
        limits.maxPerAccount = 4;
        auto p = pool(limits);
        const auto &a = key(0);
        for (std::uint64_t n = 0; n < 4; ++n) QVERIFY(p->add(transfer(a, n, 10), 0));
        expectError(p->add(transfer(a, 4, 10), 0), "4 transactions pending (limit 4)");
        QVERIFY(p->add(transfer(a, 3, 20), 0));  // replacing does not add
        QVERIFY(p->add(transfer(key(1), 0, 10), 0));  // another account is not affected
    }

    void fullPoolEvictsTheCheapestTailOfOtherAccounts()
    {
        MempoolLimits limits;
        limits.maxTxs = 3;
        auto p = pool(limits);
        const auto &a = key(0), &b = key(1), &c = key(2), &d = key(3);
        auto a0 = p->add(transfer(a, 0, 1000), 0);
        auto a1 = p->add(transfer(a, 1, 1000), 0);
        QVERIFY(a0 && a1 && p->add(transfer(b, 0, 2000), 0));
        expectError(p->add(transfer(c, 0, 900), 0), "pool full; fee rate above");
        // Pays more than a's tail: a's last nonce goes, never its first.
        auto r = p->add(transfer(c, 0, 5000), 0);
        QVERIFY(r);
        QCOMPARE(r->evicted, std::vector<TxId>{a1->id});
        QVERIFY(p->contains(a0->id) && !p->contains(a1->id));
        // The sender's own transactions are never evicted for it.
        MempoolLimits two;
        two.maxTxs = 2;
        Mempool o(Network::Devnet, view, two, transferSpend);
        QVERIFY(o.add(transfer(a, 0, 1), 0) && o.add(transfer(a, 1, 1), 0));
        expectError(o.add(transfer(a, 2, 100'000), 0), "only the sender's own");
        // A cheap first nonce behind an expensive tail is protected by that tail.
        Mempool q(Network::Devnet, view, limits, transferSpend);
        QVERIFY(q.add(transfer(a, 0, 1), 0) && q.add(transfer(a, 1, 100'000), 0) && q.add(transfer(b, 0, 50'000), 0));
        expectError(q.add(transfer(d, 0, 40'000), 0), "pool full");  // a0 pays 1 but is not a tail
        auto ok = q.add(transfer(d, 0, 60'000), 0);                // beats b0
        QVERIFY(ok && ok->evicted.size() == 1 && !q.contains(chain::transactionId(transfer(b, 0, 50'000))));
        // Byte limit: room for one more transaction only when the cheapest leaves.
        MempoolLimits byBytes;
        const std::size_t sz = chain::encodeTransaction(transfer(a, 0, 1000)).size();
        byBytes.maxBytes = 2 * sz;
        Mempool s(Network::Devnet, view, byBytes, transferSpend);
        QVERIFY(s.add(transfer(a, 0, 1000), 0) && s.add(transfer(b, 0, 2000), 0));
        auto e = s.add(transfer(c, 0, 3000), 0);
        QVERIFY(e && e->evicted.size() == 1);
        QVERIFY(s.bytes() <= byBytes.maxBytes && s.pending(a.publicKey()).empty());
    }

    void expiry()
    {
        auto p = pool();
        const auto &a = key(0), &b = key(1);
        auto old = p->add(transfer(a, 0, 10), 0);
        auto young = p->add(transfer(b, 0, 10), 1000);
        QVERIFY(old && young);
        const std::int64_t hour = p->limits().maxAgeMs;
        QVERIFY(p->expire(hour - 1).empty());
        QCOMPARE(p->expire(hour), std::vector<TxId>{old->id});
        QCOMPARE(p->expire(hour + 1000), std::vector<TxId>{young->id});
        QCOMPARE(p->size(), std::size_t(0));
        QCOMPARE(p->bytes(), std::size_t(0));
    }

    void afterABlock()
    {
        auto p = pool();
        const auto &a = key(0), &b = key(1), &c = key(2);
        for (std::uint64_t n = 0; n < 3; ++n) QVERIFY(p->add(transfer(a, n, 100, 1000), 0));
        QVERIFY(p->add(transfer(b, 0, 50, 1000), 0));
        QVERIFY(p->add(transfer(b, 1, 50, 5000), 0));
        QVERIFY(p->add(transfer(c, 0, 10, 1000), 0));
        const auto block = p->selectForBlock(3, 1 << 20, view);
        QCOMPARE(noncesOf(block, a.publicKey()), (std::vector<std::uint64_t>{0, 1, 2}));
        // The ledger applies the block: a's nonce 3; meanwhile b spent most of its balance and c's
        // nonce 0 went in with another transaction (from another node's pool).
        view.accounts[a.publicKey()].nonce = 3;
        view.accounts[b.publicKey()] = AccountState{2000, 0};
        view.accounts[c.publicKey()].nonce = 1;
        QCOMPARE(p->removeIncluded(block), std::size_t(3));
        auto dropped = p->revalidate(view);
        QVERIFY(dropped);
        QCOMPARE(dropped->size(), std::size_t(2));  // b's nonce 1 (cannot be paid) and c's nonce 0
        QCOMPARE(p->size(), std::size_t(1));
        QCOMPARE(noncesOf(p->pending(b.publicKey()), b.publicKey()), (std::vector<std::uint64_t>{0}));
        // A block carrying b's nonce 0 from elsewhere removes the pooled one with that nonce.
        QCOMPARE(p->removeIncluded({transfer(b, 0, 1)}), std::size_t(1));
        QCOMPARE(p->size(), std::size_t(0));
        QCOMPARE(p->bytes(), std::size_t(0));
    }

    // Thousands of transactions from 50 accounts with gaps, replacements, stale nonces and
    // overspends; every selection is nonce-contiguous per account from the state nonce, payable and
    // within its limits, and the pool's books always balance.
    void randomized()
    {
        MempoolLimits limits;
        limits.maxTxs = 80;  // small enough that the pool fills and evicts
        limits.maxPerAccount = 16;
        limits.maxNonceGap = 4;
        auto p = pool(limits);
        auto *rng = QRandomGenerator::global();
        for (std::size_t i = 0; i < 50; ++i) view.accounts[key(i).publicKey()].balance = 20'000 + rng->bounded(50'000);
        std::size_t accepted = 0, blocks = 0, queued = 0, replaced = 0, evicted = 0;
        for (int round = 0; round < 4000; ++round) {
            const auto &k = key(rng->bounded(50));
            const AccountState st = view.accounts[k.publicKey()];
            const std::uint64_t nonce = st.nonce + rng->bounded(8) - (rng->bounded(10) == 0 ? 1 : 0);
            const Amount fee = 1 + rng->bounded(1000), amount = 1 + rng->bounded(3000);
            auto r = p->add(transfer(k, nonce, fee, amount, key(rng->bounded(50)).publicKey()), round);
            if (r) {
                ++accepted;
                queued += !r->ready;
                replaced += r->replaced.has_value();
                evicted += r->evicted.size();
            }
            if (round % 40 != 39) continue;

            const std::size_t maxTxs = 1 + rng->bounded(80), maxBytes = 500 + rng->bounded(8000);
            const auto block = p->selectForBlock(maxTxs, maxBytes, view);
            QVERIFY(block.size() <= maxTxs && encodedSize(block) <= maxBytes);
            std::map<PublicKey, AccountState> after = view.accounts;
            for (const auto &tx : block) {
                AccountState &s = after[tx.from];
                QCOMPARE(tx.nonce, s.nonce);  // contiguous from the state nonce, in order
                const Amount spend = *transferSpend(tx);
                QVERIFY(spend <= s.balance);
                s.balance -= spend;
                ++s.nonce;
                after[chain::transactionBody<TransferBody>(tx)->to].balance += spend - tx.fee;
            }
            view.accounts = after;
            p->removeIncluded(block);
            QVERIFY(p->revalidate(view));
            if (round % 400 == 399) p->expire(round - 200 + p->limits().maxAgeMs);
            ++blocks;

            // Books: size, bytes, and every account's pending nonces above its state and payable.
            std::size_t count = 0, bytes = 0;
            for (const auto &[pk, s] : view.accounts) {
                const auto txs = p->pending(pk);
                Amount committed = 0;
                for (const auto &tx : txs) {
                    QVERIFY(tx.nonce >= s.nonce);
                    committed += *transferSpend(tx);
                }
                QVERIFY(committed <= s.balance);
                QVERIFY(txs.size() <= limits.maxPerAccount);
                count += txs.size();
                bytes += encodedSize(txs);
            }
            QCOMPARE(p->size(), count);
            QCOMPARE(p->txids().size(), count);
            QCOMPARE(p->bytes(), bytes);
            QVERIFY(count <= limits.maxTxs);
        }
        const QString counts = QStringLiteral("accepted %1 queued %2 replaced %3 evicted %4")
                                   .arg(accepted).arg(queued).arg(replaced).arg(evicted);
        qInfo("%s", qPrintable(counts));
        QVERIFY2(accepted > 1000 && queued > 0 && replaced > 0 && evicted > 0, qPrintable(counts));
        QCOMPARE(blocks, std::size_t(100));
    }
};

QTEST_GUILESS_MAIN(TestMempool)
#include "test_mempool.moc"
