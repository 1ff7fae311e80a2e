#include "wallet/keychain.h"

#include "crypto/hash.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace blyan::wallet {

namespace {

#if defined(Q_OS_MACOS) || defined(Q_OS_WIN)
constexpr const char *kUnavailableAdvice = "";
#else
constexpr const char *kUnavailableAdvice = ": no Secret Service is running (GNOME Keyring or KWallet)";
#endif

std::string str(const QString &s) { return s.toStdString(); }

Error unavailable(const QString &detail)
{
    return makeError(ErrorCode::Unavailable, std::string("the OS keychain is not available") + kUnavailableAdvice +
                                                 "; the wallet still works with its passphrase (" + str(detail) + ")");
}

// libsecret reports a missing or unreachable session bus as a generic error; its text is all there is.
bool looksLikeNoService(const QString &detail)
{
    static const char *const markers[] = {"D-Bus", "DBus", "dbus", "autolaunch", "org.freedesktop.secrets",
                                          "Could not connect", "was not provided by any .service files"};
    for (const char *m : markers)
        if (detail.contains(QLatin1String(m))) return true;
    return false;
}

// QtKeychain's codes and texts (which never contain the secret) become messages that say what to do.
Error keychainError(QKeychain::Error code, const QString &detail, const QString &entry)
{
    switch (code) {
    case QKeychain::EntryNotFound:
        return makeError(ErrorCode::NotFound, "the OS keychain holds no entry '" + str(entry) +
                                                  "' (it was removed or never saved); unlock the wallet with its "
                                                  "passphrase");
    case QKeychain::AccessDeniedByUser:
        return makeError(ErrorCode::Unauthorized,
                         "access to the OS keychain was refused at its prompt; allow Blyan Desktop when asked, or "
                         "unlock the wallet with its passphrase");
    case QKeychain::AccessDenied:
        return makeError(ErrorCode::Unauthorized, "the OS keychain refused access (is it locked?): unlock it in the "
                                                  "system's keyring manager, or unlock the wallet with its passphrase (" +
                                                      str(detail) + ")");
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return unavailable(detail);
    case QKeychain::CouldNotDeleteEntry:
        return makeError(ErrorCode::Io, "the OS keychain could not delete '" + str(entry) +
                                            "'; remove it in the system's keyring manager (" + str(detail) + ")");
    case QKeychain::NoError:
    case QKeychain::OtherError:
        break;
    }
    if (looksLikeNoService(detail)) return unavailable(detail);
    // The service runs but has no default keyring (creating one needs a prompt nobody answered).
    if (detail.contains(QLatin1String("/org/freedesktop/secrets/collection/")))
        return makeError(ErrorCode::Unavailable,
                         "the OS keychain has no usable default keyring: create or unlock it in the system's keyring "
                         "manager (e.g. Passwords and Keys); the wallet still works with its passphrase (" +
                             str(detail) + ")");
    return makeError(ErrorCode::Io, "the OS keychain failed: " + str(detail) +
                                        "; the wallet still works with its passphrase");
}

// QtKeychain hands secrets over in QByteArray, not secure memory. Wipe the buffer once nobody needs it; this
// also wipes the job's copy when they still share it (which is the point).
void wipe(QByteArray &bytes)
{
    if (bytes.isEmpty() || !bytes.data_ptr().isMutable()) return;
    crypto::secureZero(const_cast<char *>(bytes.constData()), static_cast<std::size_t>(bytes.size()));
}

// A callback that may be reached by the job's answer or by the timeout; whichever is first wins.
struct Pending {
    bool done = false;
};

}  // namespace

QtKeychainStore::QtKeychainStore(Network network, const QString &dataDir, QObject *parent) : QObject(parent)
{
    // The canonical path when the dir exists, so that "/data/./x" and a symlink to it share one entry.
    QString path = QFileInfo(dataDir).canonicalFilePath();
    if (path.isEmpty()) path = QDir::cleanPath(QFileInfo(dataDir).absoluteFilePath());
    const crypto::Hash256 h = crypto::blake2b256(asBytes(path.toUtf8().toStdString()));
    prefix_ = networkName(network) + QLatin1Char('/') +
              QString::fromStdString(toHex(ByteView(h.data(), 8))) + QLatin1Char('/');
}

QString QtKeychainStore::entryName(const QString &key) const { return prefix_ + key; }

void QtKeychainStore::noteResult(const Error *error)
{
    if (!error || error->code == ErrorCode::NotFound) available_ = true;  // the keychain answered
    else if (error->code == ErrorCode::Unavailable) available_ = false;
}

namespace {

// Starts `job`, arms the timeout and calls `finish(job)` or `onTimeout()` exactly once, only while `owner` lives.
// `wipeJob(job)` runs after `finish` whenever the job ends, even when the timeout answered first or the store is
// gone, so the secret's copies in QByteArrays do not outlive the job.
template <typename Finish, typename Timeout, typename Wipe>
void runJob(QObject *owner, QKeychain::Job *job, int timeoutMs, Finish finish, Timeout onTimeout, Wipe wipeJob)
{
    auto pending = std::make_shared<Pending>();
    QObject::connect(job, &QKeychain::Job::finished, owner, [pending, finish](QKeychain::Job *j) mutable {
        if (pending->done) return;
        pending->done = true;
        finish(j);
    });
    QObject::connect(job, &QKeychain::Job::finished, job, wipeJob);  // connected second: runs after finish
    QTimer::singleShot(timeoutMs, owner, [pending, onTimeout]() mutable {
        if (pending->done) return;
        pending->done = true;
        onTimeout();
    });
    job->setAutoDelete(true);  // deleted after finished(); never before, libsecret still holds it
    job->start();
}

Error timeoutError(int ms)
{
    return makeError(ErrorCode::Unavailable, "the OS keychain did not answer within " + std::to_string(ms / 1000) +
                                                 " s (a keychain prompt may be waiting, or the Secret Service is "
                                                 "stuck); the wallet still works with its passphrase");
}

}  // namespace

void QtKeychainStore::write(const QString &key, crypto::SecureBytes secret, StatusCallback done)
{
    const QString entry = entryName(key);
    auto *job = new QKeychain::WritePasswordJob(QLatin1String(kService));
    job->setInsecureFallback(false);
    job->setKey(entry);
    auto data = std::make_shared<QByteArray>(reinterpret_cast<const char *>(secret.data()),
                                             static_cast<qsizetype>(secret.size()));
    secret.reset();
    job->setBinaryData(*data);
    runJob(
        this, job, timeoutMs_,
        [this, entry, done](QKeychain::Job *j) {
            if (j->error() != QKeychain::NoError) {
                Error e = keychainError(j->error(), j->errorString(), entry);
                noteResult(&e);
                done(e);
                return;
            }
            noteResult(nullptr);
            done(Status());
        },
        [ms = timeoutMs_, done] { done(timeoutError(ms)); },
        [data](QKeychain::Job *j) {
            static_cast<QKeychain::WritePasswordJob *>(j)->setBinaryData({});  // drop its share, then wipe ours
            wipe(*data);
        });
}

void QtKeychainStore::read(const QString &key, ReadCallback done)
{
    const QString entry = entryName(key);
    auto *job = new QKeychain::ReadPasswordJob(QLatin1String(kService));
    job->setInsecureFallback(false);
    job->setKey(entry);
    runJob(
        this, job, timeoutMs_,
        [this, entry, done](QKeychain::Job *j) {
            if (j->error() != QKeychain::NoError) {
                Error e = keychainError(j->error(), j->errorString(), entry);
                noteResult(&e);
                done(e);
                return;
            }
            noteResult(nullptr);
            QByteArray bytes = static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData();
            auto secret = crypto::SecureBytes::copyOf(
                ByteView(reinterpret_cast<const std::uint8_t *>(bytes.constData()), static_cast<std::size_t>(bytes.size())));
            done(std::move(secret));
        },
        [ms = timeoutMs_, done] { done(timeoutError(ms)); },
        [](QKeychain::Job *j) {
            QByteArray bytes = static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData();
            wipe(bytes);  // shares the job's buffer: this wipes the job's copy
        });
}

void QtKeychainStore::remove(const QString &key, StatusCallback done)
{
    const QString entry = entryName(key);
    auto *job = new QKeychain::DeletePasswordJob(QLatin1String(kService));
    job->setInsecureFallback(false);
    job->setKey(entry);
    runJob(
        this, job, timeoutMs_,
        [this, entry, done](QKeychain::Job *j) {
            if (j->error() != QKeychain::NoError) {
                Error e = keychainError(j->error(), j->errorString(), entry);
                noteResult(&e);
                // The entry is gone either way: that is what remove() promises.
                done(e.code == ErrorCode::NotFound ? Status() : Status(e));
                return;
            }
            noteResult(nullptr);
            done(Status());
        },
        [ms = timeoutMs_, done] { done(timeoutError(ms)); }, [](QKeychain::Job *) {});
}

void probeSecretStore(SecretStore &store, SecretStore::StatusCallback done)
{
    store.read(QStringLiteral("availability-probe"), [done](Expected<crypto::SecureBytes> r) {
        if (r.ok() || r.error().code == ErrorCode::NotFound) done(Status());
        else done(r.error());
    });
}

}  // namespace blyan::wallet
