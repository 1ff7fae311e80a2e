#pragma once
// Object records: the seed's DAG of chains A (meta), B (parameters) and D (datasets), DESIGN.md
// section 4. A record describes a payload that travels off-block (hash, size, chunk Merkle root) and
// names the objects it depends on; publish_object transactions anchor records on the chain.
//
//   chain u8 ('A' | 'B' | 'D') | kind string | name string | depends_on varint count + [32] each
//   | payload_hash [32] | size varint | chunk_merkle_root [32]
//
// object id = BLAKE2b-256(encoding). Because the id hashes the dependency list, a record can never
// name itself or a later record, so honest records cannot form a cycle; object_dag.h still checks, as
// it must not trust the lookup it is given.
//
// Name grammar (so that one component has exactly one name, e.g. layer12.expert87, layer3.router,
// model.spec):
//   name    = segment *("." segment)            1..8 segments, at most 128 bytes in all
//   segment = lower *(lower | digit | "_")       1..32 bytes
//   a run of digits never starts with '0' unless the run is exactly "0" (layer0 yes, layer07 no)
// Kinds are lower-case identifiers registered per chain (kObjectKinds in object.cpp):
//   A: genesis_pact, model_spec   B: expert, router, base   D: dataset

#include "crypto/hash.h"
#include "util/codec.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blyan::chain {

using crypto::Hash256;
using ObjectId = Hash256;

enum class ObjectChain : std::uint8_t { A = 'A', B = 'B', D = 'D' };

inline constexpr std::size_t kMaxObjectKindLength = 32;
inline constexpr std::size_t kMaxObjectNameLength = 128;
inline constexpr std::size_t kMaxObjectNameSegments = 8;
inline constexpr std::size_t kMaxObjectSegmentLength = 32;
inline constexpr std::size_t kMaxObjectDependencies = 64;
inline constexpr std::uint64_t kMaxObjectSize = 256ull << 30;  // the object store's own limit
inline constexpr std::size_t kMaxObjectRecordSize =
    1 + 1 + kMaxObjectKindLength + 2 + kMaxObjectNameLength + 1 + 32 * kMaxObjectDependencies + 32 + 10 + 32;

struct ObjectRecord {
    ObjectChain chain = ObjectChain::A;
    std::string kind;
    std::string name;
    std::vector<ObjectId> dependsOn;  // strictly ascending (bytewise): one set, one encoding
    Hash256 payloadHash{};
    std::uint64_t size = 0;
    Hash256 chunkMerkleRoot{};

    bool operator==(const ObjectRecord &) const = default;
};

void encodeObjectRecord(Writer &w, const ObjectRecord &record);
Bytes encodeObjectRecord(const ObjectRecord &record);
// Structural decode from a reader (publish_object bodies) or a whole buffer (trailing bytes rejected):
// chain letter, length limits, dependency count. The rules are in checkObjectRecord.
Expected<ObjectRecord> decodeObjectRecord(Reader &r);
Expected<ObjectRecord> decodeObjectRecord(ByteView bytes);

ObjectId objectId(const ObjectRecord &record);

// Stateless rules: known kind for the chain, name grammar, at most 64 dependencies in strictly
// ascending order (a duplicate is named as such), not depending on itself, size within limits.
Status checkObjectRecord(const ObjectRecord &record);
Status checkObjectName(std::string_view name);

char objectChainLetter(ObjectChain chain);

}  // namespace blyan::chain
