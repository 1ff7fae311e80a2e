// NodeWallet: the methods of docs/rpc.md "Wallet".
#include "node/node_wallet.h"

#include "chain/address.h"
#include "chain/tx_kinds/stake.h"
#include "chain/tx_kinds/transfer.h"
#include "chain/tx_kinds/unstake.h"
#include "crypto/bip39.h"
#include "node/node_chain.h"
#include "util/log.h"
#include "wallet/wallet_paths.h"

#include <QDateTime>
#include <QHash>
#include <QRegularExpression>

namespace blyan::node {

namespace {

std::int64_t nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

std::string_view text(const crypto::SecureBytes &b)
{
    return {reinterpret_cast<const char *>(b.data()), b.size()};
}

QJsonObject amountJson(chain::Amount a)
{
    return QJsonObject{{QStringLiteral("bly"), QString::fromStdString(chain::formatAmount(a))},
                       {QStringLiteral("units"), QString::number(a)}};
}

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }

}  // namespace

Expected<QJsonValue> NodeWallet::getWalletInfo()
{
    const NetworkParams &net = networkParams(network_);
    // The longest an unstake waits before it is spendable (0: at once, a devnet): ledger/unbonding.h.
    const std::uint64_t unbondingMs = net.unbondingEpochs * net.epochSlots * static_cast<std::uint64_t>(net.slotMs);
    QJsonObject o{{QStringLiteral("network"), networkName(network_)},
                  {QStringLiteral("unbonding_delay_ms"), static_cast<qint64>(unbondingMs)}};
    if (!keys_) {
        o.insert(QStringLiteral("state"), QStringLiteral("none"));
        return QJsonValue(o);
    }
    o.insert(QStringLiteral("state"), keys_->unlocked() ? QStringLiteral("unlocked") : QStringLiteral("locked"));
    o.insert(QStringLiteral("unlocked_until"), static_cast<qint64>(keys_->unlocked() ? unlockedUntilMs_ : 0));
    BLYAN_TRY(const Balances b, balances(/*withReleases=*/true));
    o.insert(QStringLiteral("balance"), QJsonObject{{QStringLiteral("available"), amountJson(b.available)},
                                                    {QStringLiteral("staked"), amountJson(b.staked)},
                                                    {QStringLiteral("unbonding"), amountJson(b.unbonding)},
                                                    {QStringLiteral("unbonding_releases"), b.unbondingReleases},
                                                    {QStringLiteral("pending_in"), amountJson(b.pendingIn)},
                                                    {QStringLiteral("pending_out"), amountJson(b.pendingOut)}});
    QJsonArray addrs;
    BLYAN_TRY(const auto list, handedOut());
    for (const auto &a : list)
        addrs.append(QJsonObject{{QStringLiteral("address"), address(a.key)},
                                 {QStringLiteral("label"), a.label},
                                 {QStringLiteral("index"), static_cast<qint64>(a.index)}});
    o.insert(QStringLiteral("addresses"), addrs);
    BLYAN_TRY(const std::int64_t count, db_.txCount());
    o.insert(QStringLiteral("tx_count"), static_cast<qint64>(count));
    BLYAN_TRY(const auto funded, db_.meta(QStringLiteral("devnet_funded")));
    o.insert(QStringLiteral("devnet_funded"), funded.has_value());
    o.insert(QStringLiteral("keychain"), keychainStored());
    o.insert(QStringLiteral("keychain_available"), keychain_ != nullptr);
    return QJsonValue(o);
}

Expected<QJsonValue> NodeWallet::generateMnemonic()
{
    BLYAN_TRY(const crypto::Mnemonic m, crypto::Mnemonic::generate());
    return QJsonValue(QString::fromUtf8(m.text().data(), static_cast<qsizetype>(m.text().size())));
}

Expected<QJsonValue> NodeWallet::validateMnemonic(const crypto::SecureBytes &phrase)
{
    auto m = crypto::Mnemonic::parse(text(phrase));
    QJsonObject o{{QStringLiteral("valid"), m.ok()}};
    // 1-based positions of words outside the English list, so a form can mark each one as it is typed.
    QJsonArray unknown;
    const QStringList words = QString::fromUtf8(text(phrase).data(), static_cast<qsizetype>(phrase.size()))
                                  .toLower()
                                  .split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    for (int i = 0; i < words.size(); ++i)
        if (!crypto::bip39WordIndex(words[i].toStdString()).ok()) unknown.append(i + 1);
    o.insert(QStringLiteral("unknown"), unknown);
    if (!m.ok()) o.insert(QStringLiteral("error"), QString::fromStdString(m.error().message));
    else o.insert(QStringLiteral("words"), static_cast<qint64>(m->wordCount()));
    return QJsonValue(o);
}

Expected<QJsonValue> NodeWallet::createWallet(const crypto::SecureBytes &passphrase, const crypto::SecureBytes &mnemonic,
                                              const crypto::SecureBytes &bip39Passphrase)
{
    if (keys_) return makeError(ErrorCode::AlreadyExists, "this data dir already has a wallet; it is never replaced");
    BLYAN_TRY(const crypto::Mnemonic m, crypto::Mnemonic::parse(text(mnemonic)));
    // Calibrated here, once per wallet: about half a second on this CPU is what an attacker pays per guess.
    BLYAN_TRY(const crypto::Argon2Params kdf, crypto::calibrateArgon2id(std::chrono::milliseconds(kKeystoreKdfTargetMs)));
    BLYAN_TRY(auto keys, wallet::WalletKeys::create(wallet::keystorePath(dataDir_), networkParams(network_).networkId, m,
                                                    text(bip39Passphrase), text(passphrase), kdf, nowMs()));
    keys_ = std::move(keys);
    keyIndex_.clear();
    for (std::uint32_t i = 0; i < keys_->keypoolSize(); ++i) keyIndex_[keys_->publicKey(i)] = i;
    unlockedUntilMs_ = nowMs() + kUnlockAfterCreateSeconds * 1000LL;
    BLYAN_TRY(const auto have, db_.addresses());
    if (have.empty())
        BLYAN_CHECK(db_.addAddress(wallet::WalletAddress{0, keys_->publicKey(0), QStringLiteral("Default")}, nowMs()));
    // A restored phrase may have history: scan the chain from the start.
    BLYAN_CHECK(db_.setMeta(QStringLiteral("scanned_height"), QStringLiteral("0")));
    sync();
    if (Status s = fundOnDevnet(); !s.ok())
        qCWarning(lcNode).noquote() << "devnet wallet funding:" << QString::fromStdString(s.error().message);
    qCInfo(lcNode).noquote() << "wallet created; first address" << address(keys_->publicKey(0));
    return getWalletInfo();
}

Expected<QJsonValue> NodeWallet::unlock(const crypto::SecureBytes &passphrase, qint64 timeoutSeconds)
{
    BLYAN_CHECK(requireWallet());
    if (timeoutSeconds < 1 || timeoutSeconds > 86400)
        return makeError(ErrorCode::InvalidArgument, "walletpassphrase: timeout must be from 1 to 86400 seconds");
    BLYAN_CHECK(keys_->unlock(text(passphrase)));
    unlockedUntilMs_ = nowMs() + timeoutSeconds * 1000;
    return QJsonValue(QJsonObject{{QStringLiteral("unlocked_until"), static_cast<qint64>(unlockedUntilMs_)}});
}

Expected<QJsonValue> NodeWallet::lock()
{
    BLYAN_CHECK(requireWallet());
    keys_->lock();
    unlockedUntilMs_ = 0;
    return QJsonValue(true);
}

Expected<QJsonValue> NodeWallet::changePassphrase(const crypto::SecureBytes &oldPassphrase,
                                                  const crypto::SecureBytes &newPassphrase)
{
    BLYAN_CHECK(requireWallet());
    BLYAN_CHECK(keys_->changePassphrase(text(oldPassphrase), text(newPassphrase)));
    return QJsonValue(true);
}

Expected<QJsonValue> NodeWallet::showMnemonic(const crypto::SecureBytes &passphrase)
{
    BLYAN_CHECK(requireWallet());
    BLYAN_TRY(const crypto::SecureBytes words, keys_->revealMnemonic(text(passphrase)));
    return QJsonValue(QString::fromUtf8(reinterpret_cast<const char *>(words.data()), static_cast<qsizetype>(words.size())));
}

Expected<QJsonValue> NodeWallet::getNewAddress(const QString &label)
{
    BLYAN_CHECK(requireWallet());
    if (label.size() > 100) return makeError(ErrorCode::InvalidArgument, "getnewaddress: a label has at most 100 characters");
    BLYAN_TRY(const auto have, db_.addresses());
    const std::uint32_t next = have.empty() ? 0 : have.back().index + 1;
    if (next >= keys_->keypoolSize()) {
        BLYAN_CHECK(keys_->extendKeypool(keys_->keypoolSize() + wallet::kKeypoolSize));
        for (std::uint32_t i = 0; i < keys_->keypoolSize(); ++i) keyIndex_[keys_->publicKey(i)] = i;
    }
    BLYAN_CHECK(db_.addAddress(wallet::WalletAddress{next, keys_->publicKey(next), label}, nowMs()));
    return QJsonValue(address(keys_->publicKey(next)));
}

Expected<QJsonValue> NodeWallet::validateAddress(const QString &addr)
{
    auto key = chain::parseAddress(addr.trimmed().toStdString(), network_);
    QJsonObject o{{QStringLiteral("isvalid"), key.ok()}, {QStringLiteral("address"), addr.trimmed()}};
    if (!key.ok()) {
        o.insert(QStringLiteral("error"), QString::fromStdString(key.error().message));
        return QJsonValue(o);
    }
    o.insert(QStringLiteral("ismine"), indexOf(*key).has_value());
    return QJsonValue(o);
}

Expected<QJsonValue> NodeWallet::setLabel(const QString &addr, const QString &label)
{
    BLYAN_TRY(const auto key, chain::parseAddress(addr.trimmed().toStdString(), network_));
    if (label.size() > 100) return makeError(ErrorCode::InvalidArgument, "setlabel: a label has at most 100 characters");
    if (auto idx = indexOf(key)) {
        BLYAN_CHECK(markUsed(*idx));
        BLYAN_CHECK(db_.setAddressLabel(*idx, label));
    } else {
        BLYAN_CHECK(db_.setBookEntry(address(key), label));
    }
    return QJsonValue(true);
}

Expected<QJsonValue> NodeWallet::listAddressBook()
{
    QJsonArray out;
    BLYAN_TRY(const auto book, db_.addressBook());
    for (const auto &e : book)
        out.append(QJsonObject{{QStringLiteral("address"), e.address}, {QStringLiteral("label"), e.label},
                               {QStringLiteral("mine"), false}});
    BLYAN_TRY(const auto mine, db_.addresses());
    for (const auto &a : mine)
        out.append(QJsonObject{{QStringLiteral("address"), address(a.key)}, {QStringLiteral("label"), a.label},
                               {QStringLiteral("mine"), true}});
    return QJsonValue(out);
}

Expected<QJsonValue> NodeWallet::removeAddressBookEntry(const QString &addr)
{
    BLYAN_TRY(const bool removed, db_.removeBookEntry(addr.trimmed()));
    if (!removed) return makeError(ErrorCode::NotFound, "the address book has no entry for " + addr.toStdString());
    return QJsonValue(true);
}

Expected<QJsonValue> NodeWallet::estimateFee()
{
    BLYAN_CHECK(requireChain());
    // A transfer's encoding has a fixed size up to its varints: measure a representative one.
    chain::TransferBody body;
    body.amount = 1000 * chain::kCoin;
    const chain::Transaction tx = chain::makeTransaction(networkParams(network_).networkId, 1000, 100'000, body);
    const std::size_t size = chain::encodeTransaction(tx).size();
    const chain::Amount fee = chain_->estimateFee(size);
    return QJsonValue(QJsonObject{{QStringLiteral("fee"), amountJson(fee)},
                                  {QStringLiteral("per_byte"), QString::number((fee + size - 1) / size)}});
}

Expected<chain::Amount> NodeWallet::parseFee(const QString &fee, std::size_t txBytes)
{
    if (fee.trimmed().isEmpty()) return chain_->estimateFee(txBytes);
    auto f = chain::parseAmount(fee.trimmed().toStdString());
    if (!f) return f.error().context("fee");
    return *f;
}

Expected<QJsonValue> NodeWallet::submit(chain::Transaction tx, std::uint32_t index, const QString &counterparty)
{
    BLYAN_TRY(const auto kp, keys_->keyPair(index));
    tx.from = kp.publicKey();
    chain::signTransaction(tx, kp);
    const chain::Transaction copy = tx;
    BLYAN_TRY(const chain::TxId id, chain_->submitTransaction(std::move(tx)));
    BLYAN_CHECK(recordTx(copy, std::nullopt, nowMs(), QStringLiteral("pending")));
    qCInfo(lcNode).noquote() << "wallet: sent" << hex(id) << (counterparty.isEmpty() ? QString() : QStringLiteral("to ") + counterparty);
    return QJsonValue(hex(id));
}

Expected<QJsonValue> NodeWallet::sendToAddress(const QString &addr, const QString &amountText, const QString &feeText,
                                               const QString &label)
{
    BLYAN_CHECK(requireWallet());
    BLYAN_CHECK(requireChain());
    BLYAN_TRY(const auto to, chain::parseAddress(addr.trimmed().toStdString(), network_));
    auto amount = chain::parseAmount(amountText.trimmed().toStdString());
    if (!amount) return amount.error().context("amount");
    if (*amount == 0) return makeError(ErrorCode::InvalidArgument, "amount: must be more than 0");
    if (!keys_->unlocked())
        return makeError(ErrorCode::WalletLocked, "the wallet is locked; unlock it first (walletpassphrase)");

    chain::TransferBody body;
    body.to = to;
    body.amount = *amount;
    chain::Transaction tx = chain::makeTransaction(networkParams(network_).networkId, 0, 0, body);
    BLYAN_TRY(tx.fee, parseFee(feeText, chain::encodeTransaction(tx).size() + 8));
    BLYAN_TRY(const chain::Amount total, chain::checkedAdd(*amount, tx.fee, "amount + fee"));

    // The address with the most spendable BLY that covers the whole payment (no multi-input transfers
    // in an account model: one sender per transaction).
    BLYAN_TRY(const auto addrs, handedOut());
    std::optional<std::uint32_t> best;
    chain::Amount bestAvail = 0, totalAvail = 0;
    for (const auto &a : addrs) {
        BLYAN_TRY(const chain::Amount bal, chain_->ledger().balance(a.key));
        BLYAN_TRY(const chain::Amount pending, pendingSpend(a.key));
        const chain::Amount avail = bal > pending ? bal - pending : 0;
        totalAvail += avail;
        if (avail >= total && avail > bestAvail) {
            best = a.index;
            bestAvail = avail;
        }
    }
    if (!best) {
        if (totalAvail >= total)
            return makeError(ErrorCode::InvalidArgument,
                             "no single wallet address holds " + chain::formatAmount(total) +
                                 " (amount + fee); the wallet's " + chain::formatAmount(totalAvail) +
                                 " are spread over several addresses: send less, or move funds to one address first");
        return makeError(ErrorCode::InvalidArgument, "insufficient funds: sending " + chain::formatAmount(total) +
                                                         " (amount + fee) but " + chain::formatAmount(totalAvail) +
                                                         " is available");
    }
    BLYAN_TRY(tx.nonce, chain_->nextNonce(keys_->publicKey(*best)));
    if (!label.trimmed().isEmpty() && !indexOf(to)) BLYAN_CHECK(db_.setBookEntry(address(to), label.trimmed()));
    return submit(std::move(tx), *best, address(to));
}

Expected<QJsonValue> NodeWallet::stake(const QString &amountText, const QString &feeText, bool unstake)
{
    BLYAN_CHECK(requireWallet());
    BLYAN_CHECK(requireChain());
    const char *what = unstake ? "unstake" : "stake";
    auto amount = chain::parseAmount(amountText.trimmed().toStdString());
    if (!amount) return amount.error().context(std::string(what) + ": amount");
    if (*amount == 0) return makeError(ErrorCode::InvalidArgument, std::string(what) + ": amount must be more than 0");
    if (!keys_->unlocked())
        return makeError(ErrorCode::WalletLocked, "the wallet is locked; unlock it first (walletpassphrase)");
    chain::Transaction tx;
    if (unstake) {
        chain::UnstakeBody body;
        body.amount = *amount;
        tx = chain::makeTransaction(networkParams(network_).networkId, 0, 0, body);
    } else {
        chain::StakeBody body;
        body.amount = *amount;
        tx = chain::makeTransaction(networkParams(network_).networkId, 0, 0, body);
    }
    BLYAN_TRY(tx.fee, parseFee(feeText, chain::encodeTransaction(tx).size() + 8));
    // Stakes belong to the first address: one validator identity per wallet.
    BLYAN_TRY(tx.nonce, chain_->nextNonce(keys_->publicKey(0)));
    return submit(std::move(tx), 0, {});
}

QJsonObject NodeWallet::txJson(const wallet::WalletTx &t, const QHash<QString, QString> &labels)
{
    const QString label = labels.value(t.counterparty);
    QJsonObject o{{QStringLiteral("txid"), hex(t.txid)},
                  {QStringLiteral("kind"), t.kind},
                  {QStringLiteral("direction"), t.direction},
                  {QStringLiteral("address"), t.counterparty},
                  {QStringLiteral("label"), label},
                  {QStringLiteral("amount"), amountJson(t.amount)},
                  {QStringLiteral("fee"), amountJson(t.fee)},
                  {QStringLiteral("status"), t.status},
                  {QStringLiteral("time"), static_cast<qint64>(t.timeMs)}};
    o.insert(QStringLiteral("height"), t.height ? QJsonValue(static_cast<qint64>(*t.height)) : QJsonValue());
    return o;
}

Expected<QJsonValue> NodeWallet::listTransactions(int count, int skip, const QJsonObject &filter)
{
    BLYAN_CHECK(requireWallet());
    wallet::HistoryFilter f;
    f.limit = count;
    f.skip = skip;
    for (auto it = filter.begin(); it != filter.end(); ++it) {
        if (!it.value().isString())
            return makeError(ErrorCode::InvalidArgument, "listtransactions: filter." + it.key().toStdString() + " must be a string");
        const QString v = it.value().toString();
        if (it.key() == QStringLiteral("direction")) {
            if (!v.isEmpty() && v != QStringLiteral("sent") && v != QStringLiteral("received") && v != QStringLiteral("self"))
                return makeError(ErrorCode::InvalidArgument, "listtransactions: filter.direction is sent, received or self");
            f.direction = v;
        } else if (it.key() == QStringLiteral("kind")) {
            f.kind = v;
        } else if (it.key() == QStringLiteral("status")) {
            if (!v.isEmpty() && v != QStringLiteral("pending") && v != QStringLiteral("confirmed") &&
                v != QStringLiteral("final") && v != QStringLiteral("dropped"))
                return makeError(ErrorCode::InvalidArgument,
                                 "listtransactions: filter.status is pending, confirmed, final or dropped");
            f.status = v;
        } else if (it.key() == QStringLiteral("search")) {
            f.search = v.trimmed();
        } else {
            return makeError(ErrorCode::InvalidArgument, "listtransactions: unknown filter key '" + it.key().toStdString() +
                                                             "' (direction, kind, status, search)");
        }
    }
    BLYAN_TRY(const auto rows, db_.history(f));
    // Labels once per listing: the address book, then the wallet's own addresses (theirs win).
    QHash<QString, QString> labels;
    BLYAN_TRY(const auto book, db_.addressBook());
    for (const auto &e : book) labels.insert(e.address, e.label);
    BLYAN_TRY(const auto mine, db_.addresses());
    for (const auto &a : mine) labels.insert(address(a.key), a.label);
    QJsonArray out;
    for (const auto &t : rows) out.append(txJson(t, labels));
    return QJsonValue(out);
}

}  // namespace blyan::node
