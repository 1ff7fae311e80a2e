#pragma once
// The strict binary codec used for every consensus and wire structure (DESIGN.md section 4).
//
// Rules, chosen so that one value has exactly one encoding (hashes of encodings are IDs):
//  - fixed-width integers are little-endian;
//  - varints are unsigned LEB128, at most 10 bytes, and *minimal* (no redundant 0x80 continuation
//    followed by a zero byte); a value over 2^64-1 is rejected;
//  - byte strings and strings carry a varint length that is checked against a caller-given limit
//    *and* against the bytes actually left before anything is allocated (never trust a wire length);
//  - strings must be valid UTF-8;
//  - a decoder must consume its input exactly: Reader::finish() rejects trailing bytes.

#include "util/bytes.h"
#include "util/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace blyan {

class Writer {
public:
    void u8(std::uint8_t v) { buf_.push_back(v); }
    void u16(std::uint16_t v) { fixed(v, 2); }
    void u32(std::uint32_t v) { fixed(v, 4); }
    void u64(std::uint64_t v) { fixed(v, 8); }
    void boolean(bool v) { u8(v ? 1 : 0); }
    void varint(std::uint64_t v);
    // Length-prefixed (varint) byte string and UTF-8 string.
    void bytes(ByteView b);
    void string(std::string_view s);
    // Raw bytes with no length prefix (fixed-size fields such as hashes and keys).
    void raw(ByteView b) { buf_.insert(buf_.end(), b.begin(), b.end()); }

    const Bytes &data() const { return buf_; }
    Bytes take() { return std::move(buf_); }
    std::size_t size() const { return buf_.size(); }

private:
    void fixed(std::uint64_t v, int width);
    Bytes buf_;
};

class Reader {
public:
    explicit Reader(ByteView input) : in_(input) {}
    // A Reader only views its input: refuse temporaries that would dangle.
    explicit Reader(Bytes &&) = delete;

    Expected<std::uint8_t> u8();
    Expected<std::uint16_t> u16();
    Expected<std::uint32_t> u32();
    Expected<std::uint64_t> u64();
    // Only 0 and 1 are booleans.
    Expected<bool> boolean();
    Expected<std::uint64_t> varint();
    // A varint that must also be <= max (counts of list elements, enum tags).
    Expected<std::uint64_t> varint(std::uint64_t max, const char *what);
    Expected<Bytes> bytes(std::size_t maxLen, const char *what = "byte string");
    Expected<std::string> string(std::size_t maxLen, const char *what = "string");
    // Exactly n raw bytes.
    Expected<Bytes> raw(std::size_t n, const char *what = "field");
    template <std::size_t N>
    Expected<std::array<std::uint8_t, N>> fixedArray(const char *what = "field")
    {
        if (remaining() < N) return truncated(what);
        std::array<std::uint8_t, N> out;
        for (std::size_t i = 0; i < N; ++i) out[i] = in_[pos_ + i];
        pos_ += N;
        return out;
    }

    // Call after decoding the last field: any byte left over is an error.
    Status finish() const;

    std::size_t position() const { return pos_; }
    std::size_t remaining() const { return in_.size() - pos_; }

private:
    Expected<std::uint64_t> fixed(int width, const char *what);
    Error truncated(const char *what) const;
    ByteView in_;
    std::size_t pos_ = 0;
};

// True when s is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view s);

}  // namespace blyan
