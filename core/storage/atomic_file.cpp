#include "storage/atomic_file.h"

#include "crypto/secure_memory.h"
#include "storage/file_io.h"

#include <QFile>
#include <QFileInfo>

namespace blyan::storage {

Status writeFileAtomic(const QString &path, ByteView data)
{
    // A random suffix: two writers (or a crashed earlier one) never share a temp file.
    const QString tmp = path + QStringLiteral(".tmp-") + QString::fromStdString(toHex(crypto::randomBytes(6)));
    {
        BLYAN_TRY(fileio::Fd fd, fileio::createExclusive(tmp));
        // Owner-only before a byte goes in, whatever the process umask.
        Status s = QFile::setPermissions(tmp, QFile::ReadOwner | QFile::WriteOwner)
                       ? Status{}
                       : makeError(ErrorCode::Io, "cannot restrict the permissions of " + tmp.toStdString());
        if (s.ok()) s = fileio::writeAll(fd, data, tmp);
        if (s.ok()) s = fileio::syncFile(fd, tmp);
        if (!s.ok()) {
            fd.close();
            (void)fileio::removeFile(tmp);
            return s;
        }
    }
    if (Status s = fileio::renameReplace(tmp, path); !s.ok()) {
        (void)fileio::removeFile(tmp);
        return s;
    }
    return fileio::syncDirectory(QFileInfo(path).absolutePath());
}

Expected<Bytes> readSmallFile(const QString &path, std::size_t maxSize)
{
    BLYAN_TRY(const fileio::Fd fd, fileio::openRead(path));
    BLYAN_TRY(const std::uint64_t size, fileio::fileSize(fd, path));
    if (size > maxSize)
        return makeError(ErrorCode::LimitExceeded, path.toStdString() + " is " + std::to_string(size) +
                                                       " bytes, more than the " + std::to_string(maxSize) +
                                                       " such a file can be; is it the right file?");
    Bytes out(static_cast<std::size_t>(size));
    BLYAN_TRY(const std::size_t n, fileio::readAt(fd, 0, out.data(), out.size(), path));
    out.resize(n);
    return out;
}

}  // namespace blyan::storage
