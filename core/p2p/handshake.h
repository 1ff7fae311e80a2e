#pragma once
// The P2P handshake (DESIGN.md section 9; docs/protocol.md "Handshake"). Pure functions, so the rules
// are testable without sockets; p2p/connection.* drives them over TCP.
//
// 1. Both sides send a plaintext Hello at once (fixed 74 bytes): magic, protocol version, network id,
//    genesis block id, and a fresh X25519 key for this connection only. A mismatch of any of the first
//    four ends the connection before any key is used (a misconfigured honest node, not an attacker: no
//    ban score).
// 2. Both derive directional session keys (libsodium crypto_kx: the side that dialled is the client)
//    and from here on every byte is inside an AEAD frame (p2p/frame.h).
// 3. The first frame of each side is Auth: its Ed25519 node identity, listening port and agent string,
//    signed over the transcript hash of both Hellos and the signer's role. The signature binds the
//    identity to *these* ephemeral keys, so a recorded Auth cannot be replayed into another session,
//    and the role byte stops a responder's Auth from being reflected back as an initiator's. The
//    identities travel encrypted: a passive observer learns neither node's identity.

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/x25519.h"

#include <array>
#include <cstdint>
#include <string>

namespace blyan::p2p {

inline constexpr std::array<std::uint8_t, 4> kMagic = {'B', 'L', 'Y', 'N'};
inline constexpr std::uint16_t kProtocolVersion = 1;
inline constexpr std::size_t kHelloSize = 4 + 2 + 4 + 32 + 32;
inline constexpr std::size_t kMaxAgentSize = 64;
inline constexpr std::string_view kTranscriptDomain = "blyan/p2p/handshake/v1";
inline constexpr std::string_view kAuthDomain = "blyan/p2p/auth/v1";

struct Hello {
    std::uint16_t version = kProtocolVersion;
    std::uint32_t networkId = 0;
    crypto::Hash256 genesis{};
    crypto::X25519PublicKey ephemeral{};
    bool operator==(const Hello &) const = default;
};

Bytes encodeHello(const Hello &hello);
// Strict: exactly kHelloSize bytes, the magic. The version and chain are checked by checkHello.
Expected<Hello> decodeHello(ByteView bytes);
// Same protocol version, network and genesis as ours; errors say which differs and how.
Status checkHello(const Hello &theirs, const Hello &ours);

struct Auth {
    crypto::PublicKey identity{};
    std::uint16_t listenPort = 0;  // 0: the peer does not accept connections
    std::string agent;             // "blyan/0.1.0", at most kMaxAgentSize bytes of UTF-8
    crypto::Signature signature{};
    bool operator==(const Auth &) const = default;
};

// BLAKE2b-256(kTranscriptDomain || initiator's Hello || responder's Hello).
crypto::Hash256 transcriptHash(ByteView initiatorHello, ByteView responderHello);
// What an Auth's signature covers: BLAKE2b-256(kAuthDomain || role || transcript || identity || port || agent);
// role is 1 for the initiator, 2 for the responder.
crypto::Hash256 authSigningHash(bool initiator, const crypto::Hash256 &transcript, const Auth &auth);

Auth makeAuth(const crypto::KeyPair &identity, bool initiator, const crypto::Hash256 &transcript,
              std::uint16_t listenPort, std::string agent);
// The frame body: type byte (MsgType::Auth = 1) || identity || port || agent || signature.
Bytes encodeAuth(const Auth &auth);
Expected<Auth> decodeAuth(ByteView frame);
// The peer's Auth against the transcript and its role (the opposite of ours); refuses our own identity
// (a node that dialled itself through some address).
Status checkAuth(const Auth &auth, bool peerIsInitiator, const crypto::Hash256 &transcript,
                 const crypto::PublicKey &ownIdentity);

}  // namespace blyan::p2p
