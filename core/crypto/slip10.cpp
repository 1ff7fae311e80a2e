#include "crypto/slip10.h"

#include "crypto/kdf.h"

#include <algorithm>
#include <string>

namespace blyan::crypto {

namespace {

constexpr std::size_t kPartSize = 32;
constexpr std::size_t kMaxPathChars = 4096;  // 255 components of at most 11 characters, and slashes
constexpr std::string_view kExample = "write it like m/44'/4344921'/0'/0'/0'";

Slip10Key split(const SecureBytes &i)
{
    return Slip10Key{SecureBytes::copyOf(i.view().first(kPartSize)), SecureBytes::copyOf(i.view().subspan(kPartSize))};
}

Error pathError(std::size_t component, std::string_view text, const std::string &what)
{
    return makeError(ErrorCode::InvalidArgument, "component " + std::to_string(component) + " '" + std::string(text) +
                                                     "' of the derivation path " + what);
}

}  // namespace

Expected<Slip10Key> slip10MasterKey(ByteView seed)
{
    if (seed.size() < kSlip10MinSeed || seed.size() > kSlip10MaxSeed)
        return makeError(ErrorCode::InvalidArgument, "a SLIP-0010 seed is 16 to 64 bytes (a BIP-39 seed is 64); got " +
                                                         std::to_string(seed.size()));
    return split(hmacSha512(asBytes("ed25519 seed"), seed));
}

Expected<Slip10Key> slip10Child(const Slip10Key &parent, std::uint32_t index)
{
    if (parent.privateKey.size() != kPartSize || parent.chainCode.size() != kPartSize)
        return makeError(ErrorCode::InvalidArgument, "a SLIP-0010 key is a 32-byte private key and a 32-byte chain code");
    if ((index & kHardenedBit) == 0)
        return makeError(ErrorCode::InvalidArgument,
                         "SLIP-0010 derives only hardened Ed25519 keys, and index " + std::to_string(index) +
                             " is not hardened; use " + std::to_string(index) + "' (index + 2^31)");
    const std::uint8_t zero[1] = {0};
    const std::uint8_t be[4] = {std::uint8_t(index >> 24), std::uint8_t(index >> 16), std::uint8_t(index >> 8),
                                std::uint8_t(index)};
    return split(hmacSha512(parent.chainCode.view(), {ByteView(zero), parent.privateKey.view(), ByteView(be)}));
}

Expected<std::vector<std::uint32_t>> parseDerivationPath(std::string_view path)
{
    if (path.empty()) return makeError(ErrorCode::InvalidArgument, "the derivation path is empty; " + std::string(kExample));
    if (path.size() > kMaxPathChars)
        return makeError(ErrorCode::LimitExceeded, "the derivation path is " + std::to_string(path.size()) +
                                                       " characters long; a path has at most 255 components");
    if (path[0] != 'm')
        return makeError(ErrorCode::InvalidArgument,
                         "a derivation path starts with 'm' (the master key); '" + std::string(path.substr(0, 16)) +
                             "' does not: " + std::string(kExample));
    path.remove_prefix(1);
    if (!path.empty() && path[0] != '/')
        return makeError(ErrorCode::InvalidArgument,
                         "in a derivation path, 'm' is followed by '/' and the first index: " + std::string(kExample));

    std::vector<std::uint32_t> out;
    for (std::size_t component = 1; !path.empty(); ++component) {
        path.remove_prefix(1);  // the '/'
        const std::size_t slash = path.find('/');
        const std::string_view text = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);

        if (text.empty())
            return makeError(ErrorCode::InvalidArgument, "component " + std::to_string(component) +
                                                             " of the derivation path is empty (two '/' in a row, "
                                                             "or a '/' at the end): " + std::string(kExample));
        const bool hardened = text.back() == '\'';
        const std::string_view digits = hardened ? text.substr(0, text.size() - 1) : text;
        if (!hardened && (text.back() == 'h' || text.back() == 'H'))
            return pathError(component, text, "marks hardening with a letter; write " +
                                                  std::string(text.substr(0, text.size() - 1)) + "' with an apostrophe");
        if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return pathError(component, text, "is not a decimal number followed by an apostrophe: " + std::string(kExample));
        if (digits.size() > 1 && digits[0] == '0')
            return pathError(component, text, "has a leading zero; write it without");
        std::uint64_t value = 0;
        for (char c : digits) {
            value = value * 10 + std::uint64_t(c - '0');
            if (value >= kHardenedBit)
                return pathError(component, text, "is out of range: an index is 0 to 2147483647 before the apostrophe");
        }
        if (!hardened)
            return pathError(component, text, "is not hardened: SLIP-0010 derives only hardened Ed25519 keys; write " +
                                                  std::string(text) + "'");
        if (out.size() == kSlip10MaxDepth)
            return makeError(ErrorCode::LimitExceeded, "the derivation path has more than 255 components");
        out.push_back(std::uint32_t(value) | kHardenedBit);
    }
    return out;
}

std::string formatDerivationPath(std::span<const std::uint32_t> path)
{
    std::string s = "m";
    for (std::uint32_t i : path) {
        s += '/';
        s += std::to_string(i & ~kHardenedBit);
        if (i & kHardenedBit) s += '\'';
    }
    return s;
}

Expected<Slip10Key> slip10Derive(ByteView seed, std::span<const std::uint32_t> path)
{
    if (path.size() > kSlip10MaxDepth)
        return makeError(ErrorCode::LimitExceeded, "the derivation path has more than 255 components");
    BLYAN_TRY(Slip10Key key, slip10MasterKey(seed));
    for (std::uint32_t index : path) {
        BLYAN_TRY(key, slip10Child(key, index));
    }
    return key;
}

Expected<Slip10Key> slip10Derive(ByteView seed, std::string_view path)
{
    BLYAN_TRY(const std::vector<std::uint32_t> indices, parseDerivationPath(path));
    return slip10Derive(seed, std::span<const std::uint32_t>(indices));
}

Expected<KeyPair> slip10KeyPair(const Slip10Key &key) { return KeyPair::fromSeed(key.privateKey); }

Expected<std::vector<std::uint32_t>> blyanDerivationPath(std::uint32_t account, std::uint32_t index)
{
    if (account >= kHardenedBit || index >= kHardenedBit)
        return makeError(ErrorCode::InvalidArgument, "a wallet account and key index are 0 to 2147483647; got account " +
                                                         std::to_string(account) + ", index " + std::to_string(index));
    return std::vector<std::uint32_t>{44 | kHardenedBit, kBlyanCoinType | kHardenedBit, account | kHardenedBit,
                                      0 | kHardenedBit, index | kHardenedBit};
}

Expected<KeyPair> deriveBlyanKeyPair(ByteView bip39Seed, std::uint32_t account, std::uint32_t index)
{
    BLYAN_TRY(const std::vector<std::uint32_t> path, blyanDerivationPath(account, index));
    BLYAN_TRY(const Slip10Key key, slip10Derive(bip39Seed, std::span<const std::uint32_t>(path)));
    return slip10KeyPair(key);
}

}  // namespace blyan::crypto
