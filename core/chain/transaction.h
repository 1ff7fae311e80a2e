#pragma once
// Transactions (DESIGN.md section 4; byte layout in docs/protocol.md).
//
//   version u8 (=1) | network_id u32 | kind u8 | from [32] | nonce varint | fee varint
//   | body bytes (varint length + kind-specific encoding) | signature [64]
//
// The signature covers BLAKE2b-256("blyan/tx/v1" || encoding without the signature), so it commits to
// the network id (a devnet transaction never replays on testnet) and to every byte of the body. The
// txid is BLAKE2b-256 of the full encoding, signature included.
//
// What a kind's body means lives in its handler (tx_kind.h, tx_kinds/*): this file knows bodies only
// as bytes, so adding a kind never touches it.

#include "chain/amount.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/bytes.h"

#include <cstdint>
#include <string_view>

namespace blyan::chain {

using crypto::Hash256;
using crypto::KeyPair;
using crypto::PublicKey;
using crypto::Signature;

inline constexpr std::uint8_t kTxVersion = 1;
inline constexpr std::size_t kMaxTxSize = 64 * 1024;          // whole encoding, signature included
inline constexpr std::size_t kMaxTxBodySize = kMaxTxSize - 256;  // leaves room for the fixed fields
inline constexpr std::string_view kTxDomain = "blyan/tx/v1";

// Kind numbers are consensus: never reuse or renumber one. Later issues append register node, propose
// upgrade, PoL vote, claim reward, governance proposal, vote and slashing evidence (see tx_kind.h).
enum class TxKind : std::uint8_t {
    Transfer = 1,
    Stake = 2,
    Unstake = 3,
    PublishObject = 4,
    SlashEvidence = 5,
    GovernanceProposal = 6,
    GovernanceVote = 7,
};

using TxId = Hash256;

struct Transaction {
    std::uint8_t version = kTxVersion;
    std::uint32_t networkId = 0;
    std::uint8_t kind = 0;
    PublicKey from{};
    std::uint64_t nonce = 0;
    Amount fee = 0;
    Bytes body;
    Signature signature{};

    bool operator==(const Transaction &) const = default;
};

Bytes encodeTransaction(const Transaction &tx);
// Strict: size limit first, known version and kind, body within its kind's limit and decoding exactly
// as that kind's body, no trailing bytes. Says nothing about the signature or the kind's rules
// (checkTransaction does).
Expected<Transaction> decodeTransaction(ByteView bytes);

TxId transactionId(const Transaction &tx);
Hash256 transactionSigningHash(const Transaction &tx);

// Sets tx.from to the key's public key and signs.
void signTransaction(Transaction &tx, const KeyPair &key);
bool verifyTransactionSignature(const Transaction &tx);

// Everything that can be checked without ledger state: version, network, size, kind, the kind's own
// rules (amount > 0, no self-transfer, object record syntax...), and the signature (checked last: it
// is the expensive part).
Status checkTransaction(const Transaction &tx, std::uint32_t networkId);

// Name of a kind number for messages and RPC ("transfer"), or "unknown".
std::string_view txKindName(std::uint8_t kind);

}  // namespace blyan::chain
