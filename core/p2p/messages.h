#pragma once
// P2P messages (DESIGN.md section 9; byte layout in docs/protocol.md "P2P messages").
//
// A message is what one encrypted frame carries: `type u8 || body`, the body in the strict codec of
// util/codec.h. Every list has a hard count limit and every byte string a hard size limit, checked
// before anything is allocated; a decoder consumes its frame exactly. Whatever decodes re-encodes to
// the same bytes (tests/fuzz/fuzz_p2p.cpp checks it), so a peer cannot smuggle ambiguous encodings.
//
// The handshake's Auth message is the first frame of each direction and nothing else; see handshake.h.

#include "chain/block.h"
#include "chain/transaction.h"
#include "chain/vote.h"
#include "storage/merkle.h"

#include <cstdint>
#include <variant>
#include <vector>

namespace blyan::p2p {

using chain::BlockId;
using crypto::Hash256;

// Hard limits. A frame carries one message; the biggest is a block (4 MiB) or a payload chunk (1 MiB).
inline constexpr std::size_t kMaxLocator = 64;          // GetHeaders: block ids, newest first
inline constexpr std::size_t kMaxHeadersPerMessage = 2000;
inline constexpr std::size_t kMaxBlocksPerRequest = 128;
inline constexpr std::size_t kMaxAddresses = 256;
inline constexpr std::size_t kMaxInventory = 1024;
inline constexpr std::size_t kMaxCertificateVotes = 1024;  // Finality: one link's votes, one per validator
inline constexpr std::size_t kMaxMerkleProof = 64;          // a payload of up to 2^64 chunks
inline constexpr std::size_t kMaxMessageSize = chain::kMaxBlockSize + 1024;

enum class MsgType : std::uint8_t {
    Auth = 1,        // handshake only
    Ping = 2,
    Pong = 3,
    Status = 4,
    GetHeaders = 5,
    Headers = 6,
    GetBlocks = 7,
    Block = 8,
    Tx = 9,
    GetAddr = 10,
    Addr = 11,
    NotFound = 12,
    Vote = 13,          // a finality vote (gossip)
    GetFinality = 14,   // "prove your last final block"
    Finality = 15,      // the votes of the supermajority link final -> its child
    GetChunk = 16,      // one 1 MiB chunk of an object payload
    Chunk = 17,
};

struct Ping {
    std::uint64_t nonce = 0;
    bool operator==(const Ping &) const = default;
};
struct Pong {
    std::uint64_t nonce = 0;
    bool operator==(const Pong &) const = default;
};
// The sender's chain: sent after the handshake and whenever its tip moves.
struct StatusMsg {
    std::uint64_t height = 0;
    BlockId tip{};
    std::uint64_t finalHeight = 0;
    bool operator==(const StatusMsg &) const = default;
};
// "Send me the headers after the first of these ids you have on your best chain" (newest first, so a
// lagging or forked node finds the common ancestor in one round trip).
struct GetHeaders {
    std::vector<BlockId> locator;
    std::uint32_t max = kMaxHeadersPerMessage;
    bool operator==(const GetHeaders &) const = default;
};
struct Headers {
    std::vector<chain::BlockHeader> headers;  // consecutive, ascending
    bool operator==(const Headers &) const = default;
};
struct GetBlocks {
    std::vector<BlockId> ids;
    bool operator==(const GetBlocks &) const = default;
};
struct BlockMsg {
    chain::Block block;
    bool operator==(const BlockMsg &) const = default;
};
struct TxMsg {
    chain::Transaction tx;
    bool operator==(const TxMsg &) const = default;
};
struct GetAddr {
    bool operator==(const GetAddr &) const = default;
};
// A listening address: IPv6 (IPv4 mapped as ::ffff:a.b.c.d) and port.
struct PeerAddress {
    std::array<std::uint8_t, 16> ip{};
    std::uint16_t port = 0;
    bool operator==(const PeerAddress &) const = default;
};
struct Addr {
    std::vector<PeerAddress> addresses;
    bool operator==(const Addr &) const = default;
};
// Answer to GetBlocks for ids the sender does not have (so the requester asks someone else at once).
struct NotFound {
    std::vector<BlockId> ids;
    bool operator==(const NotFound &) const = default;
};

struct VoteMsg {
    chain::Vote vote;
    bool operator==(const VoteMsg &) const = default;
};
struct GetFinality {
    bool operator==(const GetFinality &) const = default;
};
// Votes (same source and target) proving the sender's last final block: the source is final because
// more than 2/3 of the stake linked it to its direct child, the target.
struct Finality {
    std::vector<chain::Vote> votes;
    bool operator==(const Finality &) const = default;
};
// Chunk `index` of the payload with this hash (docs/protocol.md "Payload sync"). The requester knows
// the payload's size and Merkle root from the object record on the chain and checks the answer
// against them; the sender proves the chunk with its Merkle path.
struct GetChunk {
    crypto::Hash256 payload{};
    std::uint64_t index = 0;
    bool operator==(const GetChunk &) const = default;
};
struct Chunk {
    crypto::Hash256 payload{};
    std::uint64_t index = 0;
    bool found = false;  // false: the sender does not have it (data and proof empty)
    Bytes data;
    storage::MerkleProof proof;
    bool operator==(const Chunk &) const = default;
};

using Message = std::variant<Ping, Pong, StatusMsg, GetHeaders, Headers, GetBlocks, BlockMsg, TxMsg, GetAddr, Addr,
                             NotFound, VoteMsg, GetFinality, Finality, GetChunk, Chunk>;

MsgType messageType(const Message &m);
const char *messageName(MsgType type);

// type u8 || body. Never larger than kMaxMessageSize for messages within their limits.
Bytes encodeMessage(const Message &m);
// Strict: known type (Auth is not a message here), every limit, exact consumption. Errors name the
// message and field ("Headers.count: 2001 is over the limit of 2000").
Expected<Message> decodeMessage(ByteView frame);

}  // namespace blyan::p2p
