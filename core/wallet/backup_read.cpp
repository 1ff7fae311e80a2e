// Reading backups: the whole zip is checked before anything is handed over. Order of checks: is it a zip at
// all, is its directory sane (names, count, sizes, no encryption), is the manifest there and valid, is it this
// network's, do the manifest and the zip list the same entries, and only then inflate each entry (capped)
// and compare its hash. So the cheap, specific errors come first and a wrong network costs no 1 GiB read.

#include "wallet/backup.h"

#include "wallet/backup_format.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>

#include <map>
#include <span>

namespace blyan::wallet {

using namespace backupfmt;

namespace {

constexpr qint64 kChunk = 1 << 16;

std::string str(const QString &s) { return s.toStdString(); }

Error corrupt(const QString &zipPath, const std::string &what)
{
    return makeError(ErrorCode::Corrupt, "the backup " + str(zipPath) + " " + what);
}

std::uint64_t limitFor(const QString &name)
{
    if (name == QLatin1String(kManifestName)) return kMaxBackupManifestBytes;
    const EntrySpec *spec = findSpec(name);
    return spec ? spec->maxBytes : 0;
}

// Names are matched exactly against the known set, so nothing can be written outside the work folder; a
// traversal attempt still gets its own message, because it says the file was made to attack.
bool unsafeName(const QString &name)
{
    return name.isEmpty() || name.startsWith(QLatin1Char('/')) || name.startsWith(QLatin1Char('\\')) ||
           name.contains(QLatin1String("..")) || name.contains(QLatin1Char(':')) || name.contains(QLatin1Char('\\'));
}

Expected<std::map<QString, QuaZipFileInfo64>> listEntries(QuaZip &zip, const QString &zipPath)
{
    // A backup has at most 5 entries; an entry too many gets its own message below. This cap only keeps a
    // zip of a million entries from being walked at all.
    constexpr int kMaxEntries = 64;
    if (zip.getEntriesCount() > kMaxEntries)
        return corrupt(zipPath, "has " + std::to_string(zip.getEntriesCount()) + " entries; a Blyan wallet backup has "
                                "at most " + std::to_string(entrySpecs().size() + 1) + ": it is not one");
    std::map<QString, QuaZipFileInfo64> entries;
    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
        QuaZipFileInfo64 info;
        if (!zip.getCurrentFileInfo(&info)) break;
        const QString &name = info.name;
        if (unsafeName(name))
            return corrupt(zipPath, "holds an entry with an unsafe path '" + str(name) + "': it was not written by "
                                    "Blyan Desktop; do not restore it");
        const std::uint64_t limit = limitFor(name);
        if (limit == 0) return corrupt(zipPath, "holds an unexpected entry '" + str(name) + "'; a Blyan wallet backup "
                                                "has only keystore.blyw, wallet.sqlite, node.key, blyan.conf and "
                                                "manifest.json");
        if (entries.count(name)) return corrupt(zipPath, "holds '" + str(name) + "' twice: it was altered");
        if (info.flags & 1) return corrupt(zipPath, "has an encrypted entry '" + str(name) + "'; Blyan backups are not "
                                                    "zip-encrypted (the keystore inside is)");
        if (info.method != 0 && info.method != Z_DEFLATED)
            return corrupt(zipPath, "stores '" + str(name) + "' with compression method " +
                                        std::to_string(info.method) + "; only stored and deflate are used");
        if (name == QLatin1String(kNodeKeyName) && info.uncompressedSize != kBackupNodeKeyBytes)
            return corrupt(zipPath, "has a node.key of " + std::to_string(info.uncompressedSize) +
                                        " bytes; a node key is exactly 32: it was altered");
        if (info.uncompressedSize > limit)
            return makeError(ErrorCode::LimitExceeded,
                             "the backup " + str(zipPath) + " says '" + str(name) + "' is " +
                                 std::to_string(info.uncompressedSize) + " bytes, over the " + std::to_string(limit) +
                                 " a backup may hold for it; refusing to unpack it (it may be a zip bomb)");
        entries.emplace(name, info);
    }
    if (zip.getZipError() != UNZ_OK)
        return corrupt(zipPath, "is damaged or truncated: its zip directory cannot be read (error " +
                                    std::to_string(zip.getZipError()) + "); use another copy");
    return entries;
}

struct EntryDigest {
    std::uint64_t size = 0;
    crypto::Hash256 hash{};
};

// Inflates one entry through `buf` into `sink`, never past `limit` bytes whatever the directory claimed.
template <typename Sink>
Expected<EntryDigest> readEntry(QuaZip &zip, const QString &zipPath, const QString &name, std::uint64_t limit,
                                std::span<std::uint8_t> buf, Sink sink)
{
    if (!zip.setCurrentFile(name, QuaZip::csSensitive)) return corrupt(zipPath, "lost '" + str(name) + "' while reading");
    QuaZipFile f(&zip);
    if (!f.open(QIODevice::ReadOnly))
        return corrupt(zipPath, "cannot open '" + str(name) + "' (zip error " + std::to_string(f.getZipError()) +
                                    "): it is damaged or truncated");
    crypto::Blake2b256Stream hash;
    EntryDigest d;
    for (;;) {
        const qint64 n = f.read(reinterpret_cast<char *>(buf.data()), static_cast<qint64>(buf.size()));
        if (n < 0) return corrupt(zipPath, "cannot unpack '" + str(name) + "': it is damaged or truncated");
        if (n == 0) break;
        d.size += static_cast<std::uint64_t>(n);
        if (d.size > limit)
            return makeError(ErrorCode::LimitExceeded, "the backup " + str(zipPath) + " unpacks '" + str(name) +
                                                           "' past its limit of " + std::to_string(limit) +
                                                           " bytes; refusing it (it may be a zip bomb)");
        const ByteView chunk(buf.data(), static_cast<std::size_t>(n));
        hash.update(chunk);
        BLYAN_CHECK(sink(chunk));
    }
    f.close();
    if (f.getZipError() != UNZ_OK)
        return corrupt(zipPath, "has a damaged '" + str(name) + "' (its CRC does not match); use another copy");
    d.hash = hash.finish();
    return d;
}

Status appendTo(Bytes &out, ByteView chunk)
{
    out.insert(out.end(), chunk.begin(), chunk.end());
    return {};
}

Status checkAgainst(const QString &zipPath, const EntryRecord &expected, const EntryDigest &got)
{
    if (got.size != expected.size || got.hash != expected.hash)
        return corrupt(zipPath, "has a '" + expected.name + "' that does not match the hash in its manifest: the "
                                "backup was altered or damaged; use another copy");
    return {};
}

Expected<Manifest> readManifest(QuaZip &zip, const QString &zipPath,
                                const std::map<QString, QuaZipFileInfo64> &entries, Network network)
{
    if (!entries.count(QLatin1String(kManifestName)))
        return corrupt(zipPath, "has no manifest.json: it is not a Blyan wallet backup, or it is damaged");
    Bytes json;
    Bytes buf(kChunk);
    BLYAN_TRY(EntryDigest d, readEntry(zip, zipPath, QLatin1String(kManifestName), kMaxBackupManifestBytes, buf,
                                       [&json](ByteView c) { return appendTo(json, c); }));
    (void)d;
    auto manifest = decodeManifest(QByteArray(reinterpret_cast<const char *>(json.data()), static_cast<qsizetype>(json.size())));
    if (!manifest) return manifest.error().context("the backup " + str(zipPath));
    if (manifest->info.network != network)
        return makeError(ErrorCode::InvalidArgument,
                         "the backup " + str(zipPath) + " belongs to " + str(networkName(manifest->info.network)) +
                             ", but this node runs " + str(networkName(network)) + ": restore it with --network " +
                             str(networkName(manifest->info.network)));
    // The zip and the manifest must agree on the entries before any of them is unpacked.
    for (const EntryRecord &e : manifest->entries) {
        auto it = entries.find(QString::fromStdString(e.name));
        if (it == entries.end())
            return corrupt(zipPath, "lacks '" + e.name + "', which its manifest lists: it is incomplete");
        if (it->second.uncompressedSize != e.size)
            return corrupt(zipPath, "has a '" + e.name + "' of another size than its manifest says: it was altered");
    }
    for (const auto &[name, info] : entries) {
        if (name == QLatin1String(kManifestName)) continue;
        bool listed = false;
        for (const EntryRecord &e : manifest->entries) listed |= name == QString::fromStdString(e.name);
        if (!listed) return corrupt(zipPath, "holds '" + str(name) + "', which its manifest does not list: it was altered");
    }
    return std::move(manifest).value();
}

Status checkZipFile(const QString &zipPath)
{
    const QFileInfo fi(zipPath);
    if (!fi.exists()) return makeError(ErrorCode::NotFound, "no backup file at " + str(zipPath));
    QFile f(zipPath);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, "cannot open the backup " + str(zipPath) + ": " + str(f.errorString()));
    const QByteArray magic = f.read(4);
    if (magic != QByteArray("PK\x03\x04", 4) && magic != QByteArray("PK\x05\x06", 4))
        return makeError(ErrorCode::Malformed, str(zipPath) + " is not a zip file; choose a wallet backup written by "
                                                              "Blyan Desktop (.zip)");
    return {};
}

}  // namespace

Expected<BackupContents> readBackup(const QString &zipPath, Network network, const QString &workDir)
{
    BLYAN_CHECK(checkZipFile(zipPath));
    QuaZip zip(zipPath);
    if (!zip.open(QuaZip::mdUnzip))
        return corrupt(zipPath, "is damaged or truncated: its zip directory cannot be read (error " +
                                    std::to_string(zip.getZipError()) + "); use another copy");
    BLYAN_TRY(auto entries, listEntries(zip, zipPath));
    BLYAN_TRY(Manifest manifest, readManifest(zip, zipPath, entries, network));

    if (!QFileInfo(workDir).isDir())
        return makeError(ErrorCode::NotFound, "restore: the work folder " + str(workDir) + " does not exist");
    // Removed by its destructor on every failure below; kept only once everything checked out.
    QTemporaryFile dbFile(workDir + QStringLiteral("/wallet.sqlite.restore-XXXXXX"));
    if (!dbFile.open())
        return makeError(ErrorCode::Io, "restore: cannot create a file in " + str(workDir) + ": " +
                                            str(dbFile.errorString()));

    BackupContents out;
    out.manifest = manifest.info;
    Bytes buf(kChunk);
    for (const EntryRecord &e : manifest.entries) {
        const QString name = QString::fromStdString(e.name);
        const std::uint64_t limit = limitFor(name);
        Expected<EntryDigest> got = makeError(ErrorCode::Internal, "unreached");
        if (e.name == kNodeKeyName) {
            // The secret goes from the inflater straight into secure memory.
            crypto::SecureBytes scratch(kBackupNodeKeyBytes + 1), key(kBackupNodeKeyBytes);
            std::size_t at = 0;
            got = readEntry(zip, zipPath, name, limit, scratch.span(), [&](ByteView c) -> Status {
                std::copy(c.begin(), c.end(), key.data() + at);  // readEntry stops before the limit is passed
                at += c.size();
                return {};
            });
            if (got && got->size != kBackupNodeKeyBytes)
                return corrupt(zipPath, "has a node.key of " + std::to_string(got->size) + " bytes, expected 32");
            out.nodeKey = std::move(key);
        } else if (e.name == kWalletDbName) {
            got = readEntry(zip, zipPath, name, limit, buf, [&](ByteView c) -> Status {
                if (dbFile.write(reinterpret_cast<const char *>(c.data()), static_cast<qint64>(c.size())) !=
                    static_cast<qint64>(c.size()))
                    return makeError(ErrorCode::Io, "restore: cannot write " + str(dbFile.fileName()) + ": " +
                                                        str(dbFile.errorString()) + " (is the disk full?)");
                return {};
            });
        } else {
            Bytes &dest = e.name == kKeystoreName ? out.keystore : out.config.emplace();
            got = readEntry(zip, zipPath, name, limit, buf, [&dest](ByteView c) { return appendTo(dest, c); });
        }
        if (!got) return got.error();
        BLYAN_CHECK(checkAgainst(zipPath, e, *got));
    }
    BLYAN_CHECK(syncFile(dbFile, dbFile.fileName()));
    dbFile.close();
    dbFile.setAutoRemove(false);
    out.walletDb = ExtractedFile(dbFile.fileName());
    return out;
}

}  // namespace blyan::wallet
