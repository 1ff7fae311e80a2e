#pragma once
// The OS keychain (DESIGN.md section 10): where the wallet may keep the keystore's unlock key when the user
// ticks "remember in the OS keychain". The wallet talks to a SecretStore, so unit tests use a fake and the
// app uses QtKeychainStore (GNOME Keyring / KWallet through the Secret Service, macOS Keychain, Windows
// Credential Manager).
//
// Every operation is asynchronous: the OS may show an unlock prompt, and on Linux the request crosses
// D-Bus, so a call never blocks the thread that makes it. The callback runs later on that thread, once.

#include "crypto/secure_memory.h"
#include "util/error.h"
#include "util/network.h"

#include <QObject>
#include <QString>

#include <functional>

namespace blyan::wallet {

class SecretStore {
public:
    using StatusCallback = std::function<void(Status)>;
    using ReadCallback = std::function<void(Expected<crypto::SecureBytes>)>;

    virtual ~SecretStore() = default;

    // Stores (or replaces) the secret under `key`. The secret is taken by value so that the store owns
    // the only copy and wipes it when the OS has it.
    virtual void write(const QString &key, crypto::SecureBytes secret, StatusCallback done) = 0;
    // ErrorCode::NotFound when nothing is stored under `key`.
    virtual void read(const QString &key, ReadCallback done) = 0;
    // Removing a key that is not there succeeds: the caller wanted it gone, and it is.
    virtual void remove(const QString &key, StatusCallback done) = 0;
    // False once the store has found that no keychain works here (so the UI can grey out "remember");
    // optimistic until the first operation says otherwise. Never blocks.
    virtual bool available() const = 0;
};

// QtKeychain 0.13 behind SecretStore. Entries live under the service "Blyan Desktop" with names
// "<network>/<data dir hash>/<key>", so two data dirs (or networks) never read each other's secrets.
// No insecure fallback: a secret is never written to a plain file when the keychain is missing.
//
// Use it from one thread that runs an event loop (the callbacks arrive through it). If the store is
// destroyed first, pending callbacks are dropped, never called on a dead owner.
class QtKeychainStore final : public QObject, public SecretStore {
    Q_OBJECT
public:
    static constexpr const char *kService = "Blyan Desktop";
    // A stuck Secret Service (or an unanswered prompt) must not leave the wallet waiting for ever.
    static constexpr int kDefaultTimeoutMs = 120'000;

    QtKeychainStore(Network network, const QString &dataDir, QObject *parent = nullptr);

    void write(const QString &key, crypto::SecureBytes secret, StatusCallback done) override;
    void read(const QString &key, ReadCallback done) override;
    void remove(const QString &key, StatusCallback done) override;
    bool available() const override { return available_; }

    // The name the OS keychain shows for `key` (the data dir hash keeps two data dirs apart).
    QString entryName(const QString &key) const;
    void setTimeoutMs(int ms) { timeoutMs_ = ms; }

private:
    void noteResult(const Error *error);

    QString prefix_;
    int timeoutMs_ = kDefaultTimeoutMs;
    bool available_ = true;
};

// Checks that the keychain answers by reading an entry that does not exist: "not found" means it works.
// For the settings dialog, before offering "remember in the OS keychain".
void probeSecretStore(SecretStore &store, SecretStore::StatusCallback done);

}  // namespace blyan::wallet
