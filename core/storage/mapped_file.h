#pragma once
// A read-only memory mapping of a whole file. Model checkpoints are tens of GB: mapping lets the engine
// and the P2P chunk server read them without copies and lets the OS page cache decide what stays in RAM.
//
// Caveat of every mmap: if another program truncates the file while it is mapped, touching the lost
// pages raises SIGBUS. Blyan never truncates or rewrites stored objects (they are immutable and replaced
// only by rename, which keeps the old inode alive for existing mappings), so this only concerns outside
// tampering with the data directory.

#include "util/bytes.h"

#include <QString>

#include <cstdint>
#include <memory>

#ifdef _WIN32
class QFile;
#endif

namespace blyan::storage {

class MappedFile {
public:
    enum class Access { Random, Sequential };

    static Expected<MappedFile> open(const QString &path, Access hint = Access::Random);

    MappedFile() = default;
    ~MappedFile();
    MappedFile(MappedFile &&other) noexcept;
    MappedFile &operator=(MappedFile &&other) noexcept;
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    ByteView bytes() const { return ByteView(data_, size_); }
    std::uint64_t size() const { return size_; }
    const QString &path() const { return path_; }
    // Tells the kernel how the mapping will be read next (e.g. Sequential for one verification pass).
    void adviseAccess(Access hint) const;

private:
    void unmap();

    const std::uint8_t *data_ = nullptr;  // null for an empty file: mmap cannot map zero bytes
    std::size_t size_ = 0;
    QString path_;
#ifdef _WIN32
    std::unique_ptr<QFile> file_;  // Windows: QFile::map wraps MapViewOfFile
#endif
};

}  // namespace blyan::storage
