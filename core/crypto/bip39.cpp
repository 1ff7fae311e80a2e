#include "crypto/bip39.h"

#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "util/codec.h"

#include <QString>
#include <QStringDecoder>

#include <sodium.h>

#include <algorithm>
#include <string>

namespace blyan::crypto {

namespace detail {
// Generated at build time from core/crypto/data/bip39-english.txt (cmake/EmbedWordList.cmake).
extern const std::array<std::string_view, kBip39WordListSize> kBip39English;
}  // namespace detail

namespace {

constexpr std::size_t kMaxWords = 24;
constexpr std::uint32_t kSeedRounds = 2048;

// Checked once per process: a list out of order would make the binary search lie, and a repeated
// word would make two phrases mean the same thing.
const Status &wordListStatus()
{
    static const Status status = []() -> Status {
        const auto &list = detail::kBip39English;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string_view w = list[i];
            const bool letters = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
            if (!letters || (i > 0 && !(list[i - 1] < w)))
                return makeError(ErrorCode::Corrupt, "the built-in BIP-39 word list is damaged at word " +
                                                         std::to_string(i + 1) +
                                                         "; this build of Blyan is broken: reinstall it");
        }
        return {};
    }();
    return status;
}

bool validWordCount(std::size_t n) { return n >= 12 && n <= kMaxWords && n % 3 == 0; }

// Zeroes a QString's characters (after detaching, so a shared copy is wiped too).
void wipe(QString &s)
{
    if (!s.isEmpty()) secureZero(s.data(), std::size_t(s.size()) * sizeof(QChar));
    s.clear();
}

bool isAscii(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Joins the words with single spaces into secure memory.
SecureBytes joinWords(std::span<const std::uint16_t> indices)
{
    const auto &list = detail::kBip39English;
    std::size_t size = indices.empty() ? 0 : indices.size() - 1;
    for (std::uint16_t i : indices) size += list[i].size();
    SecureBytes text(size);
    std::size_t pos = 0;
    for (std::size_t k = 0; k < indices.size(); ++k) {
        if (k > 0) text.data()[pos++] = ' ';
        const std::string_view w = list[indices[k]];
        std::copy(w.begin(), w.end(), text.data() + pos);
        pos += w.size();
    }
    return text;
}

// The first byte of SHA-256(entropy): BIP-39's checksum is its top entropy_bits/32 bits (4..8).
std::uint8_t checksumByte(ByteView entropy)
{
    std::uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, entropy.data(), entropy.size());
    const std::uint8_t first = digest[0];
    secureZero(digest, sizeof digest);
    return first;
}

}  // namespace

Expected<std::span<const std::string_view, kBip39WordListSize>> bip39EnglishWords()
{
    BLYAN_CHECK(wordListStatus());
    return std::span<const std::string_view, kBip39WordListSize>(detail::kBip39English);
}

Expected<std::uint16_t> bip39WordIndex(std::string_view word)
{
    BLYAN_CHECK(wordListStatus());
    const auto &list = detail::kBip39English;
    const auto it = std::lower_bound(list.begin(), list.end(), word);
    if (it == list.end() || *it != word)
        return makeError(ErrorCode::NotFound, "'" + std::string(word) + "' is not in the BIP-39 English word list");
    return std::uint16_t(it - list.begin());
}

Expected<Mnemonic> Mnemonic::generate()
{
    const SecureBytes entropy = randomSecureBytes(32);  // randombytes_buf: the OS CSPRNG
    return fromEntropy(entropy.view());
}

Expected<Mnemonic> Mnemonic::fromEntropy(ByteView entropy)
{
    BLYAN_CHECK(wordListStatus());
    const std::size_t n = entropy.size();
    if (n < 16 || n > 32 || n % 4 != 0)
        return makeError(ErrorCode::InvalidArgument,
                         "BIP-39 entropy is 16, 20, 24, 28 or 32 bytes (12 to 24 words); got " + std::to_string(n));
    ensureSodium();
    // entropy || checksum byte, read as a big-endian bit string, 11 bits per word.
    SecureBytes bits(n + 1);
    std::copy(entropy.begin(), entropy.end(), bits.data());
    bits.data()[n] = checksumByte(entropy);
    const std::size_t words = (n * 8 + n / 4) / 11;
    std::array<std::uint16_t, kMaxWords> indices{};
    for (std::size_t w = 0; w < words; ++w) {
        unsigned v = 0;
        for (std::size_t b = w * 11; b < w * 11 + 11; ++b) v = (v << 1) | ((bits.data()[b / 8] >> (7 - b % 8)) & 1u);
        indices[w] = std::uint16_t(v);
    }
    Mnemonic m(joinWords(std::span(indices.data(), words)), SecureBytes::copyOf(entropy), words);
    secureZero(indices.data(), sizeof indices);
    return m;
}

Expected<Mnemonic> Mnemonic::parse(std::string_view phrase)
{
    BLYAN_CHECK(wordListStatus());
    if (phrase.size() > kBip39MaxPhraseBytes)
        return makeError(ErrorCode::LimitExceeded,
                         "the recovery phrase is " + std::to_string(phrase.size()) +
                             " bytes long, far more than 24 words; paste only the words of the phrase");
    if (!isValidUtf8(phrase))
        return makeError(ErrorCode::Malformed, "the recovery phrase is not valid UTF-8 text; type it in again");

    // BIP-39 compares words after NFKD. ASCII is already in NFKD, and Qt would only copy the
    // secret around, so only other text takes the QString route (where fromUtf8 also drops a
    // byte-order mark that a pasted file may start with).
    const bool viaQt = !isAscii(phrase);
    QString original, nfkd;
    if (viaQt) {
        original = QString::fromUtf8(phrase.data(), qsizetype(phrase.size()));
        nfkd = original.normalized(QString::NormalizationForm_KD);
    }
    const std::size_t length = viaQt ? std::size_t(nfkd.size()) : phrase.size();
    auto at = [&](std::size_t i) -> char32_t {
        return viaQt ? nfkd.at(qsizetype(i)).unicode() : char32_t(static_cast<unsigned char>(phrase[i]));
    };
    auto isSpace = [&](std::size_t i) { return QChar::isSpace(at(i)); };
    // Only for error messages: the word as the user sees it (NFC, so an accent shows as typed).
    auto quoted = [&](std::size_t count, std::size_t begin, std::size_t end) {
        const std::string w = viaQt ? nfkd.mid(qsizetype(begin), qsizetype(end - begin))
                                          .normalized(QString::NormalizationForm_C)
                                          .toStdString()
                                    : std::string(phrase.substr(begin, end - begin));
        return "word " + std::to_string(count) + " '" + w + "'";
    };

    std::array<std::uint16_t, kMaxWords> indices{};
    std::size_t count = 0;
    Status bad;
    char word[9];  // the longest English word has 8 letters; longer input cannot match
    for (std::size_t i = 0; i < length;) {
        if (isSpace(i)) {
            ++i;
            continue;
        }
        const std::size_t begin = i;
        std::size_t len = 0;
        bool nonAscii = false;
        for (; i < length && !isSpace(i); ++i) {
            char32_t c = at(i);
            if (c >= 0x80) nonAscii = true;
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (len < sizeof word) word[len] = char(c);
            ++len;
        }
        ++count;
        if (nonAscii) {
            bad = makeError(ErrorCode::InvalidArgument,
                            quoted(count, begin, i) +
                                " contains a letter that is not a plain a to z (an accent or another alphabet): "
                                "the English word list uses only a to z; type the word without it");
            break;
        }
        const Expected<std::uint16_t> index =
            len < sizeof word ? bip39WordIndex(std::string_view(word, len))
                              : Expected<std::uint16_t>(makeError(ErrorCode::NotFound, "too long"));
        if (!index.ok()) {
            bad = makeError(ErrorCode::InvalidArgument,
                            quoted(count, begin, i) +
                                " is not in the BIP-39 English word list; check its spelling against your "
                                "written copy");
            break;
        }
        if (count <= kMaxWords) indices[count - 1] = *index;
    }
    secureZero(word, sizeof word);
    wipe(nfkd);
    wipe(original);
    if (!bad.ok()) {
        secureZero(indices.data(), sizeof indices);
        return bad.error();
    }
    if (count == 0)
        return makeError(ErrorCode::InvalidArgument,
                         "the recovery phrase is empty; type its 12, 15, 18, 21 or 24 words separated by spaces");
    if (!validWordCount(count))
        return makeError(ErrorCode::InvalidArgument,
                         "a recovery phrase has 12, 15, 18, 21 or 24 words; this one has " + std::to_string(count) +
                             ": check for a missing or an extra word");

    // 11 bits per word: entropy (count * 32 / 3 bits) followed by the checksum (count / 3 bits).
    SecureBytes bits(33);
    for (std::size_t w = 0; w < count; ++w)
        for (std::size_t b = 0; b < 11; ++b)
            if ((indices[w] >> (10 - b)) & 1u) bits.data()[(w * 11 + b) / 8] |= std::uint8_t(0x80u >> ((w * 11 + b) % 8));
    const std::size_t entropyBytes = count * 4 / 3;
    const std::uint8_t mask = std::uint8_t(0xFFu << (8 - count / 3));
    ensureSodium();
    SecureBytes entropy = SecureBytes::copyOf(bits.view().first(entropyBytes));
    const bool checksumOk = ((checksumByte(entropy.view()) ^ bits.data()[entropyBytes]) & mask) == 0;
    SecureBytes text = joinWords(std::span(indices.data(), count));
    secureZero(indices.data(), sizeof indices);
    if (!checksumOk)
        return makeError(ErrorCode::InvalidArgument,
                         "the checksum does not match: a word is wrong or the order is; compare each word "
                         "and its position with your written copy");
    return Mnemonic(std::move(text), std::move(entropy), count);
}

std::string_view Mnemonic::text() const
{
    return std::string_view(reinterpret_cast<const char *>(text_.data()), text_.size());
}

Expected<SecureBytes> Mnemonic::seed(std::string_view passphrase) const
{
    if (!isValidUtf8(passphrase))
        return makeError(ErrorCode::Malformed,
                         "the passphrase is not valid UTF-8 text; type it in again (it is not repaired, "
                         "because a repaired passphrase would open a different wallet)");
    static constexpr std::string_view kPrefix = "mnemonic";
    SecureBytes salt;
    if (isAscii(passphrase)) {  // already NFKD
        salt = SecureBytes(kPrefix.size() + passphrase.size());
        std::copy(kPrefix.begin(), kPrefix.end(), salt.data());
        std::copy(passphrase.begin(), passphrase.end(), salt.data() + kPrefix.size());
    } else {
        // Not QString::fromUtf8: it drops a leading byte-order mark, and U+FEFF is a character
        // of the passphrase like any other (BIP-39 hashes the NFKD text, which keeps it).
        QStringDecoder decode(QStringConverter::Utf8, QStringConverter::Flag::ConvertInitialBom);
        QString original = decode(QByteArrayView(passphrase.data(), qsizetype(passphrase.size())));
        QString nfkd = original.normalized(QString::NormalizationForm_KD);
        QByteArray utf8 = nfkd.toUtf8();
        salt = SecureBytes(kPrefix.size() + std::size_t(utf8.size()));
        std::copy(kPrefix.begin(), kPrefix.end(), salt.data());
        std::copy(utf8.cbegin(), utf8.cend(), salt.data() + kPrefix.size());
        if (!utf8.isEmpty()) secureZero(utf8.data(), std::size_t(utf8.size()));
        wipe(nfkd);
        wipe(original);
    }
    return pbkdf2HmacSha512(text_.view(), salt.view(), kSeedRounds, kBip39SeedSize);
}

}  // namespace blyan::crypto
