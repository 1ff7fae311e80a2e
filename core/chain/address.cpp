#include "chain/address.h"

#include "crypto/bech32.h"

#include <cassert>

namespace blyan::chain {

std::string formatAddress(Network network, const PublicKey &key)
{
    auto s = crypto::encodeAddress(networkParams(network).addressHrp.toStdString(), asBytes(key));
    assert(s.ok());  // a configured hrp and a 32-byte payload always encode
    return std::move(s).value();
}

Expected<PublicKey> parseAddress(std::string_view address, Network network)
{
    const std::string hrp = networkParams(network).addressHrp.toStdString();
    const std::string here = networkName(network).toStdString();
    auto decoded = crypto::decodeAddress(address);
    if (!decoded) return decoded.error();
    if (decoded->hrp != hrp) {
        for (Network other : {Network::Devnet, Network::Testnet}) {
            if (other != network && networkParams(other).addressHrp.toStdString() == decoded->hrp)
                return makeError(ErrorCode::InvalidArgument,
                                 "address '" + std::string(address) + "' is a " + networkName(other).toStdString() +
                                     " address, but this node runs " + here + ": use a " + hrp + "1... address");
        }
        return makeError(ErrorCode::InvalidArgument, "address prefix is '" + decoded->hrp + "', expected '" + hrp +
                                                         "' (" + here + "): use a " + hrp + "1... address");
    }
    if (decoded->payload.size() != crypto::kEd25519PublicKeySize)
        return makeError(ErrorCode::InvalidArgument, "invalid address: it carries " +
                                                         std::to_string(decoded->payload.size()) +
                                                         " bytes, an account address carries a 32-byte public key");
    auto key = crypto::publicKeyFromBytes(decoded->payload);
    if (!key) return key.error().context("invalid address");
    return *key;
}

}  // namespace blyan::chain
