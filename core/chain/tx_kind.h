#pragma once
// The transaction kind registry: each kind is one small handler in tx_kinds/<kind>.{h,cpp} with its
// own body struct, strict body codec and stateless rules.
//
// Adding a kind (register node, propose upgrade, PoL vote, claim reward, governance proposal, vote,
// slashing evidence...) touches no other kind:
//   1. append its number to TxKind in transaction.h (never reuse a number);
//   2. write tx_kinds/<kind>.h with a body struct providing
//        static constexpr TxKind kKind; static constexpr const char *kName; static constexpr size_t kMaxSize;
//        Bytes encode() const; static Expected<Body> decode(ByteView);  // strict, finish() included
//        Status check(const Transaction &tx) const;                      // stateless rules
//        bool operator==(const Body &) const;
//      and tx_kinds/<kind>.cpp defining it plus `const TxKindHandler &<kind>Handler()` as a BodyHandler;
//   3. add that handler to the list in tx_kinds/registry.cpp and the file to CMakeLists.txt.
// The ledger will add a state-transition hook per kind the same way.

#include "chain/transaction.h"

#include <string>

namespace blyan::chain {

class TxKindHandler {
public:
    virtual ~TxKindHandler() = default;
    virtual TxKind kind() const = 0;
    virtual const char *name() const = 0;
    virtual std::size_t maxBodySize() const = 0;
    // Strict decode of the body only (used by decodeTransaction).
    virtual Status decodeBody(ByteView body) const = 0;
    // Decode plus the kind's stateless rules (used by checkTransaction).
    virtual Status checkBody(const Transaction &tx) const = 0;
};

// nullptr for a number no kind has.
const TxKindHandler *findTxKind(std::uint8_t kind);

// The handler for a body struct that follows the contract above.
template <typename Body>
class BodyHandler final : public TxKindHandler {
public:
    TxKind kind() const override { return Body::kKind; }
    const char *name() const override { return Body::kName; }
    std::size_t maxBodySize() const override { return Body::kMaxSize; }
    Status decodeBody(ByteView body) const override
    {
        auto b = Body::decode(body);
        if (!b) return b.error();
        return {};
    }
    Status checkBody(const Transaction &tx) const override
    {
        BLYAN_TRY(const Body b, Body::decode(tx.body));
        return b.check(tx);
    }
};

// The typed body of a transaction, or an error when it is another kind or does not decode.
template <typename Body>
Expected<Body> transactionBody(const Transaction &tx)
{
    if (tx.kind != static_cast<std::uint8_t>(Body::kKind))
        return makeError(ErrorCode::InvalidArgument, std::string("transaction is a ") +
                                                         std::string(txKindName(tx.kind)) + ", not a " + Body::kName);
    return Body::decode(tx.body);
}

// An unsigned transaction carrying `body` (sign it with signTransaction).
template <typename Body>
Transaction makeTransaction(std::uint32_t networkId, std::uint64_t nonce, Amount fee, const Body &body)
{
    Transaction tx;
    tx.networkId = networkId;
    tx.kind = static_cast<std::uint8_t>(Body::kKind);
    tx.nonce = nonce;
    tx.fee = fee;
    tx.body = body.encode();
    return tx;
}

}  // namespace blyan::chain
