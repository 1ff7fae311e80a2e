#include "storage/object_store.h"

#include "storage/file_io.h"
#include "util/log.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>

#include <algorithm>
#include <map>
#include <optional>
#include <mutex>
#include <string>

namespace blyan::storage {

namespace {

constexpr std::size_t kWriteBuffer = 256 * 1024;     // batches small appends into fewer write() calls
constexpr std::uint64_t kSpaceCheckEvery = 256ull << 20;
constexpr std::size_t kReadBuffer = 1 << 20;

std::string hex(const Hash256 &h) { return crypto::hashToHex(h); }

bool isHexName(const QString &name, int length)
{
    if (name.size() != length) return false;
    for (const QChar c : name)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) return false;
    return true;
}

Error corrupt(const Hash256 &hash, const QString &path, const std::string &what)
{
    return makeError(ErrorCode::Corrupt, "stored object " + hex(hash) + " is corrupt: " + path.toStdString() + " " + what +
                                             ". Delete that file; Blyan will fetch the object again from peers");
}

Error notFound(const Hash256 &hash, const QString &dir)
{
    return makeError(ErrorCode::NotFound, "object " + hex(hash) + " is not in the object store " + dir.toStdString());
}

std::string sizeText(std::uint64_t bytes) { return std::to_string(bytes) + " bytes"; }

}  // namespace

// ---- shared state ---------------------------------------------------------------------------------

struct ObjectStore::State {
    QString dir;
    QString tmpDir;
    ObjectStoreOptions options;

    struct Tree {
        ObjectInfo info;
        std::vector<Hash256> leaves;
    };
    std::mutex mutex;
    std::map<Hash256, std::shared_ptr<const Tree>> trees;  // leaf hashes of objects known to be good
    std::uint64_t cachedLeaves = 0;
    // Totals are walked from disk once, then kept up to date by commit() and remove(): the node
    // shows them every few seconds and a real model is thousands of objects.
    std::optional<ObjectStoreStats> totals;

    void noteStored(std::uint64_t size, std::optional<std::uint64_t> replacedSize)
    {
        std::lock_guard lock(mutex);
        if (!totals) return;
        if (replacedSize) {
            totals->totalBytes = totals->totalBytes - *replacedSize + size;
        } else {
            ++totals->objectCount;
            totals->totalBytes += size;
        }
    }
    void noteRemoved(std::uint64_t size)
    {
        std::lock_guard lock(mutex);
        if (!totals || totals->objectCount == 0) return;
        --totals->objectCount;
        totals->totalBytes -= std::min(totals->totalBytes, size);
    }

    QString pathFor(const Hash256 &h) const
    {
        const QString x = QString::fromStdString(hex(h));
        return dir + u'/' + x.left(2) + u'/' + x;
    }

    std::shared_ptr<const Tree> cachedTree(const Hash256 &h)
    {
        std::lock_guard lock(mutex);
        auto it = trees.find(h);
        return it == trees.end() ? nullptr : it->second;
    }

    void cacheTree(const ObjectInfo &info, std::vector<Hash256> leaves)
    {
        cacheTree(std::make_shared<const Tree>(Tree{info, std::move(leaves)}));
    }

    void cacheTree(std::shared_ptr<const Tree> tree)
    {
        const ObjectInfo &info = tree->info;
        if (tree->leaves.size() != info.chunkCount || tree->leaves.size() > options.leafCacheLimit) return;
        std::lock_guard lock(mutex);
        dropLocked(info.hash);
        // Bounded: evict arbitrary entries (objects can always be re-verified) until the new one fits.
        while (!trees.empty() && cachedLeaves + tree->leaves.size() > options.leafCacheLimit) {
            cachedLeaves -= trees.begin()->second->leaves.size();
            trees.erase(trees.begin());
        }
        cachedLeaves += tree->leaves.size();
        trees.emplace(info.hash, std::move(tree));
    }

    void drop(const Hash256 &h)
    {
        std::lock_guard lock(mutex);
        dropLocked(h);
    }

    void dropLocked(const Hash256 &h)
    {
        auto it = trees.find(h);
        if (it == trees.end()) return;
        cachedLeaves -= it->second->leaves.size();
        trees.erase(it);
    }

    Status checkFreeSpace(std::uint64_t needed) const
    {
        const std::int64_t free = fileio::availableBytes(dir);
        if (free < 0) return {};  // unknown: let the writes themselves decide
        const auto avail = static_cast<std::uint64_t>(free);
        if (avail < needed || avail - needed < options.minFreeBytes)
            return makeError(ErrorCode::Io, "not enough disk space in " + dir.toStdString() + ": storing " + sizeText(needed) +
                                                " would leave less than " + sizeText(options.minFreeBytes) + " free (" +
                                                sizeText(avail) + " available); free some space and try again");
        return {};
    }

    // One sequential pass over the stored file: payload hash, Merkle root, leaves.
    Expected<Tree> hashStored(const Hash256 &h) const
    {
        const QString path = pathFor(h);
        auto fd = fileio::openRead(path);
        if (!fd.ok()) return fd.error().code == ErrorCode::NotFound ? notFound(h, dir) : fd.error();
        PayloadHasher hasher(true);
        Bytes buf(kReadBuffer);
        std::uint64_t offset = 0;
        for (;;) {
            BLYAN_TRY(const std::size_t n, fileio::readAt(*fd, offset, buf.data(), buf.size(), path));
            if (n == 0) break;
            hasher.update(ByteView(buf.data(), n));
            offset += n;
        }
        auto r = hasher.finish();
        if (r.hash != h) return corrupt(h, path, "(" + sizeText(r.size) + ") hashes to " + hex(r.hash));
        return Tree{ObjectInfo{r.hash, r.size, r.chunkCount, r.merkleRoot}, std::move(r.leaves)};
    }

    Expected<std::shared_ptr<const Tree>> tree(const Hash256 &h)
    {
        if (auto t = cachedTree(h)) return t;
        BLYAN_TRY(Tree t, hashStored(h));
        auto shared = std::make_shared<const Tree>(std::move(t));
        cacheTree(shared);
        return shared;
    }
};

// ---- writer ---------------------------------------------------------------------------------------

struct ObjectWriter::Impl {
    std::shared_ptr<ObjectStore::State> store;
    WriteOptions options;
    QString tmpPath;
    fileio::Fd fd;
    Bytes buffer;
    PayloadHasher hasher{true};
    std::uint64_t nextSpaceCheck = kSpaceCheckEvery;
    std::optional<Error> failed;

    std::uint64_t limit() const { return options.expectedSize.value_or(store->options.maxObjectSize); }

    Status flush()
    {
        if (buffer.empty()) return {};
        const Status s = fileio::writeAll(fd, buffer, tmpPath);
        buffer.clear();
        return s;
    }

    void discard()
    {
        fd.close();
        if (!tmpPath.isEmpty()) (void)fileio::removeFile(tmpPath);
        tmpPath.clear();
    }

    Status fail(Error e)
    {
        discard();
        failed = e;
        return e;
    }
};

ObjectWriter::ObjectWriter() = default;
ObjectWriter::~ObjectWriter() { abandon(); }
ObjectWriter::ObjectWriter(ObjectWriter &&) noexcept = default;

ObjectWriter &ObjectWriter::operator=(ObjectWriter &&other) noexcept
{
    if (this != &other) {
        abandon();
        d_ = std::move(other.d_);
    }
    return *this;
}

bool ObjectWriter::active() const { return d_ && d_->fd.valid() && !d_->failed; }

std::uint64_t ObjectWriter::size() const { return d_ ? d_->hasher.size() : 0; }

void ObjectWriter::abandon()
{
    if (!d_) return;
    d_->discard();
    d_.reset();
}

Status ObjectWriter::append(ByteView data)
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "append to a closed object writer");
    if (d_->failed) return *d_->failed;
    Impl &w = *d_;
    if (data.size() > w.limit() - w.hasher.size())
        return w.fail(makeError(ErrorCode::LimitExceeded,
                                "object payload exceeds " + sizeText(w.limit()) +
                                    (w.options.expectedSize ? " (the size it was announced with)" : " (the object size limit)")));
    w.hasher.update(data);
    if (w.buffer.size() + data.size() <= kWriteBuffer) {
        w.buffer.insert(w.buffer.end(), data.begin(), data.end());
    } else {
        if (Status s = w.flush(); !s.ok()) return w.fail(s.error());
        if (data.size() >= kWriteBuffer) {
            if (Status s = fileio::writeAll(w.fd, data, w.tmpPath); !s.ok()) return w.fail(s.error());
        } else {
            w.buffer.assign(data.begin(), data.end());
        }
    }
    if (w.hasher.size() >= w.nextSpaceCheck) {
        w.nextSpaceCheck = w.hasher.size() + kSpaceCheckEvery;
        if (Status s = w.store->checkFreeSpace(0); !s.ok()) return w.fail(s.error());
    }
    return {};
}

Expected<ObjectInfo> ObjectWriter::commit()
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "commit of a closed object writer");
    if (d_->failed) return *d_->failed;
    std::unique_ptr<Impl> w = std::move(d_);  // whatever happens, this writer is finished
    auto failWith = [&](Error e) -> Error {
        w->discard();
        return e;
    };

    if (Status s = w->flush(); !s.ok()) return failWith(s.error());
    PayloadHasher::Result r = w->hasher.finish();
    const ObjectInfo info{r.hash, r.size, r.chunkCount, r.merkleRoot};
    if (w->options.expectedSize && *w->options.expectedSize != info.size)
        return failWith(makeError(ErrorCode::Corrupt, "received " + sizeText(info.size) + " for an object announced as " +
                                                          sizeText(*w->options.expectedSize) + "; discarded"));
    if (w->options.expectedHash && *w->options.expectedHash != info.hash)
        return failWith(makeError(ErrorCode::Corrupt, "received payload hashes to " + hex(info.hash) + ", expected " +
                                                          hex(*w->options.expectedHash) + "; discarded"));

    ObjectStore::State &st = *w->store;
    const QString finalPath = st.pathFor(info.hash);
    const QString finalDir = QFileInfo(finalPath).path();

    // Dedupe: a complete file of the right size is the same object (its hash is checked on every read).
    // A file of another size is a damaged copy, and the rename below replaces it.
    const QFileInfo existing(finalPath);
    if (existing.exists() && existing.isFile() && static_cast<std::uint64_t>(existing.size()) == info.size) {
        w->discard();
        st.cacheTree(info, std::move(r.leaves));
        return info;
    }

    // Durability order: file contents on disk, then the name, then the directory entry.
    if (Status s = fileio::makeReadOnly(w->fd, w->tmpPath); !s.ok()) return failWith(s.error());
    if (Status s = fileio::syncFile(w->fd, w->tmpPath); !s.ok()) return failWith(s.error());
    w->fd.close();
    if (!QFileInfo::exists(finalDir)) {
        if (!QDir().mkpath(finalDir))
            return failWith(makeError(ErrorCode::Io, "cannot create directory " + finalDir.toStdString()));
        if (Status s = fileio::syncDirectory(st.dir); !s.ok()) return failWith(s.error());
    }
    std::optional<std::uint64_t> replacedSize;
    if (existing.exists() && existing.isFile()) replacedSize = static_cast<std::uint64_t>(existing.size());
    if (Status s = fileio::renameReplace(w->tmpPath, finalPath); !s.ok()) return failWith(s.error());
    w->tmpPath.clear();  // the file now belongs to the store
    st.noteStored(info.size, replacedSize);
    if (Status s = fileio::syncDirectory(finalDir); !s.ok()) return s.error();
    st.cacheTree(info, std::move(r.leaves));
    return info;
}

// ---- store ----------------------------------------------------------------------------------------

ObjectStore::ObjectStore() = default;
ObjectStore::~ObjectStore() = default;
ObjectStore::ObjectStore(const ObjectStore &) = default;
ObjectStore &ObjectStore::operator=(const ObjectStore &) = default;
ObjectStore::ObjectStore(ObjectStore &&) noexcept = default;
ObjectStore &ObjectStore::operator=(ObjectStore &&) noexcept = default;

Expected<ObjectStore> ObjectStore::open(const QString &dir, const ObjectStoreOptions &options)
{
    auto st = std::make_shared<State>();
    st->dir = QDir::cleanPath(QDir(dir).absolutePath());
    st->tmpDir = st->dir + QStringLiteral("/tmp");
    st->options = options;
    if (!QDir().mkpath(st->tmpDir))
        return makeError(ErrorCode::Io, "cannot create the object store directory " + st->tmpDir.toStdString() +
                                            " (check that the data directory is writable)");

    // Temp files are leftovers of writers that never committed. A live writer (this or another process)
    // holds a lock on its file, so only abandoned ones are deleted.
    int removed = 0;
    const QFileInfoList entries = QDir(st->tmpDir).entryInfoList(QDir::Files | QDir::Hidden | QDir::System);
    for (const QFileInfo &fi : entries) {
        auto fd = fileio::openRead(fi.absoluteFilePath());
        if (fd.ok() && !fileio::tryLock(*fd)) continue;
        if (fileio::removeFile(fi.absoluteFilePath()).ok()) ++removed;
    }
    if (removed > 0) qCInfo(lcStorage, "object store: removed %d unfinished temp file(s) from %s", removed, qUtf8Printable(st->tmpDir));

    ObjectStore out;
    out.d_ = std::move(st);
    return out;
}

const QString &ObjectStore::directory() const
{
    static const QString empty;
    return d_ ? d_->dir : empty;
}

QString ObjectStore::objectPath(const Hash256 &hash) const { return d_ ? d_->pathFor(hash) : QString(); }

Expected<ObjectWriter> ObjectStore::writer(const WriteOptions &options) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    if (options.expectedSize && *options.expectedSize > d_->options.maxObjectSize)
        return makeError(ErrorCode::LimitExceeded, "object of " + sizeText(*options.expectedSize) + " is over the limit of " +
                                                       sizeText(d_->options.maxObjectSize));
    BLYAN_CHECK(d_->checkFreeSpace(options.expectedSize.value_or(0)));

    auto impl = std::make_unique<ObjectWriter::Impl>();
    impl->store = d_;
    impl->options = options;
    for (int attempt = 0;; ++attempt) {
        const QString name = QString::number(QRandomGenerator::global()->generate64(), 16) + QStringLiteral(".tmp");
        const QString path = d_->tmpDir + u'/' + name;
        auto fd = fileio::createExclusive(path);
        if (!fd.ok()) {
            if (attempt < 8 && QFileInfo::exists(path)) continue;  // name collision: draw again
            return fd.error();
        }
        // Lock, then make sure a concurrent open() did not delete the file between create and lock.
        if (!fileio::tryLock(*fd) || !fileio::sameFile(*fd, path)) {
            if (attempt < 8) continue;
            return makeError(ErrorCode::Busy, "cannot claim a temp file in " + d_->tmpDir.toStdString());
        }
        impl->tmpPath = path;
        impl->fd = std::move(*fd);
        break;
    }
    impl->buffer.reserve(kWriteBuffer);
    ObjectWriter w;
    w.d_ = std::move(impl);
    return w;
}

Expected<ObjectInfo> ObjectStore::put(ByteView payload) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    // Cheap dedupe first: hashing memory is far cheaper than writing and fsyncing a copy.
    const Hash256 h = crypto::blake2b256(payload);
    const QFileInfo existing(d_->pathFor(h));
    if (existing.exists() && static_cast<std::uint64_t>(existing.size()) == payload.size()) {
        if (auto t = d_->cachedTree(h)) return t->info;
        PayloadHasher hasher(true);
        hasher.update(payload);
        auto r = hasher.finish();
        const ObjectInfo info{r.hash, r.size, r.chunkCount, r.merkleRoot};
        d_->cacheTree(info, std::move(r.leaves));
        return info;
    }
    BLYAN_TRY(ObjectWriter w, writer(WriteOptions{h, payload.size()}));
    BLYAN_CHECK(w.append(payload));
    return w.commit();
}

Expected<Bytes> ObjectStore::get(const Hash256 &hash) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    const QString path = d_->pathFor(hash);
    auto fd = fileio::openRead(path);
    if (!fd.ok()) return fd.error().code == ErrorCode::NotFound ? notFound(hash, d_->dir) : fd.error();
    BLYAN_TRY(const std::uint64_t size, fileio::fileSize(*fd, path));
    if (size > d_->options.maxInMemorySize)
        return makeError(ErrorCode::LimitExceeded, "object " + hex(hash) + " is " + sizeText(size) +
                                                       ", too large to load into memory; map it instead");
    Bytes out(static_cast<std::size_t>(size));
    BLYAN_TRY(const std::size_t n, fileio::readAt(*fd, 0, out.data(), out.size(), path));
    out.resize(n);
    const Hash256 actual = crypto::blake2b256(out);
    if (actual != hash) return corrupt(hash, path, "(" + sizeText(n) + ") hashes to " + hex(actual));
    return out;
}

ByteView MappedObject::chunk(std::uint64_t index) const
{
    const std::uint64_t len = chunkLength(size(), index);
    if (len == 0) return {};
    return bytes().subspan(static_cast<std::size_t>(index * kChunkSize), static_cast<std::size_t>(len));
}

Expected<MappedObject> ObjectStore::map(const Hash256 &hash, Verify verify) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    const QString path = d_->pathFor(hash);
    auto file = MappedFile::open(path, verify == Verify::Full ? MappedFile::Access::Sequential : MappedFile::Access::Random);
    if (!file.ok()) return file.error().code == ErrorCode::NotFound ? notFound(hash, d_->dir) : file.error();
    if (verify == Verify::Full) {
        const Hash256 actual = crypto::blake2b256(file->bytes());
        if (actual != hash) return corrupt(hash, path, "(" + sizeText(file->size()) + ") hashes to " + hex(actual));
        file->adviseAccess(MappedFile::Access::Random);
    }
    MappedObject out;
    out.file_ = std::move(*file);
    out.hash_ = hash;
    return out;
}

Expected<ObjectInfo> ObjectStore::verify(const Hash256 &hash) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    auto t = d_->hashStored(hash);
    if (!t.ok()) {
        if (t.error().code == ErrorCode::Corrupt) d_->drop(hash);
        return t.error();
    }
    const ObjectInfo info = t->info;
    d_->cacheTree(info, std::move(t->leaves));
    return info;
}

Expected<ObjectInfo> ObjectStore::info(const Hash256 &hash) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    BLYAN_TRY(auto t, d_->tree(hash));
    return t->info;
}

Expected<Bytes> ObjectStore::readChunk(const Hash256 &hash, std::uint64_t index) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    BLYAN_TRY(auto t, d_->tree(hash));
    if (index >= t->info.chunkCount)
        return makeError(ErrorCode::InvalidArgument, "chunk " + std::to_string(index) + " is out of range: object " + hex(hash) +
                                                         " has " + std::to_string(t->info.chunkCount) + " chunks");
    const QString path = d_->pathFor(hash);
    auto fd = fileio::openRead(path);
    if (!fd.ok()) {
        d_->drop(hash);
        return fd.error().code == ErrorCode::NotFound ? notFound(hash, d_->dir) : fd.error();
    }
    const std::uint64_t want = chunkLength(t->info.size, index);
    Bytes out(static_cast<std::size_t>(want));
    BLYAN_TRY(const std::size_t n, fileio::readAt(*fd, index * kChunkSize, out.data(), out.size(), path));
    if (n != want) return corrupt(hash, path, "is truncated (chunk " + std::to_string(index) + " is short)");
    if (merkleLeafHash(out) != t->leaves[static_cast<std::size_t>(index)])
        return corrupt(hash, path, "has a damaged chunk " + std::to_string(index));
    return out;
}

Expected<MerkleProof> ObjectStore::chunkProof(const Hash256 &hash, std::uint64_t index) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    BLYAN_TRY(auto t, d_->tree(hash));
    return merkleProof(t->leaves, index);
}

bool ObjectStore::has(const Hash256 &hash) const
{
    if (!d_) return false;
    const QFileInfo fi(d_->pathFor(hash));
    return fi.exists() && fi.isFile();
}

Status ObjectStore::remove(const Hash256 &hash) const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    d_->drop(hash);
    const QFileInfo fi(d_->pathFor(hash));
    const bool present = fi.exists() && fi.isFile();
    // No directory fsync: if a crash undoes the removal, a valid object simply stays.
    BLYAN_CHECK(fileio::removeFile(d_->pathFor(hash)));
    if (present) d_->noteRemoved(static_cast<std::uint64_t>(fi.size()));
    return {};
}

Expected<ObjectStoreStats> ObjectStore::stats() const
{
    if (!d_) return makeError(ErrorCode::InvalidArgument, "object store is not open");
    {
        std::lock_guard lock(d_->mutex);
        if (d_->totals) return *d_->totals;
    }
    ObjectStoreStats s;
    const QFileInfoList prefixes = QDir(d_->dir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo &p : prefixes) {
        if (!isHexName(p.fileName(), 2)) continue;  // skips tmp/ and anything foreign
        const QFileInfoList files = QDir(p.absoluteFilePath()).entryInfoList(QDir::Files);
        for (const QFileInfo &f : files) {
            if (!isHexName(f.fileName(), 64) || !f.fileName().startsWith(p.fileName())) continue;
            ++s.objectCount;
            s.totalBytes += static_cast<std::uint64_t>(f.size());
        }
    }
    std::lock_guard lock(d_->mutex);
    d_->totals = s;
    return s;
}

}  // namespace blyan::storage
