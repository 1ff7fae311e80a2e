#include "util/codec.h"

namespace blyan {

void Writer::fixed(std::uint64_t v, int width)
{
    for (int i = 0; i < width; ++i) buf_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void Writer::varint(std::uint64_t v)
{
    while (v >= 0x80) {
        buf_.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    buf_.push_back(static_cast<std::uint8_t>(v));
}

void Writer::bytes(ByteView b)
{
    varint(b.size());
    raw(b);
}

void Writer::string(std::string_view s) { bytes(asBytes(s)); }

Error Reader::truncated(const char *what) const
{
    return makeError(ErrorCode::Malformed, std::string("truncated input: ") + what + " needs more bytes than the " +
                                               std::to_string(remaining()) + " left at offset " + std::to_string(pos_));
}

Expected<std::uint64_t> Reader::fixed(int width, const char *what)
{
    if (remaining() < static_cast<std::size_t>(width)) return truncated(what);
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) v |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += width;
    return v;
}

Expected<std::uint8_t> Reader::u8()
{
    BLYAN_TRY(auto v, fixed(1, "u8"));
    return static_cast<std::uint8_t>(v);
}
Expected<std::uint16_t> Reader::u16()
{
    BLYAN_TRY(auto v, fixed(2, "u16"));
    return static_cast<std::uint16_t>(v);
}
Expected<std::uint32_t> Reader::u32()
{
    BLYAN_TRY(auto v, fixed(4, "u32"));
    return static_cast<std::uint32_t>(v);
}
Expected<std::uint64_t> Reader::u64() { return fixed(8, "u64"); }

Expected<bool> Reader::boolean()
{
    const std::size_t at = pos_;
    BLYAN_TRY(auto v, u8());
    if (v > 1)
        return makeError(ErrorCode::Malformed, "boolean at offset " + std::to_string(at) + " is " + std::to_string(v) +
                                                   "; only 0 and 1 are allowed");
    return v == 1;
}

Expected<std::uint64_t> Reader::varint()
{
    const std::size_t start = pos_;
    std::uint64_t value = 0;
    for (int i = 0; i < 10; ++i) {
        if (pos_ >= in_.size()) return truncated("varint");
        const std::uint8_t b = in_[pos_++];
        const std::uint64_t payload = b & 0x7f;
        // The 10th byte may only carry the top bit of a u64.
        if (i == 9 && payload > 1)
            return makeError(ErrorCode::Malformed, "varint at offset " + std::to_string(start) + " overflows 64 bits");
        value |= payload << (7 * i);
        if ((b & 0x80) == 0) {
            if (b == 0 && i > 0)
                return makeError(ErrorCode::Malformed, "varint at offset " + std::to_string(start) +
                                                           " is not minimal (redundant trailing zero byte)");
            return value;
        }
    }
    return makeError(ErrorCode::Malformed, "varint at offset " + std::to_string(start) + " is longer than 10 bytes");
}

Expected<std::uint64_t> Reader::varint(std::uint64_t max, const char *what)
{
    const std::size_t at = pos_;
    BLYAN_TRY(auto v, varint());
    if (v > max)
        return makeError(ErrorCode::LimitExceeded, std::string(what) + " at offset " + std::to_string(at) + " is " +
                                                       std::to_string(v) + ", over the limit of " + std::to_string(max));
    return v;
}

Expected<Bytes> Reader::raw(std::size_t n, const char *what)
{
    if (remaining() < n) return truncated(what);
    Bytes out(in_.begin() + static_cast<std::ptrdiff_t>(pos_), in_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return out;
}

Expected<Bytes> Reader::bytes(std::size_t maxLen, const char *what)
{
    const std::size_t at = pos_;
    BLYAN_TRY(auto len, varint());
    if (len > maxLen)
        return makeError(ErrorCode::LimitExceeded, std::string(what) + " at offset " + std::to_string(at) +
                                                       " declares " + std::to_string(len) + " bytes, over the limit of " +
                                                       std::to_string(maxLen));
    if (len > remaining()) return truncated(what);
    return raw(static_cast<std::size_t>(len), what);
}

Expected<std::string> Reader::string(std::size_t maxLen, const char *what)
{
    const std::size_t at = pos_;
    BLYAN_TRY(auto b, bytes(maxLen, what));
    std::string s(b.begin(), b.end());
    if (!isValidUtf8(s))
        return makeError(ErrorCode::Malformed, std::string(what) + " at offset " + std::to_string(at) +
                                                   " is not valid UTF-8");
    return s;
}

Status Reader::finish() const
{
    if (remaining() != 0)
        return makeError(ErrorCode::Malformed, std::to_string(remaining()) + " trailing byte(s) after offset " +
                                                   std::to_string(pos_) + "; the encoding must end here");
    return {};
}

bool isValidUtf8(std::string_view s)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) { ++i; continue; }
        int len;
        std::uint32_t cp;
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n) return false;
        for (int k = 1; k < len; ++k) {
            if ((p[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += len;
    }
    return true;
}

}  // namespace blyan
