#pragma once
// The content-addressed object store (objects/ in the data dir, DESIGN.md sections 4 and 11).
//
// A payload's address is the BLAKE2b-256 of the whole payload; it lives at <dir>/<first 2 hex>/<64 hex>.
// Files appear only complete: a writer streams into <dir>/tmp/, fsyncs, renames into place and fsyncs the
// directory, so a crash at any moment leaves either the whole object or nothing (plus a temp file that
// the next open() deletes). Stored files are never modified afterwards.
//
// Nothing read from disk is trusted: get() and map(Verify::Full) check the payload hash, readChunk()
// checks the chunk against the object's Merkle leaves, and a mismatch is ErrorCode::Corrupt naming the
// object and the file, never wrong bytes.
//
// ObjectStore is a cheap handle to shared state; copies may be used from several threads at once.

#include "storage/mapped_file.h"
#include "storage/merkle.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

namespace blyan::storage {

struct ObjectInfo {
    Hash256 hash{};
    std::uint64_t size = 0;
    std::uint64_t chunkCount = 0;
    Hash256 merkleRoot{};
    bool operator==(const ObjectInfo &) const = default;
};

struct ObjectStoreStats {
    std::uint64_t objectCount = 0;
    std::uint64_t totalBytes = 0;
    bool operator==(const ObjectStoreStats &) const = default;
};

struct ObjectStoreOptions {
    std::uint64_t maxObjectSize = 256ull << 30;   // larger than any single tensor file we expect
    std::uint64_t maxInMemorySize = 1ull << 30;   // get() copies into RAM; bigger objects must use map()
    std::uint64_t minFreeBytes = 256ull << 20;    // never fill the disk: SQLite and logs need room too
    std::uint64_t leafCacheLimit = 1ull << 20;    // leaf hashes kept for readChunk/chunkProof (32 MiB)
};

// Expectations for a download: commit() refuses a payload that does not match them, and append()
// stops as soon as the payload grows past the expected size.
struct WriteOptions {
    std::optional<Hash256> expectedHash;
    std::optional<std::uint64_t> expectedSize;
};

enum class Verify { None, Full };

// A stored object mapped read-only. Valid after the store handle is gone; see MappedFile for the caveat
// about outside truncation.
class MappedObject {
public:
    const Hash256 &hash() const { return hash_; }
    ByteView bytes() const { return file_.bytes(); }
    std::uint64_t size() const { return file_.size(); }
    std::uint64_t chunkCount() const { return chunkCountForSize(size()); }
    ByteView chunk(std::uint64_t index) const;  // empty when out of range; not verified by itself
    const QString &path() const { return file_.path(); }

private:
    friend class ObjectStore;
    MappedFile file_;
    Hash256 hash_{};
};

class ObjectStore;

// Streams one payload into the store with bounded memory (a small write buffer plus 32 bytes of leaf
// hash per MiB). Destroying a writer without commit() deletes its temp file. Use from one thread.
class ObjectWriter {
public:
    ObjectWriter();
    ~ObjectWriter();
    ObjectWriter(ObjectWriter &&) noexcept;
    ObjectWriter &operator=(ObjectWriter &&) noexcept;

    // Any piece sizes. After an error the writer is dead: every later call returns an error.
    Status append(ByteView data);
    // Flushes, fsyncs and moves the payload into place (or drops it if the object is already stored).
    Expected<ObjectInfo> commit();
    void abandon();

    std::uint64_t size() const;
    bool active() const;

private:
    friend class ObjectStore;
    struct Impl;
    std::unique_ptr<Impl> d_;
};

class ObjectStore {
public:
    // Creates the directory (and tmp/) if needed and deletes temp files left by crashed writers.
    static Expected<ObjectStore> open(const QString &dir, const ObjectStoreOptions &options = {});

    ObjectStore();
    ~ObjectStore();
    ObjectStore(const ObjectStore &);
    ObjectStore &operator=(const ObjectStore &);
    ObjectStore(ObjectStore &&) noexcept;
    ObjectStore &operator=(ObjectStore &&) noexcept;

    const QString &directory() const;
    QString objectPath(const Hash256 &hash) const;

    Expected<ObjectWriter> writer(const WriteOptions &options = {}) const;
    Expected<ObjectInfo> put(ByteView payload) const;

    // The whole payload, verified against its hash. LimitExceeded above maxInMemorySize: use map().
    Expected<Bytes> get(const Hash256 &hash) const;
    // Zero-copy view. Verify::Full hashes the whole mapping once (seconds for tens of GB).
    Expected<MappedObject> map(const Hash256 &hash, Verify verify = Verify::Full) const;
    // Chunk `index` (1 MiB, the last may be shorter), verified against the object's Merkle leaves. The
    // leaves come from the writer for objects stored by this process, otherwise from one full verify()
    // pass, and are cached (bounded by leafCacheLimit).
    Expected<Bytes> readChunk(const Hash256 &hash, std::uint64_t index) const;
    // Merkle path for chunk `index`, to send along with the chunk to a peer.
    Expected<MerkleProof> chunkProof(const Hash256 &hash, std::uint64_t index) const;
    // Size, chunk count and Merkle root: cached, or computed by verify().
    Expected<ObjectInfo> info(const Hash256 &hash) const;
    // Re-reads the whole payload and checks it; refreshes the cached leaves.
    Expected<ObjectInfo> verify(const Hash256 &hash) const;

    static bool verifyChunk(const Hash256 &merkleRoot, std::uint64_t index, std::uint64_t chunkCount, ByteView chunk,
                            std::span<const Hash256> proof)
    {
        return verifyMerkleChunk(merkleRoot, index, chunkCount, chunk, proof);
    }

    bool has(const Hash256 &hash) const;  // presence only; does not read the payload
    // Deletes the object; removing an absent object is not an error.
    Status remove(const Hash256 &hash) const;
    // Count and bytes of stored objects from directory metadata only (no payload reads).
    Expected<ObjectStoreStats> stats() const;

    struct State;

private:
    std::shared_ptr<State> d_;
};

}  // namespace blyan::storage
