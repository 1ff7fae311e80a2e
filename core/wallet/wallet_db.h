#pragma once
// wallet.sqlite: what the wallet knows that is not secret — the addresses it handed out and their labels,
// the address book, the history of its transactions with their status, and bookkeeping (how far the
// chain was scanned). Losing it loses nothing: the keystore and a rescan of the chain rebuild it (labels
// and the address book come back from a backup).

#include "chain/amount.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "storage/database.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace blyan::wallet {

struct WalletAddress {
    std::uint32_t index = 0;
    crypto::PublicKey key{};
    QString label;
};

struct BookEntry {
    QString address;
    QString label;
};

// One transaction as the wallet sees it.
struct WalletTx {
    crypto::Hash256 txid{};
    QString kind;          // transfer, stake, unstake, publish_object, ...
    QString direction;     // sent, received, self
    QString counterparty;  // the other side's address (empty for stake/unstake)
    chain::Amount amount = 0;
    chain::Amount fee = 0;  // paid by the wallet (0 for received)
    QString status;        // pending, confirmed, final, dropped
    std::optional<std::uint64_t> height;
    std::int64_t timeMs = 0;  // block time, or when it was sent while pending
    crypto::PublicKey from{};
    std::uint64_t nonce = 0;
};

struct HistoryFilter {
    QString direction, kind, status;
    QString search;  // substring of txid hex, counterparty address or label
    int limit = 100;
    int skip = 0;
};

class WalletDb {
public:
    static Expected<WalletDb> open(const QString &path);

    Expected<std::optional<QString>> meta(const QString &key);
    Status setMeta(const QString &key, const QString &value);

    Expected<std::vector<WalletAddress>> addresses();
    Status addAddress(const WalletAddress &a, std::int64_t nowMs);
    Status setAddressLabel(std::uint32_t index, const QString &label);

    Expected<std::vector<BookEntry>> addressBook();
    Status setBookEntry(const QString &address, const QString &label);
    Expected<bool> removeBookEntry(const QString &address);

    // Inserts or replaces by txid.
    Status putTx(const WalletTx &tx);
    Expected<std::optional<WalletTx>> tx(const crypto::Hash256 &txid);
    Expected<std::vector<WalletTx>> pendingTxs();
    // Newest first; the label of the counterparty comes from the address book or own addresses.
    Expected<std::vector<WalletTx>> history(const HistoryFilter &filter);
    Expected<std::int64_t> txCount();
    // Confirmed rows at or below `height` become final.
    Status markFinal(std::uint64_t height);

    storage::Database &db() { return db_; }

private:
    explicit WalletDb(storage::Database db) : db_(std::move(db)) {}
    storage::Database db_;
};

}  // namespace blyan::wallet
