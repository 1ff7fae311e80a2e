// NodeWallet: the OS keychain (asynchronous), backup zips and their import, blyan: payment URIs.
#include "node/node_wallet.h"

#include "chain/address.h"
#include "storage/atomic_file.h"
#include "util/log.h"
#include "util/paths.h"
#include "wallet/backup.h"
#include "wallet/keychain.h"
#include "wallet/payment_uri.h"
#include "wallet/wallet_paths.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace blyan::node {

namespace {

const QString kUnlockKeyEntry = QStringLiteral("wallet-unlock-key");
const QString kKeychainStored = QStringLiteral("keychain_stored");

std::string_view text(const crypto::SecureBytes &b) { return {reinterpret_cast<const char *>(b.data()), b.size()}; }

}  // namespace

bool NodeWallet::keychainStored()
{
    auto v = db_.meta(kKeychainStored);
    return v.ok() && v->has_value() && **v == QStringLiteral("1");
}

void NodeWallet::unlockAndRemember(const crypto::SecureBytes &passphrase, qint64 timeoutSeconds, bool remember,
                                   WalletReply reply)
{
    auto unlocked = unlock(passphrase, timeoutSeconds);
    if (!unlocked || !remember) {
        reply(std::move(unlocked));
        return;
    }
    if (!keychain_) {
        reply(makeError(ErrorCode::Unavailable, "the OS keychain is not available in this process"));
        return;
    }
    auto key = keys_->unlockKey();
    if (!key) {
        reply(key.error());
        return;
    }
    const QJsonValue answer = *unlocked;
    keychain_->write(kUnlockKeyEntry, std::move(*key), [this, answer, reply](Status s) {
        if (!s.ok()) {
            reply(s.error().context("the wallet is unlocked, but its key could not be kept in the OS keychain"));
            return;
        }
        (void)db_.setMeta(kKeychainStored, QStringLiteral("1"));
        qCInfo(lcNode) << "wallet: unlock key kept in the OS keychain";
        reply(answer);
    });
}

void NodeWallet::unlockFromKeychain(qint64 timeoutSeconds, WalletReply reply)
{
    if (Status s = requireWallet(); !s.ok()) return reply(s.error());
    if (!keychain_ || !keychainStored())
        return reply(makeError(ErrorCode::NotFound, "the OS keychain holds no unlock key for this wallet; unlock "
                                                    "with the passphrase and tick \"remember\""));
    if (timeoutSeconds < 1 || timeoutSeconds > 86400)
        return reply(makeError(ErrorCode::InvalidArgument, "walletunlockkeychain: timeout must be from 1 to 86400 seconds"));
    keychain_->read(kUnlockKeyEntry, [this, timeoutSeconds, reply](Expected<crypto::SecureBytes> key) {
        if (!key) return reply(key.error());
        if (!keys_) return reply(makeError(ErrorCode::NoWallet, "the wallet is gone"));
        if (Status s = keys_->unlockWithKey(*key); !s.ok()) {
            // The keystore changed (new passphrase) since the key was stored: it is useless now.
            (void)db_.setMeta(kKeychainStored, QStringLiteral("0"));
            return reply(makeError(ErrorCode::WrongPassphrase, "the key in the OS keychain no longer opens the wallet "
                                                               "(the passphrase changed); unlock with the passphrase"));
        }
        unlockedUntilMs_ = QDateTime::currentMSecsSinceEpoch() + timeoutSeconds * 1000;
        reply(QJsonValue(QJsonObject{{QStringLiteral("unlocked_until"), static_cast<qint64>(unlockedUntilMs_)}}));
    });
}

void NodeWallet::forgetKeychain(WalletReply reply)
{
    if (!keychain_) return reply(QJsonValue(true));
    keychain_->remove(kUnlockKeyEntry, [this, reply](Status s) {
        if (!s.ok()) return reply(s.error());
        (void)db_.setMeta(kKeychainStored, QStringLiteral("0"));
        reply(QJsonValue(true));
    });
}

Expected<QJsonValue> NodeWallet::parsePaymentUri(const QString &uri)
{
    BLYAN_TRY(const wallet::PaymentRequest r, wallet::parsePaymentUri(uri.trimmed().toStdString(), network_));
    QJsonObject o{{QStringLiteral("address"), QString::fromStdString(r.address)},
                  {QStringLiteral("label"), QString::fromStdString(r.label)},
                  {QStringLiteral("message"), QString::fromStdString(r.message)}};
    o.insert(QStringLiteral("amount"), r.amount ? QJsonValue(QString::fromStdString(chain::formatAmount(*r.amount)))
                                                : QJsonValue());
    return QJsonValue(o);
}

Expected<QJsonValue> NodeWallet::formatPaymentUri(const QString &addr, const QString &amount, const QString &label)
{
    wallet::PaymentRequest r;
    r.address = addr.trimmed().toStdString();
    if (!amount.trimmed().isEmpty()) {
        auto a = chain::parseAmount(amount.trimmed().toStdString());
        if (!a) return a.error().context("amount");
        r.amount = *a;
    }
    r.label = label.toStdString();
    BLYAN_TRY(const std::string uri, wallet::formatPaymentUri(r, network_));
    return QJsonValue(QString::fromStdString(uri));
}

Expected<QJsonValue> NodeWallet::backupWallet(const QString &destination)
{
    BLYAN_CHECK(requireWallet());
    QString dest = QDir::cleanPath(QDir(destination).absolutePath());
    if (destination.trimmed().isEmpty())
        return makeError(ErrorCode::InvalidArgument, "backupwallet: give the file to write, e.g. ~/blyan-wallet.zip");
    if (!dest.endsWith(QStringLiteral(".zip"), Qt::CaseInsensitive)) dest += QStringLiteral(".zip");
    if (dest.startsWith(QDir::cleanPath(dataDir_) + QLatin1Char('/')))
        return makeError(ErrorCode::InvalidArgument, "backupwallet: write the backup outside the data dir (a backup "
                                                     "that dies with the disk is none)");

    BLYAN_TRY(const Bytes keystore, storage::readSmallFile(wallet::keystorePath(dataDir_), wallet::kKeystoreMaxSize));
    Bytes nodeKeyBytes;
    {
        BLYAN_TRY(nodeKeyBytes, storage::readSmallFile(dataDir_ + QStringLiteral("/node.key"), 64));
    }
    crypto::SecureBytes nodeKey = crypto::SecureBytes::copyOf(nodeKeyBytes);
    crypto::secureZero(nodeKeyBytes.data(), nodeKeyBytes.size());
    std::optional<Bytes> config;
    if (QFileInfo::exists(paths::configFile(dataDir_))) {
        BLYAN_TRY(config, storage::readSmallFile(paths::configFile(dataDir_), wallet::kMaxBackupConfigBytes));
    }
    // A consistent copy of wallet.sqlite while it stays open: VACUUM INTO writes a new database file.
    const QString snapshot = wallet::walletDir(dataDir_) + QStringLiteral("/backup-snapshot.sqlite");
    QFile::remove(snapshot);
    QString quoted = snapshot;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    BLYAN_CHECK(db_.db().exec("VACUUM INTO '" + quoted.toStdString() + "'"));
    wallet::BackupSource src;
    src.network = network_;
    src.keystore = keystore;
    src.walletDbSnapshot = snapshot;
    src.nodeKey = nodeKey.view();
    if (config) src.config = ByteView(*config);
    const Status written = wallet::writeBackup(dest, src);
    QFile::remove(snapshot);
    BLYAN_CHECK(written);
    qCInfo(lcNode).noquote() << "wallet backup written to" << dest;
    return QJsonValue(dest);
}

Expected<QJsonValue> NodeWallet::importBackup(std::unique_ptr<NodeWallet> &w, const QString &file,
                                              const crypto::SecureBytes &passphrase)
{
    if (w->keys_)
        return makeError(ErrorCode::AlreadyExists, "importbackup: this data dir already has a wallet; import into a "
                                                   "new data dir (--datadir) instead");
    const Network network = w->network_;
    const QString dataDir = w->dataDir_;
    NodeChain *chain = w->chain_;
    wallet::SecretStore *keychain = w->keychain_;
    const QString work = wallet::walletDir(dataDir) + QStringLiteral("/import");
    QDir(work).removeRecursively();
    if (!QDir().mkpath(work)) return makeError(ErrorCode::Io, "cannot create " + work.toStdString());
    auto contents = wallet::readBackup(file, network, work);
    if (!contents) {
        QDir(work).removeRecursively();
        return contents.error();
    }
    // The passphrase must open the backup's keystore before anything here changes.
    auto ks = wallet::Keystore::decode(contents->keystore);
    if (!ks) return ks.error().context("the backup's keystore");
    if (ks->header().networkId != networkParams(network).networkId)
        return makeError(ErrorCode::InvalidArgument, "the backup's wallet belongs to another network");
    BLYAN_TRY(const auto key, wallet::Keystore::deriveKey(text(passphrase), ks->header()));
    BLYAN_TRY(const auto opened, ks->open(key));
    (void)opened;

    // Close wallet.sqlite, put the backup's files in place, open again.
    w.reset();
    const QString walletDb = wallet::walletDbPath(dataDir);
    QFile::remove(walletDb + QStringLiteral("-wal"));
    QFile::remove(walletDb + QStringLiteral("-shm"));
    Status placed = contents->walletDb.moveTo(walletDb);
    if (placed.ok()) placed = storage::writeFileAtomic(wallet::keystorePath(dataDir), contents->keystore);
    if (placed.ok())
        placed = storage::writeFileAtomic(dataDir + QStringLiteral("/node.key.from-backup"), contents->nodeKey.view());
    if (placed.ok() && contents->config && !QFileInfo::exists(paths::configFile(dataDir)))
        placed = storage::writeFileAtomic(paths::configFile(dataDir), *contents->config);
    QDir(work).removeRecursively();
    auto reopened = NodeWallet::open(network, dataDir, chain);
    if (!reopened) return reopened.error().context("reopening the imported wallet");
    w = std::move(*reopened);
    w->setKeychain(keychain);
    BLYAN_CHECK(placed);
    // The history is rebuilt from the chain (the backup's may be older or from another devnet).
    BLYAN_CHECK(w->db_.setMeta(QStringLiteral("scanned_height"), QStringLiteral("0")));
    w->sync();
    qCInfo(lcNode).noquote() << "wallet imported from" << file;
    return w->getWalletInfo();
}

}  // namespace blyan::node
