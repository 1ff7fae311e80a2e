#pragma once
// Network selection and each network's fixed parameters (from config/networks/*.json, compiled in).

#include "util/error.h"

#include <QString>
#include <QStringList>

#include <cstdint>

namespace blyan {

enum class Network { Devnet, Testnet };

struct NetworkParams {
    Network network = Network::Devnet;
    QString name;          // "devnet"
    QString description;
    std::uint32_t networkId = 0;  // peers with another id are refused at handshake
    std::uint16_t p2pPort = 0;
    std::uint16_t rpcPort = 0;
    int slotMs = 0;
    std::uint64_t epochSlots = 0;          // validator-set changes take effect at epoch boundaries
    std::uint64_t minValidatorStakeBly = 0;  // a stake below this does not enter the active set
    // Validator-set networks: unstaked BLY stays slashable this many epochs before it returns to the
    // balance (ledger/state_unstake.cpp); 0 on a devnet, which has no validator set and no slashing.
    std::uint64_t unbondingEpochs = 0;
    QString addressHrp;    // bech32m human-readable part of addresses
    QStringList seeds;     // HOST:PORT of well-known nodes, asked when a node knows no peer yet (p2p)
};

// "devnet" / "testnet" (case-sensitive, as typed on the command line).
Expected<Network> parseNetwork(const QString &name);
QString networkName(Network n);
const NetworkParams &networkParams(Network n);

}  // namespace blyan
