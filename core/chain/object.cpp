#include "chain/object.h"

#include "chain/field.h"

#include <algorithm>

namespace blyan::chain {

using detail::field;
using detail::fieldError;

namespace {

struct KindRow {
    ObjectChain chain;
    std::string_view kind;
};

// The object kinds each chain accepts. A new kind is a new row (and a protocol change: old nodes
// reject records of kinds they do not know).
constexpr KindRow kObjectKinds[] = {
    {ObjectChain::A, "genesis_pact"}, {ObjectChain::A, "model_spec"},
    {ObjectChain::B, "expert"},       {ObjectChain::B, "router"},     {ObjectChain::B, "base"},
    {ObjectChain::D, "dataset"},
};

bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

Status checkSegment(std::string_view seg, std::string_view name)
{
    auto bad = [&](const std::string &why) {
        return fieldError(ErrorCode::InvalidArgument, "object.name",
                          "'" + std::string(name) + "' is not a valid name: " + why +
                              " (names look like layer12.expert87, layer3.router or model.spec)");
    };
    if (seg.empty()) return bad("a '.' must separate two non-empty parts");
    if (seg.size() > kMaxObjectSegmentLength) return bad("each part is at most 32 characters");
    if (!isLower(seg[0])) return bad("each part must start with a lower-case letter a-z");
    for (std::size_t i = 0; i < seg.size(); ++i) {
        const char c = seg[i];
        if (!isLower(c) && !isDigit(c) && c != '_')
            return bad("only a-z, 0-9, '_' and '.' are allowed");
        // A digit run starting with 0 ("07") would give one component two names.
        if (c == '0' && !isDigit(seg[i - 1]) && i + 1 < seg.size() && isDigit(seg[i + 1]))
            return bad("numbers must not have leading zeros");
    }
    return {};
}

}  // namespace

char objectChainLetter(ObjectChain chain) { return static_cast<char>(chain); }

void encodeObjectRecord(Writer &w, const ObjectRecord &record)
{
    w.u8(static_cast<std::uint8_t>(record.chain));
    w.string(record.kind);
    w.string(record.name);
    w.varint(record.dependsOn.size());
    for (const ObjectId &d : record.dependsOn) w.raw(asBytes(d));
    w.raw(asBytes(record.payloadHash));
    w.varint(record.size);
    w.raw(asBytes(record.chunkMerkleRoot));
}

Bytes encodeObjectRecord(const ObjectRecord &record)
{
    Writer w;
    encodeObjectRecord(w, record);
    return w.take();
}

Expected<ObjectRecord> decodeObjectRecord(Reader &r)
{
    ObjectRecord rec;
    BLYAN_TRY(const std::uint8_t chain, field(r.u8(), "object.chain"));
    if (chain != 'A' && chain != 'B' && chain != 'D')
        return fieldError(ErrorCode::Malformed, "object.chain",
                          "byte " + std::to_string(chain) + " is not a chain: use 'A' (meta), 'B' (parameters) or "
                          "'D' (datasets)");
    rec.chain = static_cast<ObjectChain>(chain);
    BLYAN_TRY(rec.kind, field(r.string(kMaxObjectKindLength, "kind"), "object.kind"));
    BLYAN_TRY(rec.name, field(r.string(kMaxObjectNameLength, "name"), "object.name"));
    BLYAN_TRY(const std::uint64_t deps,
              field(r.varint(kMaxObjectDependencies, "dependency count"), "object.depends_on"));
    rec.dependsOn.reserve(deps);
    for (std::uint64_t i = 0; i < deps; ++i) {
        BLYAN_TRY(auto d, detail::readHash(r, "object.depends_on"));
        rec.dependsOn.push_back(d);
    }
    BLYAN_TRY(rec.payloadHash, detail::readHash(r, "object.payload_hash"));
    BLYAN_TRY(rec.size, field(r.varint(), "object.size"));
    BLYAN_TRY(rec.chunkMerkleRoot, detail::readHash(r, "object.chunk_merkle_root"));
    return rec;
}

Expected<ObjectRecord> decodeObjectRecord(ByteView bytes)
{
    Reader r(bytes);
    BLYAN_TRY(auto rec, decodeObjectRecord(r));
    BLYAN_CHECK(field(r.finish(), "object"));
    return rec;
}

ObjectId objectId(const ObjectRecord &record) { return crypto::blake2b256(encodeObjectRecord(record)); }

Status checkObjectName(std::string_view name)
{
    if (name.empty()) return fieldError(ErrorCode::InvalidArgument, "object.name", "is empty: give the object a name");
    if (name.size() > kMaxObjectNameLength)
        return fieldError(ErrorCode::InvalidArgument, "object.name",
                          std::to_string(name.size()) + " characters is over the limit of " +
                              std::to_string(kMaxObjectNameLength));
    std::size_t segments = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        const std::string_view seg = name.substr(start, dot == std::string_view::npos ? std::string_view::npos
                                                                                      : dot - start);
        BLYAN_CHECK(checkSegment(seg, name));
        if (++segments > kMaxObjectNameSegments)
            return fieldError(ErrorCode::InvalidArgument, "object.name",
                              "'" + std::string(name) + "' has more than 8 '.'-separated parts");
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return {};
}

Status checkObjectRecord(const ObjectRecord &record)
{
    const char letter = objectChainLetter(record.chain);
    if (letter != 'A' && letter != 'B' && letter != 'D')
        return fieldError(ErrorCode::InvalidArgument, "object.chain", "must be A, B or D");
    const bool known = std::any_of(std::begin(kObjectKinds), std::end(kObjectKinds), [&](const KindRow &row) {
        return row.chain == record.chain && row.kind == record.kind;
    });
    if (!known) {
        std::string allowed;
        for (const KindRow &row : kObjectKinds)
            if (row.chain == record.chain) allowed += (allowed.empty() ? "" : ", ") + std::string(row.kind);
        return fieldError(ErrorCode::InvalidArgument, "object.kind",
                          "'" + record.kind + "' is not a kind of chain " + std::string(1, letter) +
                              ": use one of " + allowed);
    }
    BLYAN_CHECK(checkObjectName(record.name));
    if (record.dependsOn.size() > kMaxObjectDependencies)
        return fieldError(ErrorCode::LimitExceeded, "object.depends_on",
                          std::to_string(record.dependsOn.size()) + " dependencies is over the limit of " +
                              std::to_string(kMaxObjectDependencies) + ": depend on a manifest object instead");
    for (std::size_t i = 1; i < record.dependsOn.size(); ++i) {
        if (record.dependsOn[i] == record.dependsOn[i - 1])
            return fieldError(ErrorCode::InvalidArgument, "object.depends_on",
                              "lists " + crypto::hashToHex(record.dependsOn[i]) + " twice: list each object once");
        if (record.dependsOn[i] < record.dependsOn[i - 1])
            return fieldError(ErrorCode::InvalidArgument, "object.depends_on",
                              "is not in ascending order at entry " + std::to_string(i) +
                                  ": sort the ids bytewise so the record has one encoding");
    }
    if (record.size > kMaxObjectSize)
        return fieldError(ErrorCode::LimitExceeded, "object.size",
                          std::to_string(record.size) + " bytes is over the limit of " +
                              std::to_string(kMaxObjectSize) + ": split the payload into several objects");
    const ObjectId id = objectId(record);
    if (std::binary_search(record.dependsOn.begin(), record.dependsOn.end(), id))
        return fieldError(ErrorCode::InvalidArgument, "object.depends_on", "names the object itself");
    return {};
}

}  // namespace blyan::chain
