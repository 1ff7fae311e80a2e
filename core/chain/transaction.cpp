#include "chain/transaction.h"

#include "chain/field.h"
#include "chain/tx_kind.h"
#include "util/codec.h"

namespace blyan::chain {

using detail::field;
using detail::fieldError;

namespace {

// The encoding without the signature: what the signing hash covers.
void encodeUnsigned(Writer &w, const Transaction &tx)
{
    w.u8(tx.version);
    w.u32(tx.networkId);
    w.u8(tx.kind);
    w.raw(asBytes(tx.from));
    w.varint(tx.nonce);
    w.varint(tx.fee);
    w.bytes(tx.body);
}

}  // namespace

Bytes encodeTransaction(const Transaction &tx)
{
    Writer w;
    encodeUnsigned(w, tx);
    w.raw(asBytes(tx.signature));
    return w.take();
}

Expected<Transaction> decodeTransaction(ByteView bytes)
{
    if (bytes.size() > kMaxTxSize)
        return fieldError(ErrorCode::LimitExceeded, "transaction",
                          std::to_string(bytes.size()) + " bytes is over the limit of " + std::to_string(kMaxTxSize) +
                              ": split the work into smaller transactions");
    Reader r(bytes);
    Transaction tx;
    BLYAN_TRY(tx.version, field(r.u8(), "transaction.version"));
    if (tx.version != kTxVersion)
        return fieldError(ErrorCode::Malformed, "transaction.version",
                          "version " + std::to_string(tx.version) + " is unknown (this node understands version " +
                              std::to_string(kTxVersion) + "): upgrade the node or rebuild the transaction");
    BLYAN_TRY(tx.networkId, field(r.u32(), "transaction.network_id"));
    BLYAN_TRY(tx.kind, field(r.u8(), "transaction.kind"));
    const TxKindHandler *handler = findTxKind(tx.kind);
    if (!handler)
        return fieldError(ErrorCode::Malformed, "transaction.kind",
                          "kind " + std::to_string(tx.kind) + " is unknown: upgrade the node or fix the transaction");
    BLYAN_TRY(tx.from, field(r.fixedArray<32>("transaction.from"), "transaction.from"));
    BLYAN_TRY(tx.nonce, field(r.varint(), "transaction.nonce"));
    BLYAN_TRY(tx.fee, field(r.varint(), "transaction.fee"));
    BLYAN_TRY(tx.body, field(r.bytes(handler->maxBodySize(), "body"), "transaction.body"));
    BLYAN_TRY(tx.signature, field(r.fixedArray<64>("transaction.signature"), "transaction.signature"));
    BLYAN_CHECK(field(r.finish(), "transaction"));
    if (Status s = handler->decodeBody(tx.body); !s)
        return s.error().context(std::string("transaction.body (") + handler->name() + ")");
    return tx;
}

TxId transactionId(const Transaction &tx) { return crypto::blake2b256(encodeTransaction(tx)); }

Hash256 transactionSigningHash(const Transaction &tx)
{
    Writer w;
    w.raw(asBytes(kTxDomain));
    encodeUnsigned(w, tx);
    return crypto::blake2b256(w.data());
}

void signTransaction(Transaction &tx, const KeyPair &key)
{
    tx.from = key.publicKey();
    const Hash256 h = transactionSigningHash(tx);
    tx.signature = key.sign(asBytes(h));
}

bool verifyTransactionSignature(const Transaction &tx)
{
    const Hash256 h = transactionSigningHash(tx);
    return crypto::verify(tx.from, asBytes(h), tx.signature);
}

Status checkTransaction(const Transaction &tx, std::uint32_t networkId)
{
    if (tx.version != kTxVersion)
        return fieldError(ErrorCode::InvalidArgument, "transaction.version",
                          "version " + std::to_string(tx.version) + " is unknown; use " + std::to_string(kTxVersion));
    if (tx.networkId != networkId)
        return fieldError(ErrorCode::InvalidArgument, "transaction.network_id",
                          "the transaction is for network " + std::to_string(tx.networkId) + ", this node runs " +
                              std::to_string(networkId) + ": sign it for this network");
    const TxKindHandler *handler = findTxKind(tx.kind);
    if (!handler)
        return fieldError(ErrorCode::InvalidArgument, "transaction.kind",
                          "kind " + std::to_string(tx.kind) + " is unknown");
    if (tx.body.size() > handler->maxBodySize())
        return fieldError(ErrorCode::LimitExceeded, "transaction.body",
                          std::to_string(tx.body.size()) + " bytes is over the " + handler->name() + " limit of " +
                              std::to_string(handler->maxBodySize()));
    // The encoding is 125 bytes plus the body at most, so the body limits keep every transaction under
    // kMaxTxSize; checking the real size keeps that true whatever limits future kinds choose.
    auto varintSize = [](std::uint64_t v) {
        std::size_t n = 1;
        while (v >= 0x80) v >>= 7, ++n;
        return n;
    };
    const std::size_t size = 1 + 4 + 1 + 32 + varintSize(tx.nonce) + varintSize(tx.fee) +
                             varintSize(tx.body.size()) + tx.body.size() + 64;
    if (size > kMaxTxSize)
        return fieldError(ErrorCode::LimitExceeded, "transaction",
                          std::to_string(size) + " bytes is over the limit of " + std::to_string(kMaxTxSize));
    if (Status s = handler->checkBody(tx); !s)
        return s.error().context(std::string("transaction.body (") + handler->name() + ")");
    if (!verifyTransactionSignature(tx))
        return fieldError(ErrorCode::Crypto, "transaction.signature",
                          "does not verify for the 'from' key over this transaction's contents: it was changed "
                          "after signing or signed by another key; sign it again with the sender's key");
    return {};
}

std::string_view txKindName(std::uint8_t kind)
{
    const TxKindHandler *h = findTxKind(kind);
    return h ? std::string_view(h->name()) : std::string_view("unknown");
}

}  // namespace blyan::chain
