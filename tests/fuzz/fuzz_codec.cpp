// libFuzzer target for the strict codec: any input must decode to a value or an Error, never
// crash, hang or read out of bounds; whatever decodes must re-encode to the same bytes.
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 -DBLYAN_FUZZ=ON
//   cmake --build build-fuzz --target fuzz_codec && build-fuzz/bin/fuzz_codec -max_total_time=60

#include "util/codec.h"

#include <cstddef>
#include <cstdint>

using namespace blyan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0) return 0;
    // The first byte chooses a field plan; the rest is the encoding.
    const std::uint8_t plan = data[0];
    const ByteView input(data + 1, size - 1);
    Reader r(input);
    Writer w;
    for (int i = 0; i < 8; ++i) {
        const int kind = (plan >> (i % 4 * 2)) & 3;
        bool ok = true;
        switch ((kind + i) % 5) {
        case 0: { auto v = r.varint(); ok = v.ok(); if (ok) w.varint(*v); break; }
        case 1: { auto v = r.bytes(1 << 20); ok = v.ok(); if (ok) w.bytes(*v); break; }
        case 2: { auto v = r.string(1 << 20); ok = v.ok(); if (ok) w.string(*v); break; }
        case 3: { auto v = r.u32(); ok = v.ok(); if (ok) w.u32(*v); break; }
        default: { auto v = r.boolean(); ok = v.ok(); if (ok) w.boolean(*v); break; }
        }
        if (!ok) return 0;
    }
    if (r.finish().ok()) {
        // Strictness means one encoding per value: re-encoding gives the input back.
        if (w.data().size() != input.size() || !std::equal(input.begin(), input.end(), w.data().begin())) __builtin_trap();
    }
    return 0;
}
