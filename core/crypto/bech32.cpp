#include "crypto/bech32.h"

#include <array>
#include <cstdio>
#include <string>
#include <vector>

namespace blyan::crypto {
namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::uint32_t kBech32Const = 1;
constexpr std::uint32_t kBech32mConst = 0x2bc830a3;
constexpr std::size_t kChecksumLength = 6;
constexpr std::size_t kMaxHrpLength = 83;

const char *variantName(Bech32Variant v) { return v == Bech32Variant::Bech32 ? "Bech32" : "Bech32m"; }
std::uint32_t variantConst(Bech32Variant v) { return v == Bech32Variant::Bech32 ? kBech32Const : kBech32mConst; }

int charValue(char c)
{
    for (int i = 0; i < 32; ++i)
        if (kCharset[i] == c) return i;
    return -1;
}

std::string describeChar(unsigned char c)
{
    char buf[16];
    if (c >= 33 && c <= 126)
        std::snprintf(buf, sizeof buf, "'%c'", c);
    else
        std::snprintf(buf, sizeof buf, "0x%02X", c);
    return buf;
}

// BCH checksum over GF(32) (BIP-173 reference).
std::uint32_t polymod(const std::vector<std::uint8_t> &values)
{
    static constexpr std::array<std::uint32_t, 5> kGen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa,
                                                           0x3d4233dd, 0x2a1462b3};
    std::uint32_t chk = 1;
    for (std::uint8_t v : values) {
        const std::uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (int i = 0; i < 5; ++i)
            if ((top >> i) & 1) chk ^= kGen[static_cast<std::size_t>(i)];
    }
    return chk;
}

// The hrp takes part in the checksum: high bits, a zero, then low bits of each character.
std::vector<std::uint8_t> hrpExpand(std::string_view hrp)
{
    std::vector<std::uint8_t> out;
    out.reserve(hrp.size() * 2 + 1);
    for (char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
    out.push_back(0);
    for (char c : hrp) out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
    return out;
}

char toLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

Error malformed(const std::string &what) { return makeError(ErrorCode::Malformed, "bech32: " + what); }

}  // namespace

Expected<std::string> bech32Encode(std::string_view hrp, ByteView data5, Bech32Variant variant)
{
    if (hrp.empty()) return makeError(ErrorCode::InvalidArgument, "bech32: the human-readable part is empty");
    if (hrp.size() > kMaxHrpLength)
        return makeError(ErrorCode::InvalidArgument, "bech32: the human-readable part is longer than 83 characters");
    std::string lowerHrp;
    for (char c : hrp) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126)
            return makeError(ErrorCode::InvalidArgument,
                             "bech32: invalid character " + describeChar(u) + " in the human-readable part");
        lowerHrp.push_back(toLower(c));
    }
    for (std::uint8_t v : data5)
        if (v > 31) return makeError(ErrorCode::InvalidArgument, "bech32: data value " + std::to_string(v) + " is not 5-bit");
    const std::size_t total = lowerHrp.size() + 1 + data5.size() + kChecksumLength;
    if (total > kBech32MaxLength)
        return makeError(ErrorCode::LimitExceeded, "bech32: the result would be " + std::to_string(total) +
                                                       " characters; the limit is 90");

    std::vector<std::uint8_t> values = hrpExpand(lowerHrp);
    values.insert(values.end(), data5.begin(), data5.end());
    values.insert(values.end(), kChecksumLength, 0);
    const std::uint32_t mod = polymod(values) ^ variantConst(variant);

    std::string out = lowerHrp + '1';
    for (std::uint8_t v : data5) out.push_back(kCharset[v]);
    for (std::size_t i = 0; i < kChecksumLength; ++i) out.push_back(kCharset[(mod >> (5 * (5 - i))) & 31]);
    return out;
}

Expected<Bech32Decoded> bech32Decode(std::string_view str)
{
    if (str.size() > kBech32MaxLength)
        return makeError(ErrorCode::LimitExceeded, "bech32: the string is " + std::to_string(str.size()) +
                                                       " characters long; the limit is 90");
    bool lower = false, upper = false;
    for (std::size_t i = 0; i < str.size(); ++i) {
        const auto u = static_cast<unsigned char>(str[i]);
        if (u < 33 || u > 126)
            return malformed("invalid character " + describeChar(u) + " at position " + std::to_string(i));
        lower |= (u >= 'a' && u <= 'z');
        upper |= (u >= 'A' && u <= 'Z');
    }
    if (lower && upper) return malformed("mixed upper and lower case; use one case throughout");

    const std::size_t sep = str.rfind('1');
    if (sep == std::string_view::npos) return malformed("no separator '1' between the prefix and the data");
    if (sep == 0) return malformed("empty human-readable part before the separator '1'");
    if (str.size() - sep - 1 < kChecksumLength)
        return malformed("checksum too short: fewer than 6 characters after the separator '1'");

    Bech32Decoded out;
    for (char c : str.substr(0, sep)) out.hrp.push_back(toLower(c));
    std::vector<std::uint8_t> values = hrpExpand(out.hrp);
    for (std::size_t i = sep + 1; i < str.size(); ++i) {
        const int v = charValue(toLower(str[i]));
        if (v < 0)
            return malformed("invalid data character " + describeChar(static_cast<unsigned char>(str[i])) +
                             " at position " + std::to_string(i) + " (bech32 has no b, i, o or 1 there)");
        values.push_back(static_cast<std::uint8_t>(v));
    }

    const std::uint32_t check = polymod(values);
    if (check == kBech32Const)
        out.variant = Bech32Variant::Bech32;
    else if (check == kBech32mConst)
        out.variant = Bech32Variant::Bech32m;
    else
        return malformed("invalid checksum: the string has a typo or is incomplete");

    const std::size_t hrpValues = out.hrp.size() * 2 + 1;
    out.data.assign(values.begin() + static_cast<std::ptrdiff_t>(hrpValues),
                    values.end() - static_cast<std::ptrdiff_t>(kChecksumLength));
    return out;
}

Expected<Bech32Decoded> bech32Decode(std::string_view str, Bech32Variant expected)
{
    BLYAN_TRY(auto decoded, bech32Decode(str));
    if (decoded.variant != expected)
        return malformed(std::string("checksum variant mismatch: the string is ") + variantName(decoded.variant) +
                         ", expected " + variantName(expected));
    return decoded;
}

Expected<Bytes> convertBits(ByteView in, int fromBits, int toBits, bool pad)
{
    if (fromBits < 1 || fromBits > 8 || toBits < 1 || toBits > 8)
        return makeError(ErrorCode::InvalidArgument, "convertBits: group sizes must be 1..8 bits");
    const std::uint32_t maxv = (1u << toBits) - 1;
    const std::uint32_t maxAcc = (1u << (fromBits + toBits - 1)) - 1;
    std::uint32_t acc = 0;
    int bits = 0;
    Bytes out;
    out.reserve(in.size() * static_cast<std::size_t>(fromBits) / static_cast<std::size_t>(toBits) + 1);
    for (std::uint8_t v : in) {
        if ((v >> fromBits) != 0)
            return makeError(ErrorCode::Malformed,
                             "convertBits: value " + std::to_string(v) + " does not fit in " + std::to_string(fromBits) + " bits");
        acc = ((acc << fromBits) | v) & maxAcc;
        bits += fromBits;
        while (bits >= toBits) {
            bits -= toBits;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & maxv));
        }
    }
    if (pad) {
        if (bits > 0) out.push_back(static_cast<std::uint8_t>((acc << (toBits - bits)) & maxv));
    } else if (bits >= fromBits) {
        return makeError(ErrorCode::Malformed, "convertBits: more than " + std::to_string(fromBits - 1) +
                                                   " bits of padding (the data has a stray extra character)");
    } else if (((acc << (toBits - bits)) & maxv) != 0) {
        return makeError(ErrorCode::Malformed, "convertBits: non-zero padding bits");
    }
    return out;
}

Bytes toFiveBit(ByteView bytes) { return std::move(convertBits(bytes, 8, 5, true)).value(); }

Expected<Bytes> fromFiveBit(ByteView data5) { return convertBits(data5, 5, 8, false); }

Expected<std::string> encodeAddress(std::string_view hrp, ByteView payload)
{
    if (payload.empty()) return makeError(ErrorCode::InvalidArgument, "address: the payload is empty");
    return bech32Encode(hrp, toFiveBit(payload), Bech32Variant::Bech32m);
}

Expected<DecodedAddress> decodeAddress(std::string_view address)
{
    auto decoded = bech32Decode(address, Bech32Variant::Bech32m);
    if (!decoded) return decoded.error().context("invalid address");
    auto payload = fromFiveBit(decoded->data);
    if (!payload) return payload.error().context("invalid address");
    if (payload->empty()) return makeError(ErrorCode::Malformed, "invalid address: it carries no data");
    return DecodedAddress{std::move(decoded->hrp), std::move(*payload)};
}

Expected<Bytes> decodeAddress(std::string_view address, std::string_view expectedHrp)
{
    BLYAN_TRY(auto decoded, decodeAddress(address));
    std::string want;
    for (char c : expectedHrp) want.push_back(toLower(c));
    if (decoded.hrp != want)
        return makeError(ErrorCode::InvalidArgument, "address prefix is '" + decoded.hrp + "', expected '" + want +
                                                         "': it belongs to another network");
    return std::move(decoded.payload);
}

}  // namespace blyan::crypto
