#include "p2p/messages.h"

#include "util/codec.h"

#include <string>

namespace blyan::p2p {

namespace {

void writeIds(Writer &w, const std::vector<BlockId> &ids)
{
    w.varint(ids.size());
    for (const auto &id : ids) w.raw(id);
}

Expected<std::vector<BlockId>> readIds(Reader &r, std::size_t max, const char *what)
{
    BLYAN_TRY(const auto n, r.varint(max, what));
    // Each id is 32 bytes: a count the frame cannot hold is refused before reserving anything.
    if (n * 32 > r.remaining()) return makeError(ErrorCode::Malformed, std::string(what) + ": truncated id list");
    std::vector<BlockId> ids;
    ids.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
        BLYAN_TRY(auto id, r.fixedArray<32>(what));
        ids.push_back(id);
    }
    return ids;
}

struct Encoder {
    Writer &w;
    void operator()(const Ping &m) { w.u64(m.nonce); }
    void operator()(const Pong &m) { w.u64(m.nonce); }
    void operator()(const StatusMsg &m)
    {
        w.u64(m.height);
        w.raw(m.tip);
        w.u64(m.finalHeight);
    }
    void operator()(const GetHeaders &m)
    {
        writeIds(w, m.locator);
        w.varint(m.max);
    }
    void operator()(const Headers &m)
    {
        w.varint(m.headers.size());
        for (const auto &h : m.headers) w.raw(chain::encodeBlockHeader(h));
    }
    void operator()(const GetBlocks &m) { writeIds(w, m.ids); }
    void operator()(const BlockMsg &m) { w.bytes(chain::encodeBlock(m.block)); }
    void operator()(const TxMsg &m) { w.bytes(chain::encodeTransaction(m.tx)); }
    void operator()(const GetAddr &) {}
    void operator()(const Addr &m)
    {
        w.varint(m.addresses.size());
        for (const auto &a : m.addresses) {
            w.raw(a.ip);
            w.u16(a.port);
        }
    }
    void operator()(const NotFound &m) { writeIds(w, m.ids); }
    void operator()(const VoteMsg &m) { w.raw(chain::encodeVote(m.vote)); }
    void operator()(const GetFinality &) {}
    void operator()(const Finality &m)
    {
        w.varint(m.votes.size());
        for (const auto &v : m.votes) w.raw(chain::encodeVote(v));
    }
    void operator()(const GetChunk &m)
    {
        w.raw(m.payload);
        w.u64(m.index);
    }
    void operator()(const Chunk &m)
    {
        w.raw(m.payload);
        w.u64(m.index);
        w.boolean(m.found);
        if (!m.found) return;
        w.bytes(m.data);
        w.varint(m.proof.size());
        for (const auto &h : m.proof) w.raw(h);
    }
};

Expected<Message> decodeBody(MsgType type, Reader &r)
{
    switch (type) {
    case MsgType::Ping: {
        BLYAN_TRY(const auto n, r.u64());
        return Message(Ping{n});
    }
    case MsgType::Pong: {
        BLYAN_TRY(const auto n, r.u64());
        return Message(Pong{n});
    }
    case MsgType::Status: {
        StatusMsg m;
        BLYAN_TRY(m.height, r.u64());
        BLYAN_TRY(m.tip, r.fixedArray<32>("Status.tip"));
        BLYAN_TRY(m.finalHeight, r.u64());
        if (m.finalHeight > m.height)
            return makeError(ErrorCode::Malformed, "Status: final height above the tip height");
        return Message(m);
    }
    case MsgType::GetHeaders: {
        GetHeaders m;
        BLYAN_TRY(m.locator, readIds(r, kMaxLocator, "GetHeaders.locator"));
        BLYAN_TRY(const auto max, r.varint(kMaxHeadersPerMessage, "GetHeaders.max"));
        m.max = static_cast<std::uint32_t>(max);
        return Message(m);
    }
    case MsgType::Headers: {
        BLYAN_TRY(const auto n, r.varint(kMaxHeadersPerMessage, "Headers.count"));
        if (n * chain::kBlockHeaderSize > r.remaining())
            return makeError(ErrorCode::Malformed, "Headers: truncated header list");
        Headers m;
        m.headers.reserve(n);
        for (std::uint64_t i = 0; i < n; ++i) {
            BLYAN_TRY(const auto raw, r.raw(chain::kBlockHeaderSize, "Headers.header"));
            auto h = chain::decodeBlockHeader(raw);
            if (!h) return h.error().context("Headers[" + std::to_string(i) + "]");
            m.headers.push_back(*h);
        }
        return Message(m);
    }
    case MsgType::GetBlocks: {
        GetBlocks m;
        BLYAN_TRY(m.ids, readIds(r, kMaxBlocksPerRequest, "GetBlocks.ids"));
        return Message(m);
    }
    case MsgType::Block: {
        BLYAN_TRY(const auto raw, r.bytes(chain::kMaxBlockSize, "Block.block"));
        auto b = chain::decodeBlock(raw);
        if (!b) return b.error().context("Block");
        return Message(BlockMsg{std::move(*b)});
    }
    case MsgType::Tx: {
        BLYAN_TRY(const auto raw, r.bytes(chain::kMaxTxSize, "Tx.tx"));
        auto tx = chain::decodeTransaction(raw);
        if (!tx) return tx.error().context("Tx");
        return Message(TxMsg{std::move(*tx)});
    }
    case MsgType::GetAddr:
        return Message(GetAddr{});
    case MsgType::Addr: {
        BLYAN_TRY(const auto n, r.varint(kMaxAddresses, "Addr.count"));
        if (n * 18 > r.remaining()) return makeError(ErrorCode::Malformed, "Addr: truncated address list");
        Addr m;
        for (std::uint64_t i = 0; i < n; ++i) {
            PeerAddress a;
            BLYAN_TRY(a.ip, r.fixedArray<16>("Addr.ip"));
            BLYAN_TRY(a.port, r.u16());
            if (a.port == 0) return makeError(ErrorCode::Malformed, "Addr: port 0");
            m.addresses.push_back(a);
        }
        return Message(m);
    }
    case MsgType::NotFound: {
        NotFound m;
        BLYAN_TRY(m.ids, readIds(r, kMaxBlocksPerRequest, "NotFound.ids"));
        return Message(m);
    }
    case MsgType::Vote: {
        BLYAN_TRY(const auto raw, r.raw(chain::kVoteSize, "Vote.vote"));
        auto v = chain::decodeVote(raw);
        if (!v) return v.error().context("Vote");
        return Message(VoteMsg{*v});
    }
    case MsgType::GetFinality:
        return Message(GetFinality{});
    case MsgType::Finality: {
        BLYAN_TRY(const auto n, r.varint(kMaxCertificateVotes, "Finality.count"));
        if (n * chain::kVoteSize > r.remaining()) return makeError(ErrorCode::Malformed, "Finality: truncated vote list");
        Finality m;
        for (std::uint64_t i = 0; i < n; ++i) {
            BLYAN_TRY(const auto raw, r.raw(chain::kVoteSize, "Finality.vote"));
            auto v = chain::decodeVote(raw);
            if (!v) return v.error().context("Finality[" + std::to_string(i) + "]");
            m.votes.push_back(*v);
        }
        return Message(m);
    }
    case MsgType::GetChunk: {
        GetChunk m;
        BLYAN_TRY(m.payload, r.fixedArray<32>("GetChunk.payload"));
        BLYAN_TRY(m.index, r.u64());
        return Message(m);
    }
    case MsgType::Chunk: {
        Chunk m;
        BLYAN_TRY(m.payload, r.fixedArray<32>("Chunk.payload"));
        BLYAN_TRY(m.index, r.u64());
        BLYAN_TRY(m.found, r.boolean());
        if (!m.found) return Message(m);
        BLYAN_TRY(m.data, r.bytes(storage::kChunkSize, "Chunk.data"));
        BLYAN_TRY(const auto n, r.varint(kMaxMerkleProof, "Chunk.proof"));
        if (n * 32 > r.remaining()) return makeError(ErrorCode::Malformed, "Chunk: truncated proof");
        for (std::uint64_t i = 0; i < n; ++i) {
            BLYAN_TRY(auto h, r.fixedArray<32>("Chunk.proof"));
            m.proof.push_back(h);
        }
        return Message(m);
    }
    case MsgType::Auth:
        break;
    }
    return makeError(ErrorCode::Malformed, "unknown message type " + std::to_string(static_cast<int>(type)));
}

}  // namespace

MsgType messageType(const Message &m)
{
    static constexpr MsgType kTypes[] = {MsgType::Ping,      MsgType::Pong,  MsgType::Status, MsgType::GetHeaders,
                                         MsgType::Headers,   MsgType::GetBlocks, MsgType::Block, MsgType::Tx,
                                         MsgType::GetAddr,   MsgType::Addr,  MsgType::NotFound, MsgType::Vote,
                                         MsgType::GetFinality, MsgType::Finality, MsgType::GetChunk, MsgType::Chunk};
    return kTypes[m.index()];
}

const char *messageName(MsgType type)
{
    switch (type) {
    case MsgType::Auth: return "Auth";
    case MsgType::Ping: return "Ping";
    case MsgType::Pong: return "Pong";
    case MsgType::Status: return "Status";
    case MsgType::GetHeaders: return "GetHeaders";
    case MsgType::Headers: return "Headers";
    case MsgType::GetBlocks: return "GetBlocks";
    case MsgType::Block: return "Block";
    case MsgType::Tx: return "Tx";
    case MsgType::GetAddr: return "GetAddr";
    case MsgType::Addr: return "Addr";
    case MsgType::NotFound: return "NotFound";
    case MsgType::Vote: return "Vote";
    case MsgType::GetFinality: return "GetFinality";
    case MsgType::Finality: return "Finality";
    case MsgType::GetChunk: return "GetChunk";
    case MsgType::Chunk: return "Chunk";
    }
    return "unknown";
}

Bytes encodeMessage(const Message &m)
{
    Writer w;
    w.u8(static_cast<std::uint8_t>(messageType(m)));
    std::visit(Encoder{w}, m);
    return w.take();
}

Expected<Message> decodeMessage(ByteView frame)
{
    if (frame.size() > kMaxMessageSize)
        return makeError(ErrorCode::LimitExceeded, "message of " + std::to_string(frame.size()) +
                                                       " bytes is over the limit of " +
                                                       std::to_string(kMaxMessageSize));
    Reader r(frame);
    BLYAN_TRY(const auto t, r.u8());
    const auto type = static_cast<MsgType>(t);
    auto m = decodeBody(type, r);
    if (!m) return m.error().context(std::string("message ") + messageName(type));
    if (Status s = r.finish(); !s.ok()) return s.error().context(std::string("message ") + messageName(type));
    return m;
}

}  // namespace blyan::p2p
