#pragma once
// `blyan-cli createtestnet DIR N`: an offline command (no node needed) that makes a testnet for N
// validators: DIR/genesis.json (docs/protocol.md "Genesis files"), DIR/validator<i>/node.key for each
// validator (its data dir: start it with --datadir DIR/validator<i> --genesis DIR/genesis.json), and
// DIR/faucet/node.key holding the rest of the genesis supply (a data dir for a node that hands out BLY).

#include <QString>

namespace blyan::app {

// Prints a JSON summary on success; returns the process exit code.
int createTestnet(const QString &dir, int validators, const QString &stake, const QString &balance);

}  // namespace blyan::app
