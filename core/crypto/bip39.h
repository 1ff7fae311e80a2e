#pragma once
// BIP-39 recovery phrases with the English word list: the words a user writes down to restore the
// wallet. A phrase encodes 128..256 bits of entropy plus a checksum; its seed (PBKDF2-HMAC-SHA512,
// 2048 rounds, salt "mnemonic" + passphrase) feeds SLIP-0010 (slip10.h). Blyan follows BIP-39
// exactly, so the same phrase gives the same seed in any BIP-39 tool.
//
// The phrase, its entropy and the seed are secrets and live only in SecureBytes. Error messages
// may quote the word the user typed wrong (that is what makes them useful in the restore dialog);
// they are for the user's eyes: never log them.

#include "crypto/secure_memory.h"
#include "util/bytes.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace blyan::crypto {

inline constexpr std::size_t kBip39WordListSize = 2048;
inline constexpr std::size_t kBip39SeedSize = 64;
inline constexpr std::size_t kBip39MaxPhraseBytes = 4096;  // 24 words need at most 215

// The English list compiled in from core/crypto/data/bip39-english.txt. The first call checks it
// (2048 lowercase a-z words, sorted, unique); a broken build fails every function here.
Expected<std::span<const std::string_view, kBip39WordListSize>> bip39EnglishWords();
// Position of an exact lowercase word in the list, or NotFound.
Expected<std::uint16_t> bip39WordIndex(std::string_view word);

class Mnemonic {
public:
    // 24 words from 256 bits of OS randomness (randombytes_buf).
    static Expected<Mnemonic> generate();
    // 16, 20, 24, 28 or 32 bytes of entropy -> 12, 15, 18, 21 or 24 words.
    static Expected<Mnemonic> fromEntropy(ByteView entropy);
    // What a user typed or pasted (UTF-8): Unicode NFKD as BIP-39 says (so a no-break space is a
    // space and full-width letters are letters), upper case folded to lower case, any run of
    // whitespace between words counts as one space. Then strict: 12/15/18/21/24 words, each in the
    // English list (non-ASCII letters such as accents are refused with their own message), and the
    // checksum must match. No abbreviations, no autocorrection.
    static Expected<Mnemonic> parse(std::string_view phrase);

    // The canonical phrase: lowercase words separated by single spaces.
    std::string_view text() const;
    std::size_t wordCount() const { return words_; }
    const SecureBytes &entropy() const { return entropy_; }

    // BIP-39 seed: PBKDF2-HMAC-SHA512(text(), "mnemonic" + NFKD(passphrase), 2048, 64 bytes).
    // The passphrase (the optional "25th word") may be any UTF-8 text, empty included; it is
    // normalised to NFKD here with QString::normalized, so the wallet UI may pass what the user
    // typed as it is (composed and decomposed forms of a letter give the same seed). Invalid UTF-8
    // is refused rather than repaired, because a repaired passphrase would open a different wallet.
    Expected<SecureBytes> seed(std::string_view passphrase = {}) const;

private:
    Mnemonic(SecureBytes text, SecureBytes entropy, std::size_t words)
        : text_(std::move(text)), entropy_(std::move(entropy)), words_(words)
    {
    }
    SecureBytes text_;
    SecureBytes entropy_;
    std::size_t words_ = 0;
};

}  // namespace blyan::crypto
