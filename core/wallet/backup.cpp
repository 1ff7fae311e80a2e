// Writing backups, and the extracted wallet.sqlite of a restore. Reading is in backup_read.cpp.

#include "wallet/backup.h"

#include "util/version.h"
#include "wallet/backup_format.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <filesystem>
#include <system_error>

namespace blyan::wallet {

using namespace backupfmt;

namespace {

constexpr qint64 kChunk = 1 << 20;

std::filesystem::path fsPath(const QString &p)
{
#ifdef _WIN32
    return std::filesystem::path(p.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(p).toStdString());
#endif
}

Error writeError(const QString &dest, const std::string &what)
{
    return makeError(ErrorCode::Io, "cannot write the backup " + dest.toStdString() + ": " + what);
}

// One zip entry, owner-only permissions recorded (unzip tools apply them), the backup's time as its date.
class EntryWriter {
public:
    EntryWriter(QuaZip &zip, const char *name, const QDateTime &when) : file_(&zip)
    {
        QuaZipNewInfo info{QLatin1String(name)};
        info.dateTime = when;
        info.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        ok_ = file_.open(QIODevice::WriteOnly, info);
        record_.name = name;
    }
    bool write(ByteView data)
    {
        if (!ok_ || data.empty()) return ok_;
        hash_.update(data);
        record_.size += data.size();
        ok_ = file_.write(reinterpret_cast<const char *>(data.data()), static_cast<qint64>(data.size())) ==
              static_cast<qint64>(data.size());
        return ok_;
    }
    // The entry's record for the manifest, or nothing when any step failed.
    std::optional<EntryRecord> finish()
    {
        if (ok_) {
            file_.close();
            ok_ = file_.getZipError() == ZIP_OK;
        }
        if (!ok_) return std::nullopt;
        record_.hash = hash_.finish();
        return record_;
    }

private:
    QuaZipFile file_;
    crypto::Blake2b256Stream hash_;
    EntryRecord record_;
    bool ok_ = false;
};

Status checkSource(const BackupSource &s)
{
    if (s.nodeKey.size() != kBackupNodeKeyBytes)
        return makeError(ErrorCode::InvalidArgument, "backup: the node key is " + std::to_string(s.nodeKey.size()) +
                                                         " bytes, expected " + std::to_string(kBackupNodeKeyBytes));
    if (s.keystore.empty() || s.keystore.size() > kMaxBackupKeystoreBytes)
        return makeError(ErrorCode::InvalidArgument, "backup: the keystore is " + std::to_string(s.keystore.size()) +
                                                         " bytes, expected 1 to " +
                                                         std::to_string(kMaxBackupKeystoreBytes));
    if (s.config && s.config->size() > kMaxBackupConfigBytes)
        return makeError(ErrorCode::LimitExceeded, "backup: blyan.conf is over " +
                                                       std::to_string(kMaxBackupConfigBytes) + " bytes; shorten it");
    return {};
}

Expected<EntryRecord> writeBytes(QuaZip &zip, const char *name, ByteView data, const QDateTime &when, const QString &dest)
{
    EntryWriter w(zip, name, when);
    w.write(data);
    auto r = w.finish();
    if (!r) return writeError(dest, std::string("cannot add ") + name + " (zip error " +
                                        std::to_string(zip.getZipError()) + "; is the disk full?)");
    return *r;
}

// wallet.sqlite streams in chunks: it may be large, and it is hashed as it goes in, so the manifest describes
// exactly the bytes in the zip even if someone touched the snapshot meanwhile.
Expected<EntryRecord> writeFile(QuaZip &zip, const QString &path, const QDateTime &when, const QString &dest)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, "backup: cannot read the wallet database snapshot " +
                                                  path.toStdString() + ": " + in.errorString().toStdString());
    EntryWriter w(zip, kWalletDbName, when);
    QByteArray buf(kChunk, Qt::Uninitialized);
    std::uint64_t total = 0;
    for (;;) {
        const qint64 n = in.read(buf.data(), kChunk);
        if (n < 0)
            return makeError(ErrorCode::Io, "backup: reading " + path.toStdString() + ": " + in.errorString().toStdString());
        if (n == 0) break;
        total += static_cast<std::uint64_t>(n);
        if (total > kMaxBackupWalletDbBytes)
            return makeError(ErrorCode::LimitExceeded, "backup: the wallet database is over 1 GiB, the most a backup "
                                                       "holds; compact it (vacuum) and try again");
        if (!w.write(ByteView(reinterpret_cast<const std::uint8_t *>(buf.constData()), static_cast<std::size_t>(n))))
            break;
    }
    auto r = w.finish();
    if (!r) return writeError(dest, "cannot add wallet.sqlite (zip error " + std::to_string(zip.getZipError()) +
                                        "; is the disk full?)");
    return *r;
}

}  // namespace

Status writeBackup(const QString &destPath, const BackupSource &source)
{
    BLYAN_CHECK(checkSource(source));
    const QString dest = QFileInfo(destPath).absoluteFilePath();

    // QSaveFile: a temp file beside dest, renamed over it by commit(); dropped (and deleted) on any failure.
    QSaveFile out(dest);
    if (!out.open(QIODevice::WriteOnly)) return writeError(dest, out.errorString().toStdString());
    // node.key is a secret in the clear inside the zip: owner-only before a single byte goes in.
    if (!out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return writeError(dest, "cannot make it private (mode 0600): " + out.errorString().toStdString());

    Manifest manifest;
    manifest.info.network = source.network;
    // Whole seconds, as the manifest writes them, so a reader gets back exactly this time.
    manifest.info.created = QDateTime::fromSecsSinceEpoch(QDateTime::currentSecsSinceEpoch(), Qt::UTC);
    manifest.info.appVersion = BLYAN_VERSION_STRING;
    const QDateTime &when = manifest.info.created;
    {
        QuaZip zip(&out);
        zip.setAutoClose(false);  // QSaveFile must be committed, never closed
        if (!zip.open(QuaZip::mdCreate)) return writeError(dest, "cannot start the zip");
        BLYAN_TRY(EntryRecord keystore, writeBytes(zip, kKeystoreName, source.keystore, when, dest));
        BLYAN_TRY(EntryRecord walletDb, writeFile(zip, source.walletDbSnapshot, when, dest));
        BLYAN_TRY(EntryRecord nodeKey, writeBytes(zip, kNodeKeyName, source.nodeKey, when, dest));
        manifest.entries = {keystore, walletDb, nodeKey};
        if (source.config) {
            BLYAN_TRY(EntryRecord config, writeBytes(zip, kConfigName, *source.config, when, dest));
            manifest.entries.push_back(config);
        }
        // Last, because wallet.sqlite's hash is known only once it is in; readers find it by name.
        const QByteArray json = encodeManifest(manifest);
        BLYAN_TRY(EntryRecord m, writeBytes(zip, kManifestName, asBytes(std::string_view(json.constData(), json.size())),
                                           when, dest));
        (void)m;
        zip.close();
        if (zip.getZipError() != ZIP_OK)
            return writeError(dest, "cannot finish the zip (error " + std::to_string(zip.getZipError()) + ")");
    }
    BLYAN_CHECK(syncFile(out, dest));
    if (!out.commit()) return writeError(dest, out.errorString().toStdString());
    return syncDirectory(QFileInfo(dest).absolutePath());
}

ExtractedFile::~ExtractedFile()
{
    if (!path_.isEmpty()) QFile::remove(path_);
}

ExtractedFile &ExtractedFile::operator=(ExtractedFile &&other) noexcept
{
    if (this != &other) {
        if (!path_.isEmpty()) QFile::remove(path_);
        path_ = std::exchange(other.path_, QString());
    }
    return *this;
}

Status ExtractedFile::moveTo(const QString &destPath)
{
    if (path_.isEmpty()) return makeError(ErrorCode::Internal, "the extracted file was already moved");
    std::error_code ec;
    // std::filesystem::rename replaces an existing destination atomically (rename(2), MoveFileEx on Windows).
    std::filesystem::rename(fsPath(path_), fsPath(destPath), ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot put the restored file in place at " + destPath.toStdString() + ": " +
                                            ec.message() + " (the work folder must be on the same disk)");
    path_.clear();
    return syncDirectory(QFileInfo(destPath).absolutePath());
}

}  // namespace blyan::wallet
