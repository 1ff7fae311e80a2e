#pragma once
// The node options shared by blyand, blyan and blyan-cli (DESIGN.md section 12):
//   --network devnet|testnet  --datadir DIR  --rpcport N
// plus blyan.conf in the data dir. Command-line values win over the file.

#include "node/node_options.h"
#include "util/error.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace blyan::app {

// Adds --network, --datadir, --rpcport (and -h, --version) to parser.
void addNodeOptions(QCommandLineParser &parser);

// After parser.parse(): validates values, reads <datadir>/blyan.conf and fills NodeOptions.
// blyan-cli uses it too, so that it finds a node whose port is set in blyan.conf.
Expected<node::NodeOptions> nodeOptionsFrom(const QCommandLineParser &parser);

// Parses argv strictly: an unknown option or a stray argument is an error that names it.
Status parseStrict(QCommandLineParser &parser, const QStringList &arguments, bool allowPositional);

// parseStrict plus the standard answers: returns the exit code when the program should end now
// (1 after printing the parse error as "<program>: <message>", 0 after --help or --version),
// or nothing when it should go on.
std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments, const char *program,
                               bool allowPositional);

}  // namespace blyan::app
