// libFuzzer target for the chain decoders: any input must decode to a transaction, block, header or
// object record, or to an Error, never crash, hang or read out of bounds; whatever decodes must
// re-encode to exactly the input (one value, one encoding), and the stateless checks must not crash on
// it either.
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 -DBLYAN_FUZZ=ON
//   cmake --build build-fuzz --target fuzz_chain && build-fuzz/bin/fuzz_chain -max_total_time=60

#include "chain/block.h"
#include "chain/object.h"
#include "chain/transaction.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

using namespace blyan;
using namespace blyan::chain;

namespace {

bool same(ByteView a, const Bytes &b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0) return 0;
    // The first byte picks the decoder; the rest is the encoding.
    const ByteView input(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0:
        if (auto tx = decodeTransaction(input)) {
            if (!same(input, encodeTransaction(*tx))) __builtin_trap();
            (void)checkTransaction(*tx, tx->networkId);
        }
        break;
    case 1:
        if (auto block = decodeBlock(input)) {
            if (!same(input, encodeBlock(*block))) __builtin_trap();
            (void)checkBlock(*block, 1);
        }
        break;
    case 2:
        if (auto header = decodeBlockHeader(input))
            if (!same(input, encodeBlockHeader(*header))) __builtin_trap();
        break;
    default:
        if (auto record = decodeObjectRecord(input)) {
            if (!same(input, encodeObjectRecord(*record))) __builtin_trap();
            (void)checkObjectRecord(*record);
        }
        break;
    }
    return 0;
}
