#pragma once
// Whole small files replaced atomically (wallet keystore, settings snapshots): a reader or a crash sees
// either the old file or the new one, never a mix (DESIGN.md section 11: temp + fsync + rename + fsync of
// the directory).

#include "util/bytes.h"
#include "util/error.h"

#include <QString>

namespace blyan::storage {

// Writes `data` to a fresh temp file beside `path` (owner-only permissions), fsyncs it, renames it over
// `path` and fsyncs the directory. On failure `path` is untouched and the temp file removed.
Status writeFileAtomic(const QString &path, ByteView data);

// Reads a whole file of at most `maxSize` bytes (a larger one is refused before reading).
Expected<Bytes> readSmallFile(const QString &path, std::size_t maxSize);

}  // namespace blyan::storage
