#pragma once
// slash_evidence: proof that a validator signed two conflicting finality votes (chain/vote.h: a double
// vote or a surround vote). Anyone may submit it; the ledger burns the voter's whole stake and removes
// it from the active validator sets at once (ledger/state_slash_evidence.cpp).
//   body = vote_a [185] | vote_b [185], with voteId(vote_a) < voteId(vote_b), so one piece of evidence
//   has one encoding (and one evidence id: BLAKE2b-256 of the body).

#include "chain/tx_kind.h"
#include "chain/vote.h"

namespace blyan::chain {

struct SlashEvidenceBody {
    static constexpr TxKind kKind = TxKind::SlashEvidence;
    static constexpr const char *kName = "slash_evidence";
    static constexpr std::size_t kMaxSize = 2 * kVoteSize;

    Vote a, b;

    // Orders the two votes canonically.
    static SlashEvidenceBody of(const Vote &x, const Vote &y);
    Hash256 evidenceId() const;
    Bytes encode() const;
    static Expected<SlashEvidenceBody> decode(ByteView body);
    // Canonical order, both votes valid for the transaction's network, same voter, and a conflict.
    Status check(const Transaction &tx) const;
    bool operator==(const SlashEvidenceBody &) const = default;
};

const TxKindHandler &slashEvidenceHandler();

}  // namespace blyan::chain
