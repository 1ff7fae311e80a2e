#include "ledger/lthash.h"

#include "crypto/stream.h"

namespace blyan::ledger {

namespace {

std::array<std::uint16_t, kLtHashLanes> laneVector(ByteView row)
{
    std::array<std::uint8_t, kLtHashLanes * 2> stream;
    crypto::chacha20Keystream(crypto::blake2b256(row), stream);
    std::array<std::uint16_t, kLtHashLanes> v;
    for (std::size_t i = 0; i < kLtHashLanes; ++i)
        v[i] = static_cast<std::uint16_t>(stream[2 * i] | (stream[2 * i + 1] << 8));
    return v;
}

}  // namespace

void LtHash::add(ByteView row)
{
    const auto v = laneVector(row);
    for (std::size_t i = 0; i < kLtHashLanes; ++i) lanes_[i] = static_cast<std::uint16_t>(lanes_[i] + v[i]);
}

void LtHash::remove(ByteView row)
{
    const auto v = laneVector(row);
    for (std::size_t i = 0; i < kLtHashLanes; ++i) lanes_[i] = static_cast<std::uint16_t>(lanes_[i] - v[i]);
}

Bytes LtHash::serialize() const
{
    Bytes out(kLtHashLanes * 2);
    for (std::size_t i = 0; i < kLtHashLanes; ++i) {
        out[2 * i] = static_cast<std::uint8_t>(lanes_[i]);
        out[2 * i + 1] = static_cast<std::uint8_t>(lanes_[i] >> 8);
    }
    return out;
}

Expected<LtHash> LtHash::deserialize(ByteView bytes)
{
    if (bytes.size() != kLtHashLanes * 2)
        return makeError(ErrorCode::Corrupt, "state hash: expected " + std::to_string(kLtHashLanes * 2) +
                                                 " bytes, found " + std::to_string(bytes.size()));
    LtHash h;
    for (std::size_t i = 0; i < kLtHashLanes; ++i)
        h.lanes_[i] = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
    return h;
}

crypto::Hash256 LtHash::root() const
{
    Bytes data(kStateRootDomain.begin(), kStateRootDomain.end());
    const Bytes lanes = serialize();
    data.insert(data.end(), lanes.begin(), lanes.end());
    return crypto::blake2b256(data);
}

}  // namespace blyan::ledger
