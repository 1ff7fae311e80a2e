#include "chain/vote.h"

#include "chain/field.h"
#include "util/codec.h"

namespace blyan::chain {

namespace {

void encodeUnsigned(Writer &w, const Vote &v)
{
    w.u8(v.version);
    w.u32(v.networkId);
    w.u64(v.sourceHeight);
    w.raw(asBytes(v.source));
    w.u64(v.targetHeight);
    w.raw(asBytes(v.target));
    w.raw(asBytes(v.voter));
}

}  // namespace

Bytes encodeVote(const Vote &vote)
{
    Writer w;
    encodeUnsigned(w, vote);
    w.raw(asBytes(vote.signature));
    return w.take();
}

Expected<Vote> decodeVote(ByteView bytes)
{
    if (bytes.size() != kVoteSize)
        return detail::fieldError(ErrorCode::InvalidArgument, "vote",
                                  std::to_string(bytes.size()) + " bytes; a vote is exactly " + std::to_string(kVoteSize));
    Reader r(bytes);
    Vote v;
    BLYAN_TRY(v.version, detail::field(r.u8(), "vote.version"));
    if (v.version != kVoteVersion)
        return detail::fieldError(ErrorCode::InvalidArgument, "vote.version",
                                  "version " + std::to_string(v.version) + " is unknown; use " + std::to_string(kVoteVersion));
    BLYAN_TRY(v.networkId, detail::field(r.u32(), "vote.network_id"));
    BLYAN_TRY(v.sourceHeight, detail::field(r.u64(), "vote.source_height"));
    BLYAN_TRY(v.source, detail::field(r.fixedArray<32>("vote.source"), "vote.source"));
    BLYAN_TRY(v.targetHeight, detail::field(r.u64(), "vote.target_height"));
    BLYAN_TRY(v.target, detail::field(r.fixedArray<32>("vote.target"), "vote.target"));
    BLYAN_TRY(v.voter, detail::field(r.fixedArray<32>("vote.voter"), "vote.voter"));
    BLYAN_TRY(v.signature, detail::field(r.fixedArray<64>("vote.signature"), "vote.signature"));
    BLYAN_CHECK(r.finish());
    return v;
}

Hash256 voteId(const Vote &vote) { return crypto::blake2b256(encodeVote(vote)); }

Hash256 voteSigningHash(const Vote &vote)
{
    Writer w;
    w.raw(asBytes(kVoteDomain));
    encodeUnsigned(w, vote);
    return crypto::blake2b256(w.data());
}

void signVote(Vote &vote, const KeyPair &key)
{
    vote.voter = key.publicKey();
    const Hash256 h = voteSigningHash(vote);
    vote.signature = key.sign(asBytes(h));
}

Status checkVote(const Vote &vote, std::uint32_t networkId)
{
    if (vote.version != kVoteVersion)
        return detail::fieldError(ErrorCode::InvalidArgument, "vote.version", "is unknown");
    if (vote.networkId != networkId)
        return detail::fieldError(ErrorCode::InvalidArgument, "vote.network_id",
                                  std::to_string(vote.networkId) + " is another network's (this one is " +
                                      std::to_string(networkId) + ")");
    if (vote.sourceHeight >= vote.targetHeight)
        return detail::fieldError(ErrorCode::InvalidArgument, "vote.source_height",
                                  std::to_string(vote.sourceHeight) + " must be below the target height " +
                                      std::to_string(vote.targetHeight));
    const Hash256 h = voteSigningHash(vote);
    if (!crypto::verify(vote.voter, asBytes(h), vote.signature))
        return detail::fieldError(ErrorCode::Crypto, "vote.signature", "does not verify for the voter key");
    return {};
}

VoteConflict voteConflict(const Vote &a, const Vote &b)
{
    if (a.voter != b.voter || a == b) return VoteConflict::None;
    if (a.targetHeight == b.targetHeight) return VoteConflict::DoubleVote;
    const bool aSurroundsB = a.sourceHeight < b.sourceHeight && b.targetHeight < a.targetHeight;
    const bool bSurroundsA = b.sourceHeight < a.sourceHeight && a.targetHeight < b.targetHeight;
    return aSurroundsB || bSurroundsA ? VoteConflict::SurroundVote : VoteConflict::None;
}

const char *voteConflictName(VoteConflict c)
{
    switch (c) {
    case VoteConflict::DoubleVote: return "double vote";
    case VoteConflict::SurroundVote: return "surround vote";
    default: return "no conflict";
    }
}

}  // namespace blyan::chain
