#pragma once
// Account addresses. An account *is* its Ed25519 public key; the address is that key in Bech32m under
// the network's human-readable part ("dbly1..." on devnet, "tbly1..." on testnet), so a typo fails the
// checksum and an address of another network is refused before any money moves.

#include "crypto/ed25519.h"
#include "util/network.h"

#include <string>
#include <string_view>

namespace blyan::chain {

using crypto::PublicKey;

std::string formatAddress(Network network, const PublicKey &key);

// Strict: Bech32m (not Bech32), the network's hrp, exactly 32 bytes, and a valid Ed25519 point (a key
// nobody can sign for would make the funds sent to it unspendable). Errors name the network the
// address belongs to when it is another one.
Expected<PublicKey> parseAddress(std::string_view address, Network network);

}  // namespace blyan::chain
