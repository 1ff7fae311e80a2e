#include "chain/tx_kinds/slash_evidence.h"

#include "chain/field.h"

namespace blyan::chain {

SlashEvidenceBody SlashEvidenceBody::of(const Vote &x, const Vote &y)
{
    SlashEvidenceBody b;
    if (voteId(x) < voteId(y)) {
        b.a = x;
        b.b = y;
    } else {
        b.a = y;
        b.b = x;
    }
    return b;
}

Hash256 SlashEvidenceBody::evidenceId() const { return crypto::blake2b256(encode()); }

Bytes SlashEvidenceBody::encode() const
{
    Writer w;
    w.raw(encodeVote(a));
    w.raw(encodeVote(b));
    return w.take();
}

Expected<SlashEvidenceBody> SlashEvidenceBody::decode(ByteView body)
{
    if (body.size() != kMaxSize)
        return detail::fieldError(ErrorCode::InvalidArgument, "slash_evidence",
                                  std::to_string(body.size()) + " bytes; the body is two votes of " +
                                      std::to_string(kVoteSize) + " bytes");
    SlashEvidenceBody b;
    BLYAN_TRY(b.a, decodeVote(body.subspan(0, kVoteSize)));
    BLYAN_TRY(b.b, decodeVote(body.subspan(kVoteSize, kVoteSize)));
    return b;
}

Status SlashEvidenceBody::check(const Transaction &tx) const
{
    if (!(voteId(a) < voteId(b)))
        return detail::fieldError(ErrorCode::InvalidArgument, "slash_evidence",
                                  "the votes must be in ascending order of their ids (and differ)");
    if (auto s = checkVote(a, tx.networkId); !s) return s.error().context("slash_evidence.vote_a");
    if (auto s = checkVote(b, tx.networkId); !s) return s.error().context("slash_evidence.vote_b");
    if (a.voter != b.voter)
        return detail::fieldError(ErrorCode::InvalidArgument, "slash_evidence", "the two votes are by different voters");
    if (voteConflict(a, b) == VoteConflict::None)
        return detail::fieldError(ErrorCode::InvalidArgument, "slash_evidence",
                                  "the two votes do not conflict (neither the same target height nor one surrounding "
                                  "the other)");
    return {};
}

const TxKindHandler &slashEvidenceHandler()
{
    static const BodyHandler<SlashEvidenceBody> handler;
    return handler;
}

}  // namespace blyan::chain
