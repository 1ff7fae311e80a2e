#pragma once
// Genesis files: how a network's first block is described in a file that every node of the network
// loads with `--genesis FILE` (DESIGN.md sections 5 and 12). A devnet does not need one (its genesis
// gives the whole supply to the node key); a testnet cannot start without its validators' file.
//
// Format (JSON, strict: unknown keys, duplicates and wrong types are refused; docs/protocol.md):
//   {
//     "network": "testnet",
//     "time_ms": 1795000000000,
//     "allocations": [ {"address": "tbly1...", "amount": "60000000 BLY"}, ... ],
//     "validators": [ {"address": "tbly1...", "stake": "10000000 BLY"}, ... ]   (a testnet: at least one)
//   }
// Allocations plus validator stakes add up to the genesis supply.
// Amounts are decimal BLY strings (never JSON numbers: a double cannot hold every u64). The genesis
// pact (chain A's first object) is the text compiled into every build, so it is not in the file.

#include "ledger/ledger.h"
#include "util/network.h"

#include <QByteArray>

namespace blyan::ledger {

// Parses `json` for `network`; `pact` is the pact object record the caller made from the compiled-in
// text. Errors name the field and say what is expected.
Expected<GenesisSpec> parseGenesisFile(const QByteArray &json, Network network, const chain::ObjectRecord &pact);

// The canonical file for a spec (what a tool that creates a genesis writes).
QByteArray formatGenesisFile(const GenesisSpec &spec, Network network);

// The id the genesis block of `spec` will have, computed by applying it to a scratch in-memory ledger,
// so a node can tell whether its data dir holds the chain a genesis file describes.
Expected<BlockId> genesisBlockId(const GenesisSpec &spec, const LedgerOptions &options);

}  // namespace blyan::ledger
