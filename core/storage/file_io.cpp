#include "storage/file_io.h"

#include <QFile>
#include <QStorageInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#ifdef _WIN32
#include <io.h>
#include <windows.h>
#include <fcntl.h>
#include <sys/stat.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#endif

namespace blyan::storage::fileio {

namespace {
QByteArray native(const QString &path) { return QFile::encodeName(path); }
}  // namespace

Fd &Fd::operator=(Fd &&other) noexcept
{
    if (this != &other) {
        close();
        fd_ = other.release();
    }
    return *this;
}

int Fd::release() { return std::exchange(fd_, -1); }

void Fd::close()
{
    if (fd_ < 0) return;
#ifdef _WIN32
    ::_close(fd_);
#else
    ::close(fd_);
#endif
    fd_ = -1;
}

Error ioError(const QString &path, const std::string &what, int err)
{
    std::string advice;
    ErrorCode code = ErrorCode::Io;
    switch (err) {
    case ENOENT: code = ErrorCode::NotFound; break;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        advice = " (the disk is full: free some space and try again)";
        break;
    case EROFS: advice = " (the file system is read-only)"; break;
    case EACCES:
    case EPERM: advice = " (check the permissions of the data directory)"; break;
    case EFBIG: advice = " (over the file size limit of this file system or process)"; break;
    default: break;
    }
    return makeError(code, path.toStdString() + ": " + what + ": " + std::strerror(err) + advice);
}

#ifndef _WIN32

Expected<Fd> createExclusive(const QString &path)
{
    const int fd = ::open(native(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return ioError(path, "cannot create file", errno);
    return Fd(fd);
}

Expected<Fd> openRead(const QString &path)
{
    const int fd = ::open(native(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ioError(path, "cannot open", errno);
    return Fd(fd);
}

Status writeAll(const Fd &fd, ByteView data, const QString &path)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd.get(), data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return ioError(path, "write failed", errno);
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

Expected<std::size_t> readAt(const Fd &fd, std::uint64_t offset, std::uint8_t *buf, std::size_t size, const QString &path)
{
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd.get(), buf + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return ioError(path, "read failed", errno);
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

Expected<std::uint64_t> fileSize(const Fd &fd, const QString &path)
{
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return ioError(path, "cannot stat", errno);
    if (!S_ISREG(st.st_mode)) return makeError(ErrorCode::Io, path.toStdString() + ": not a regular file");
    return static_cast<std::uint64_t>(st.st_size);
}

Status syncFile(const Fd &fd, const QString &path)
{
#ifdef __APPLE__
    // macOS fsync does not flush the drive's cache; F_FULLFSYNC does.
    if (::fcntl(fd.get(), F_FULLFSYNC) == 0) return {};
#endif
    while (::fsync(fd.get()) != 0) {
        if (errno != EINTR) return ioError(path, "fsync failed", errno);
    }
    return {};
}

Status syncDirectory(const QString &dir)
{
    const int fd = ::open(native(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ioError(dir, "cannot open directory to sync it", errno);
    Fd guard(fd);
    while (::fsync(fd) != 0) {
        if (errno == EINTR) continue;
        // Some file systems cannot fsync a directory; the rename is then as durable as they allow.
        if (errno == EINVAL || errno == ENOTSUP) return {};
        return ioError(dir, "fsync of directory failed", errno);
    }
    return {};
}

Status renameReplace(const QString &from, const QString &to)
{
    if (::rename(native(from).constData(), native(to).constData()) != 0)
        return ioError(to, "cannot rename " + from.toStdString() + " into place", errno);
    return {};
}

Status makeReadOnly(const Fd &fd, const QString &path)
{
    if (::fchmod(fd.get(), 0444) != 0) return ioError(path, "chmod failed", errno);
    return {};
}

Status removeFile(const QString &path)
{
    if (::unlink(native(path).constData()) != 0 && errno != ENOENT) return ioError(path, "cannot remove", errno);
    return {};
}

bool tryLock(const Fd &fd) { return ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0; }

bool sameFile(const Fd &fd, const QString &path)
{
    struct stat a {}, b {};
    if (::fstat(fd.get(), &a) != 0 || ::stat(native(path).constData(), &b) != 0) return false;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

std::int64_t availableBytes(const QString &dir)
{
    // statvfs directly: QStorageInfo also parses the mount table, too slow to ask before every write.
    struct statvfs vfs {};
    if (::statvfs(native(dir).constData(), &vfs) != 0) return -1;
    return static_cast<std::int64_t>(vfs.f_bavail) * static_cast<std::int64_t>(vfs.f_frsize);
}

#else  // _WIN32: the CRT's descriptor API; an open file cannot be deleted, which stands in for the lock.

Expected<Fd> createExclusive(const QString &path)
{
    const int fd = ::_wopen(reinterpret_cast<const wchar_t *>(path.utf16()),
                            _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY | _O_NOINHERIT, _S_IREAD | _S_IWRITE);
    if (fd < 0) return ioError(path, "cannot create file", errno);
    return Fd(fd);
}

Expected<Fd> openRead(const QString &path)
{
    const int fd = ::_wopen(reinterpret_cast<const wchar_t *>(path.utf16()), _O_RDONLY | _O_BINARY | _O_NOINHERIT);
    if (fd < 0) return ioError(path, "cannot open", errno);
    return Fd(fd);
}

Status writeAll(const Fd &fd, ByteView data, const QString &path)
{
    while (!data.empty()) {
        const unsigned part = static_cast<unsigned>(std::min<std::size_t>(data.size(), 1u << 30));
        const int n = ::_write(fd.get(), data.data(), part);
        if (n < 0) return ioError(path, "write failed", errno);
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

Expected<std::size_t> readAt(const Fd &fd, std::uint64_t offset, std::uint8_t *buf, std::size_t size, const QString &path)
{
    if (::_lseeki64(fd.get(), static_cast<__int64>(offset), SEEK_SET) < 0) return ioError(path, "seek failed", errno);
    std::size_t done = 0;
    while (done < size) {
        const unsigned part = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
        const int n = ::_read(fd.get(), buf + done, part);
        if (n < 0) return ioError(path, "read failed", errno);
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

Expected<std::uint64_t> fileSize(const Fd &fd, const QString &path)
{
    const __int64 n = ::_filelengthi64(fd.get());
    if (n < 0) return ioError(path, "cannot stat", errno);
    return static_cast<std::uint64_t>(n);
}

Status syncFile(const Fd &fd, const QString &path)
{
    if (::_commit(fd.get()) != 0) return ioError(path, "flush to disk failed", errno);
    return {};
}

Status syncDirectory(const QString &) { return {}; }  // NTFS journals renames; there is no directory fsync

Status renameReplace(const QString &from, const QString &to)
{
    if (!::MoveFileExW(reinterpret_cast<const wchar_t *>(from.utf16()), reinterpret_cast<const wchar_t *>(to.utf16()),
                       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return makeError(ErrorCode::Io, to.toStdString() + ": cannot rename " + from.toStdString() + " into place (error " +
                                            std::to_string(::GetLastError()) + ")");
    return {};
}

Status makeReadOnly(const Fd &, const QString &) { return {}; }  // a read-only file could not be replaced

Status removeFile(const QString &path)
{
    if (!QFile::exists(path) || QFile::remove(path)) return {};
    return makeError(ErrorCode::Io, path.toStdString() + ": cannot remove (is it open in another program?)");
}

bool tryLock(const Fd &) { return true; }

bool sameFile(const Fd &, const QString &path) { return QFile::exists(path); }

std::int64_t availableBytes(const QString &dir)
{
    const QStorageInfo si(dir);
    return si.isValid() ? si.bytesAvailable() : -1;
}

#endif

}  // namespace blyan::storage::fileio
