#include "node/node_storage.h"

#include "ledger/schema.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/object_store.h"
#include "util/log.h"
#include "util/paths.h"

#include <QDateTime>

namespace blyan::node {

// node.sqlite's schema. Later subsystems append migrations (never edit a released one).
static const std::vector<storage::Migration> &nodeMigrations()
{
    static const std::vector<storage::Migration> m = [] {
        std::vector<storage::Migration> v = {
            {1, "CREATE TABLE node_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;"},
        };
        // 2..: the ledger's tables (core/ledger/schema.cpp), numbered after the node's own.
        for (auto &mig : ledger::ledgerMigrations(2)) v.push_back(std::move(mig));
        return v;
    }();
    return m;
}

static Status checkNetwork(storage::Database &db, Network network, const QString &dataDir)
{
    const std::string want = networkName(network).toStdString();
    BLYAN_TRY(auto select, db.prepare("SELECT value FROM node_meta WHERE key = 'network'"));
    BLYAN_TRY(bool row, select.step());
    if (row) {
        const std::string have = select.columnText(0);
        if (have != want)
            return makeError(ErrorCode::InvalidArgument, "data dir " + dataDir.toStdString() + " belongs to the " + have +
                                                             " network, not " + want + "; use --network " + have +
                                                             " or choose another --datadir");
        return {};
    }
    BLYAN_TRY(auto tx, storage::Transaction::begin(db));
    BLYAN_TRY(auto insert, db.prepare("INSERT INTO node_meta (key, value) VALUES ('network', ?1), ('created', ?2)"));
    BLYAN_CHECK(insert.bindText(1, want));
    BLYAN_CHECK(insert.bindText(2, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)));
    BLYAN_CHECK(insert.run());
    return tx.commit();
}

Expected<NodeStorage> openNodeStorage(Network network, const QString &dataDir)
{
    NodeStorage out;
    BLYAN_TRY(auto db, storage::Database::open(paths::nodeDb(dataDir)));
    BLYAN_CHECK(storage::migrate(db, nodeMigrations()));
    BLYAN_CHECK(checkNetwork(db, network, dataDir));
    out.db = std::make_unique<storage::Database>(std::move(db));
    BLYAN_TRY(auto objects, storage::ObjectStore::open(paths::objectsDir(dataDir)));
    out.objects = std::make_unique<storage::ObjectStore>(std::move(objects));
    return out;
}

ObjectStoreFigures objectStoreFigures(storage::ObjectStore &store)
{
    const auto s = store.stats();
    if (!s.ok()) {
        qCWarning(lcStorage).noquote() << "object store figures unavailable:" << QString::fromStdString(s.error().message);
        return {};
    }
    return {static_cast<quint64>(s->objectCount), static_cast<quint64>(s->totalBytes)};
}

}  // namespace blyan::node
