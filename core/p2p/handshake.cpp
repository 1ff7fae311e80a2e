#include "p2p/handshake.h"

#include "util/codec.h"

#include <algorithm>

namespace blyan::p2p {

namespace {

std::string hex8(const crypto::Hash256 &h) { return crypto::hashToHex(h).substr(0, 16); }

}  // namespace

Bytes encodeHello(const Hello &hello)
{
    Writer w;
    w.raw(kMagic);
    w.u16(hello.version);
    w.u32(hello.networkId);
    w.raw(hello.genesis);
    w.raw(hello.ephemeral);
    return w.take();
}

Expected<Hello> decodeHello(ByteView bytes)
{
    if (bytes.size() != kHelloSize)
        return makeError(ErrorCode::Malformed, "hello: " + std::to_string(bytes.size()) + " bytes, expected " +
                                                   std::to_string(kHelloSize));
    if (!std::equal(kMagic.begin(), kMagic.end(), bytes.begin()))
        return makeError(ErrorCode::Malformed, "hello: not a Blyan node (wrong magic bytes)");
    Reader r(bytes.subspan(kMagic.size()));
    Hello h;
    BLYAN_TRY(h.version, r.u16());
    BLYAN_TRY(h.networkId, r.u32());
    BLYAN_TRY(h.genesis, r.fixedArray<32>("hello.genesis"));
    BLYAN_TRY(h.ephemeral, r.fixedArray<32>("hello.ephemeral"));
    BLYAN_CHECK(r.finish());
    return h;
}

Status checkHello(const Hello &theirs, const Hello &ours)
{
    if (theirs.version != ours.version)
        return makeError(ErrorCode::InvalidArgument, "peer speaks protocol version " + std::to_string(theirs.version) +
                                                         ", this node " + std::to_string(ours.version));
    if (theirs.networkId != ours.networkId)
        return makeError(ErrorCode::InvalidArgument, "peer is on another network (id " +
                                                         std::to_string(theirs.networkId) + ", ours " +
                                                         std::to_string(ours.networkId) + ")");
    if (theirs.genesis != ours.genesis)
        return makeError(ErrorCode::InvalidArgument, "peer follows another chain (genesis " + hex8(theirs.genesis) +
                                                         "…, ours " + hex8(ours.genesis) +
                                                         "…): check its --genesis file");
    return {};
}

crypto::Hash256 transcriptHash(ByteView initiatorHello, ByteView responderHello)
{
    Bytes buf(kTranscriptDomain.begin(), kTranscriptDomain.end());
    buf.insert(buf.end(), initiatorHello.begin(), initiatorHello.end());
    buf.insert(buf.end(), responderHello.begin(), responderHello.end());
    return crypto::blake2b256(buf);
}

crypto::Hash256 authSigningHash(bool initiator, const crypto::Hash256 &transcript, const Auth &auth)
{
    Writer w;
    w.raw(asBytes(kAuthDomain));
    w.u8(initiator ? 1 : 2);
    w.raw(transcript);
    w.raw(auth.identity);
    w.u16(auth.listenPort);
    w.string(auth.agent);
    return crypto::blake2b256(w.data());
}

Auth makeAuth(const crypto::KeyPair &identity, bool initiator, const crypto::Hash256 &transcript,
              std::uint16_t listenPort, std::string agent)
{
    Auth a;
    a.identity = identity.publicKey();
    a.listenPort = listenPort;
    a.agent = std::move(agent);
    if (a.agent.size() > kMaxAgentSize) a.agent.resize(kMaxAgentSize);
    a.signature = identity.sign(authSigningHash(initiator, transcript, a));
    return a;
}

Bytes encodeAuth(const Auth &auth)
{
    Writer w;
    w.u8(1);  // MsgType::Auth
    w.raw(auth.identity);
    w.u16(auth.listenPort);
    w.string(auth.agent);
    w.raw(auth.signature);
    return w.take();
}

Expected<Auth> decodeAuth(ByteView frame)
{
    Reader r(frame);
    BLYAN_TRY(const auto type, r.u8());
    if (type != 1)
        return makeError(ErrorCode::Malformed, "the first frame must be Auth, got type " + std::to_string(type));
    Auth a;
    BLYAN_TRY(a.identity, r.fixedArray<32>("Auth.identity"));
    BLYAN_TRY(a.listenPort, r.u16());
    BLYAN_TRY(a.agent, r.string(kMaxAgentSize, "Auth.agent"));
    BLYAN_TRY(a.signature, r.fixedArray<64>("Auth.signature"));
    BLYAN_CHECK(r.finish());
    return a;
}

Status checkAuth(const Auth &auth, bool peerIsInitiator, const crypto::Hash256 &transcript,
                 const crypto::PublicKey &ownIdentity)
{
    if (auth.identity == ownIdentity)
        return makeError(ErrorCode::AlreadyExists, "connected to itself (the peer has this node's identity)");
    if (!crypto::verify(auth.identity, authSigningHash(peerIsInitiator, transcript, auth), auth.signature))
        return makeError(ErrorCode::Crypto, "Auth: the identity signature does not verify");
    return {};
}

}  // namespace blyan::p2p
