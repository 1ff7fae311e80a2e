#pragma once
// Bech32 (BIP-173) and Bech32m (BIP-350): the human-typed form of addresses.
//
// Blyan addresses are Bech32m ("bly1..."): the checksum catches typos and the human-readable part
// (hrp) names the network, so an address for one network cannot be pasted into another by mistake.
// Decoding is strict and every rejection says what is wrong, because the message reaches the user.

#include "util/bytes.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace blyan::crypto {

enum class Bech32Variant { Bech32, Bech32m };

inline constexpr std::size_t kBech32MaxLength = 90;

struct Bech32Decoded {
    std::string hrp;  // always lower case
    Bytes data;       // 5-bit values, checksum removed
    Bech32Variant variant = Bech32Variant::Bech32m;
};

// hrp: 1..83 printable ASCII (33..126), emitted in lower case; data: values 0..31.
Expected<std::string> bech32Encode(std::string_view hrp, ByteView data5, Bech32Variant variant);
// Accepts either variant and reports which one the checksum matched.
Expected<Bech32Decoded> bech32Decode(std::string_view str);
// Also requires the given variant (a Bech32 string where Bech32m is expected is an error).
Expected<Bech32Decoded> bech32Decode(std::string_view str, Bech32Variant expected);

// Regroups bits (e.g. 8 -> 5 to encode, 5 -> 8 to decode). With pad=false it is strict: more than
// fromBits-1 leftover bits, or non-zero leftover bits, are errors (BIP-173 rules).
Expected<Bytes> convertBits(ByteView in, int fromBits, int toBits, bool pad);
Bytes toFiveBit(ByteView bytes);               // 8 -> 5 with padding: cannot fail
Expected<Bytes> fromFiveBit(ByteView data5);   // 5 -> 8, strict padding

// Addresses: Bech32m of the payload bytes under the network's hrp.
struct DecodedAddress {
    std::string hrp;
    Bytes payload;
};
Expected<std::string> encodeAddress(std::string_view hrp, ByteView payload);
Expected<DecodedAddress> decodeAddress(std::string_view address);
// Also requires the hrp (case-insensitive), i.e. an address of this network.
Expected<Bytes> decodeAddress(std::string_view address, std::string_view expectedHrp);

}  // namespace blyan::crypto
