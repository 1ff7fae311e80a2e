#pragma once
// Schema migrations for SQLite databases. The current version lives in a `schema_version` table (one row
// per applied migration, so the history is visible to anyone debugging a data dir). Each migration runs in
// its own transaction: a crash or a failing statement leaves the database at the previous version, and
// the next start simply tries again. A database written by a newer build is refused rather than
// "migrated" by code that does not know what the newer schema means.

#include "storage/database.h"

#include <span>
#include <string_view>

namespace blyan::storage {

struct Migration {
    int version;           // 1, 2, 3, ... in order; never renumber or edit a released migration
    std::string_view sql;  // one or more statements; no BEGIN/COMMIT (the runner owns the transaction)
};

struct MigrationResult {
    int fromVersion = 0;  // 0: a new database
    int toVersion = 0;
    int applied() const { return toVersion - fromVersion; }
};

// The highest applied version, 0 for a database without a schema_version table.
Expected<int> schemaVersion(Database &db);

// Applies every migration newer than the database, each in its own BEGIN IMMEDIATE transaction.
// Migration versions must be strictly increasing and start at 1 without gaps.
Expected<MigrationResult> migrate(Database &db, std::span<const Migration> migrations);

}  // namespace blyan::storage
