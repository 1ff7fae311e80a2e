#pragma once
// NodeWallet: the wallet inside the node (issue 4). It owns the keys (wallet/wallet_keys.h) and
// wallet.sqlite, follows the chain for the wallet's history (scan after every block), builds, signs and
// submits transfers and stakes through NodeChain, locks itself when its unlock time runs out, and funds
// itself from the validator on a devnet. Every method of docs/rpc.md "Wallet" is a method here; the RPC
// server and the GUI (Node::callWallet) both end up in them.
//
// Threading: lives on the node worker thread and is used from there only, like NodeChain.

#include "chain/amount.h"
#include "chain/transaction.h"
#include "node/node_status.h"
#include "util/network.h"
#include "wallet/wallet_db.h"
#include "wallet/wallet_keys.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace blyan::wallet {
class SecretStore;
}

namespace blyan::node {

class NodeChain;
using WalletReply = std::function<void(Expected<QJsonValue>)>;

// Funding a devnet gives a new wallet (DESIGN.md: try sending and voting at once).
inline constexpr chain::Amount kDevnetWalletFunding = 10'000 * chain::kCoin;
// Argon2id cost target for a new keystore on this CPU.
inline constexpr int kKeystoreKdfTargetMs = 500;
// How long a new wallet stays unlocked after createwallet.
inline constexpr int kUnlockAfterCreateSeconds = 300;

class NodeWallet {
public:
    // Opens wallet.sqlite (creating <datadir>/wallet/) and the keystore when there is one (locked).
    // `chain` may be null (a testnet without genesis): the wallet then shows its keys but cannot send.
    static Expected<std::unique_ptr<NodeWallet>> open(Network network, const QString &dataDir, NodeChain *chain);
    ~NodeWallet();

    // Follows the chain: new blocks into the history, pending rows confirmed/finalised or dropped.
    // Returns true when something the wallet shows changed.
    bool sync();
    // Locks when the unlock time ran out. Returns true when it locked.
    bool tick(std::int64_t nowMs);
    void fillStatus(NodeStatus &s);

    // docs/rpc.md "Wallet". Parameters are already type-checked by the caller where the table can.
    Expected<QJsonValue> getWalletInfo();
    Expected<QJsonValue> generateMnemonic();
    Expected<QJsonValue> validateMnemonic(const crypto::SecureBytes &phrase);
    Expected<QJsonValue> createWallet(const crypto::SecureBytes &passphrase, const crypto::SecureBytes &mnemonic,
                                      const crypto::SecureBytes &bip39Passphrase);
    Expected<QJsonValue> unlock(const crypto::SecureBytes &passphrase, qint64 timeoutSeconds);
    Expected<QJsonValue> lock();
    Expected<QJsonValue> changePassphrase(const crypto::SecureBytes &oldPassphrase,
                                          const crypto::SecureBytes &newPassphrase);
    Expected<QJsonValue> showMnemonic(const crypto::SecureBytes &passphrase);
    Expected<QJsonValue> getNewAddress(const QString &label);
    Expected<QJsonValue> validateAddress(const QString &address);
    Expected<QJsonValue> setLabel(const QString &address, const QString &label);
    Expected<QJsonValue> listAddressBook();
    Expected<QJsonValue> removeAddressBookEntry(const QString &address);
    Expected<QJsonValue> estimateFee();
    Expected<QJsonValue> sendToAddress(const QString &address, const QString &amount, const QString &fee,
                                       const QString &label);
    Expected<QJsonValue> stake(const QString &amount, const QString &fee, bool unstake);
    Expected<QJsonValue> listTransactions(int count, int skip, const QJsonObject &filter);
    Expected<QJsonValue> parsePaymentUri(const QString &uri);
    Expected<QJsonValue> formatPaymentUri(const QString &address, const QString &amount, const QString &label);
    // Governance (node_governance_wallet.cpp): proposals and votes signed by the wallet's keys.
    Expected<QJsonValue> createProposal(const QString &kind, const QString &title, const QString &text,
                                        const QJsonObject &details, const QString &deposit, const QString &fee);
    Expected<QJsonValue> voteProposal(const QString &proposal, const QString &choice, const QString &fee);
    Expected<QJsonValue> listMyVotes(int count);
    Expected<QJsonValue> backupWallet(const QString &destination);
    // Replaces `w` (it closes and reopens wallet.sqlite) when the backup is accepted.
    static Expected<QJsonValue> importBackup(std::unique_ptr<NodeWallet> &w, const QString &file,
                                             const crypto::SecureBytes &passphrase);

    // The OS keychain (wallet/keychain.h) may keep the keystore's unlock key when the user asks. Its jobs
    // are asynchronous: these answer through `reply` on this thread, later.
    void setKeychain(wallet::SecretStore *store) { keychain_ = store; }
    void unlockAndRemember(const crypto::SecureBytes &passphrase, qint64 timeoutSeconds, bool remember,
                           WalletReply reply);
    void unlockFromKeychain(qint64 timeoutSeconds, WalletReply reply);
    void forgetKeychain(WalletReply reply);
    bool keychainStored();

    bool hasWallet() const { return keys_.has_value(); }
    const QString &dataDir() const { return dataDir_; }
    wallet::WalletDb &db() { return db_; }

private:
    NodeWallet(Network network, QString dataDir, NodeChain *chain, wallet::WalletDb db);
    Status requireWallet() const;
    Status requireChain() const;
    Status fundOnDevnet();
    Expected<std::vector<wallet::WalletAddress>> handedOut();
    std::optional<std::uint32_t> indexOf(const crypto::PublicKey &key) const;
    Status recordTx(const chain::Transaction &tx, std::optional<std::uint64_t> height, std::int64_t timeMs,
                    const QString &status);
    Status markUsed(std::uint32_t index);
    struct Balances {
        chain::Amount available = 0, staked = 0, unbonding = 0, pendingIn = 0, pendingOut = 0;
        QJsonArray unbondingReleases;  // with `withReleases`: every address's NodeChain::unbonding rows + "address"
    };
    // `withReleases` for getwalletinfo only: the status tick needs the totals, not the formatted rows.
    Expected<Balances> balances(bool withReleases = false);
    // What `key`'s transactions waiting in the pool take from its balance (amounts, stakes and fees).
    Expected<chain::Amount> pendingSpend(const crypto::PublicKey &key) const;
    Expected<chain::Amount> parseFee(const QString &fee, std::size_t txBytes);
    Expected<QJsonValue> submit(chain::Transaction tx, std::uint32_t index, const QString &counterparty);
    QString address(const crypto::PublicKey &key) const;
    // `labels`: address -> label for the wallet's addresses and the address book.
    QJsonObject txJson(const wallet::WalletTx &t, const QHash<QString, QString> &labels);

    Network network_;
    QString dataDir_;
    NodeChain *chain_;
    wallet::WalletDb db_;
    std::optional<wallet::WalletKeys> keys_;
    std::map<crypto::PublicKey, std::uint32_t> keyIndex_;  // keypool public key -> index
    std::int64_t unlockedUntilMs_ = 0;
    wallet::SecretStore *keychain_ = nullptr;  // owned by the node worker; may be null
};

}  // namespace blyan::node
