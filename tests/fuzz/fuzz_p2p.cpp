// libFuzzer target for everything a peer can send before and after the handshake: the plaintext Hello,
// the Auth frame, every message type, and the LAN discovery datagram (anyone on the LAN can send one). Any input must decode or give an Error, never crash, hang or
// read out of bounds; whatever decodes must re-encode to exactly the input (one value, one encoding).
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 -DBLYAN_FUZZ=ON
//   cmake --build build-fuzz --target fuzz_p2p && build-fuzz/bin/fuzz_p2p -max_total_time=60

#include "p2p/discovery.h"
#include "p2p/handshake.h"
#include "p2p/messages.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace blyan;
using namespace blyan::p2p;

namespace {

bool same(ByteView a, const Bytes &b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0) return 0;
    const ByteView input(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0:
        if (auto m = decodeMessage(input))
            if (!same(input, encodeMessage(*m))) __builtin_trap();
        break;
    case 1:
        if (auto a = decodeAuth(input))
            if (!same(input, encodeAuth(*a))) __builtin_trap();
        break;
    case 2:
        if (auto a = decodeAnnouncement(input)) {
            if (!same(input, encodeAnnouncement(*a))) __builtin_trap();
            (void)verifyAnnouncement(*a);  // any key and signature bytes: must not crash
        }
        break;
    default:
        if (auto h = decodeHello(input))
            if (!same(input, encodeHello(*h))) __builtin_trap();
        break;
    }
    return 0;
}
