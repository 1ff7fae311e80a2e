#pragma once
// Internal to backup*.cpp: the entries a backup zip may hold, manifest.json both ways, and the fsync calls
// that make the zip (and a restored wallet.sqlite) durable. The format itself is in docs/protocol.md.

#include "crypto/hash.h"
#include "wallet/backup.h"

#include <QByteArray>
#include <QFileDevice>
#include <QString>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace blyan::wallet::backupfmt {

inline constexpr const char *kManifestName = "manifest.json";
inline constexpr const char *kKeystoreName = "keystore.blyw";
inline constexpr const char *kWalletDbName = "wallet.sqlite";
inline constexpr const char *kNodeKeyName = "node.key";
inline constexpr const char *kConfigName = "blyan.conf";
inline constexpr const char *kFormatName = "blyan-wallet-backup";

struct EntrySpec {
    const char *name;
    std::uint64_t maxBytes;
    bool required;
    bool exactSize;  // the size must be maxBytes (node.key)
};

// The data entries (manifest.json aside), in the order they are written.
std::span<const EntrySpec> entrySpecs();
const EntrySpec *findSpec(const QString &name);

struct EntryRecord {
    std::string name;
    std::uint64_t size = 0;
    crypto::Hash256 hash{};
};

struct Manifest {
    BackupManifest info;
    std::vector<EntryRecord> entries;
};

QByteArray encodeManifest(const Manifest &manifest);
// Strict: every field present with its type, nothing unknown, names from entrySpecs() once each, sizes
// within their limits, a newer format version named as such.
Expected<Manifest> decodeManifest(const QByteArray &json);

// fsync (or _commit) of an open file, after flushing Qt's buffer.
Status syncFile(QFileDevice &file, const QString &what);
// Makes a rename in `dir` durable; a no-op where the platform has no such operation.
Status syncDirectory(const QString &dir);

}  // namespace blyan::wallet::backupfmt
