#include "storage/mapped_file.h"

#include <QFile>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace blyan::storage {

namespace {
Error ioError(const QString &path, const std::string &what, int err)
{
    return makeError(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                     path.toStdString() + ": " + what + ": " + std::strerror(err));
}
}  // namespace

MappedFile::~MappedFile() { unmap(); }

MappedFile::MappedFile(MappedFile &&other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)), path_(std::move(other.path_))
#ifdef _WIN32
      ,
      file_(std::move(other.file_))
#endif
{
}

MappedFile &MappedFile::operator=(MappedFile &&other) noexcept
{
    if (this != &other) {
        unmap();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        path_ = std::move(other.path_);
#ifdef _WIN32
        file_ = std::move(other.file_);
#endif
    }
    return *this;
}

#ifndef _WIN32

Expected<MappedFile> MappedFile::open(const QString &path, Access hint)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ioError(path, "cannot open for mapping", errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return ioError(path, "cannot stat", err);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return makeError(ErrorCode::Io, path.toStdString() + ": not a regular file");
    }
    if (static_cast<std::uint64_t>(st.st_size) > SIZE_MAX) {
        ::close(fd);
        return makeError(ErrorCode::LimitExceeded, path.toStdString() + ": file too large to map on this system");
    }
    MappedFile out;
    out.path_ = path;
    out.size_ = static_cast<std::size_t>(st.st_size);
    if (out.size_ > 0) {
        void *p = ::mmap(nullptr, out.size_, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            out.size_ = 0;
            return ioError(path, "mmap failed", err);
        }
        out.data_ = static_cast<const std::uint8_t *>(p);
    }
    ::close(fd);  // the mapping keeps its own reference to the file
    out.adviseAccess(hint);
    return out;
}

void MappedFile::adviseAccess(Access hint) const
{
    if (!data_) return;
    ::posix_madvise(const_cast<std::uint8_t *>(data_), size_,
                    hint == Access::Sequential ? POSIX_MADV_SEQUENTIAL : POSIX_MADV_RANDOM);
}

void MappedFile::unmap()
{
    if (data_) ::munmap(const_cast<std::uint8_t *>(data_), size_);
    data_ = nullptr;
    size_ = 0;
}

#else  // _WIN32

Expected<MappedFile> MappedFile::open(const QString &path, Access)
{
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return makeError(file->exists() ? ErrorCode::Io : ErrorCode::NotFound,
                         path.toStdString() + ": cannot open for mapping: " + file->errorString().toStdString());
    MappedFile out;
    out.path_ = path;
    out.size_ = static_cast<std::size_t>(file->size());
    if (out.size_ > 0) {
        out.data_ = file->map(0, file->size());
        if (!out.data_) return makeError(ErrorCode::Io, path.toStdString() + ": map failed: " + file->errorString().toStdString());
    }
    out.file_ = std::move(file);
    return out;
}

void MappedFile::adviseAccess(Access) const {}

void MappedFile::unmap()
{
    if (file_ && data_) file_->unmap(const_cast<std::uint8_t *>(data_));
    file_.reset();
    data_ = nullptr;
    size_ = 0;
}

#endif

}  // namespace blyan::storage
