#pragma once
// Opens the node's persistent stores in a data dir: node.sqlite (with its schema migrations) and
// the content-addressed object store. Checks that the data dir belongs to the network asked for,
// so that a testnet node never writes into a devnet's files or the other way round.

#include "util/error.h"
#include "util/network.h"

#include <QString>

#include <memory>

namespace blyan::storage {
class Database;
class ObjectStore;
}  // namespace blyan::storage

namespace blyan::node {

struct NodeStorage {
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<storage::ObjectStore> objects;
};

Expected<NodeStorage> openNodeStorage(Network network, const QString &dataDir);

struct ObjectStoreFigures {
    quint64 count = 0;
    quint64 bytes = 0;
};
ObjectStoreFigures objectStoreFigures(storage::ObjectStore &store);

}  // namespace blyan::node
