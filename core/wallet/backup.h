#pragma once
// Wallet backups (DESIGN.md section 10): one zip with what a member needs to get their node and money back.
//
//   keystore.blyw   the encrypted keystore, byte for byte (it stays encrypted inside the zip)
//   wallet.sqlite   a consistent copy of the wallet database (history, address book; no secrets)
//   node.key        the node identity key (the raw 32-byte Ed25519 seed)
//   blyan.conf      the node's settings, when the data dir has them
//   manifest.json   format version, network, creation time, app version, size and BLAKE2b-256 of each entry
//
// docs/protocol.md ("Wallet backup") has the exact format. The zip is written atomically (temp file in the
// destination folder, fsync, rename) with mode 0600, because node.key is a secret in the clear. Reading is
// strict: a backup is checked completely (manifest, every hash, sizes, names, network) before anything of it
// is handed over, and a file that fails leaves nothing behind. The hashes catch damage and edits; they do
// not prove who wrote the backup (the keystore carries its own authentication).

#include "crypto/secure_memory.h"
#include "util/bytes.h"
#include "util/error.h"
#include "util/network.h"

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace blyan::wallet {

inline constexpr int kBackupFormatVersion = 1;

// Uncompressed size limits: a zip bomb stops at these (checked against the zip's directory and again
// while inflating, since the directory can lie).
inline constexpr std::uint64_t kMaxBackupKeystoreBytes = 1u << 20;   // 1 MiB
inline constexpr std::uint64_t kMaxBackupWalletDbBytes = 1u << 30;   // 1 GiB
inline constexpr std::uint64_t kMaxBackupConfigBytes = 1u << 20;     // 1 MiB
inline constexpr std::uint64_t kMaxBackupManifestBytes = 64u << 10;  // 64 KiB
inline constexpr std::size_t kBackupNodeKeyBytes = 32;

// What goes into a backup. The views must stay valid during writeBackup; nothing secret is copied out of
// secure memory except into the zip itself.
struct BackupSource {
    Network network = Network::Devnet;
    ByteView keystore;                 // keystore.blyw as on disk
    QString walletDbSnapshot;          // path of a consistent copy of wallet.sqlite (e.g. SQLite's backup API)
    ByteView nodeKey;                  // exactly kBackupNodeKeyBytes
    std::optional<ByteView> config;    // blyan.conf, when present
};

// Writes the backup zip to destPath (replacing a file there only once the new one is complete and synced).
Status writeBackup(const QString &destPath, const BackupSource &source);

struct BackupManifest {
    int formatVersion = kBackupFormatVersion;
    Network network = Network::Devnet;
    QDateTime created;        // UTC
    std::string appVersion;   // of the Blyan Desktop that wrote it
};

// The restored wallet.sqlite: a complete, synced file in the work folder given to readBackup. It is removed
// when this object dies unless moveTo() put it in place, so an abandoned restore leaves nothing behind.
class ExtractedFile {
public:
    ExtractedFile() = default;
    explicit ExtractedFile(QString path) : path_(std::move(path)) {}
    ~ExtractedFile();
    ExtractedFile(ExtractedFile &&other) noexcept : path_(std::exchange(other.path_, QString())) {}
    ExtractedFile &operator=(ExtractedFile &&other) noexcept;
    ExtractedFile(const ExtractedFile &) = delete;
    ExtractedFile &operator=(const ExtractedFile &) = delete;

    const QString &path() const { return path_; }
    // Atomically replaces destPath with this file (same file system as the work folder) and syncs its folder.
    Status moveTo(const QString &destPath);

private:
    QString path_;
};

struct BackupContents {
    BackupManifest manifest;
    Bytes keystore;                  // keystore.blyw, still encrypted
    crypto::SecureBytes nodeKey;     // kBackupNodeKeyBytes
    std::optional<Bytes> config;     // blyan.conf when the backup has one
    ExtractedFile walletDb;          // wallet.sqlite
};

// Reads and checks the backup at zipPath for `network` (another network's backup is refused). wallet.sqlite
// is extracted into workDir, which should be on the same file system as its final place.
Expected<BackupContents> readBackup(const QString &zipPath, Network network, const QString &workDir);

}  // namespace blyan::wallet
