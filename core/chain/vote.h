#pragma once
// Finality votes (DESIGN.md section 5; docs/protocol.md "Finality").
//
// A validator's vote links a *source* block it saw justified to a *target* block at the head of its best
// chain (Casper FFG with every block a checkpoint). Encoding, fixed 185 bytes:
//   version u8 (=1) | network_id u32 | source_height u64 | source [32] | target_height u64 | target [32]
//   | voter [32] | signature [64]
// The voter signs BLAKE2b-256("blyan/vote/v1" || everything before the signature), so a vote of one network
// never counts on another.
//
// Two votes of one voter are slashable (chain/tx_kinds/slash_evidence.h) when they
//   - differ but have the same target height (a double vote), or
//   - one surrounds the other: s1 < s2 and t2 < t1 (a surround vote).
// An honest validator never does either: it votes once per target height, for increasing targets, and
// its source (the highest justified block it knows) never goes down.

#include "chain/transaction.h"

namespace blyan::chain {

using crypto::Hash256;

inline constexpr std::uint8_t kVoteVersion = 1;
inline constexpr std::size_t kVoteSize = 1 + 4 + 8 + 32 + 8 + 32 + 32 + 64;
inline constexpr std::string_view kVoteDomain = "blyan/vote/v1";

struct Vote {
    std::uint8_t version = kVoteVersion;
    std::uint32_t networkId = 0;
    std::uint64_t sourceHeight = 0;
    Hash256 source{};
    std::uint64_t targetHeight = 0;
    Hash256 target{};
    PublicKey voter{};
    Signature signature{};

    bool operator==(const Vote &) const = default;
};

Bytes encodeVote(const Vote &vote);
// Strict: exactly kVoteSize bytes, known version. The signature and rules are checkVote's job.
Expected<Vote> decodeVote(ByteView bytes);
Hash256 voteId(const Vote &vote);  // BLAKE2b-256 of the encoding
Hash256 voteSigningHash(const Vote &vote);
void signVote(Vote &vote, const KeyPair &key);  // sets voter and signature
// Version, network, source strictly below target, and the signature.
Status checkVote(const Vote &vote, std::uint32_t networkId);

enum class VoteConflict { None, DoubleVote, SurroundVote };
// Whether two votes of the same voter break the rules above (None for different voters).
VoteConflict voteConflict(const Vote &a, const Vote &b);
const char *voteConflictName(VoteConflict c);

}  // namespace blyan::chain
