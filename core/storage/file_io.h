#pragma once
// Low-level file operations for the object store, in one place so that the durability rules (and their
// platform differences) are written once: write fully, fsync the file, rename over, fsync the directory.
// Internal to core/storage.

#include "util/bytes.h"

#include <QString>

#include <cstdint>

namespace blyan::storage::fileio {

// A plain file descriptor with RAII close.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { close(); }
    Fd(Fd &&other) noexcept : fd_(other.release()) {}
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    int release();
    void close();

private:
    int fd_ = -1;
};

// An Error for a failed system call on `path`, with advice where there is some (disk full, read-only...).
Error ioError(const QString &path, const std::string &what, int err);

Expected<Fd> createExclusive(const QString &path);  // new file, fails if it exists
Expected<Fd> openRead(const QString &path);
Status writeAll(const Fd &fd, ByteView data, const QString &path);
// Reads up to `size` bytes at `offset`, fewer only at end of file.
Expected<std::size_t> readAt(const Fd &fd, std::uint64_t offset, std::uint8_t *buf, std::size_t size, const QString &path);
Expected<std::uint64_t> fileSize(const Fd &fd, const QString &path);
Status syncFile(const Fd &fd, const QString &path);
// Makes a rename or a new entry in `dir` durable. A no-op where the platform has no such operation.
Status syncDirectory(const QString &dir);
// Atomically replaces `to` with `from` (same filesystem).
Status renameReplace(const QString &from, const QString &to);
Status makeReadOnly(const Fd &fd, const QString &path);
// Removes a file; a missing file is not an error.
Status removeFile(const QString &path);
// Non-blocking exclusive advisory lock on an open file; released when the process dies, which is what
// lets a store tell a crashed writer's temp file from a live one.
bool tryLock(const Fd &fd);
// Whether `fd` is still the file at `path` (not unlinked or replaced).
bool sameFile(const Fd &fd, const QString &path);
// Bytes an unprivileged process may still write on the file system holding `dir`; -1 if unknown.
std::int64_t availableBytes(const QString &dir);

}  // namespace blyan::storage::fileio
