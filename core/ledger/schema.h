#pragma once
// The ledger's tables in node.sqlite, as migrations the node appends to its own list.
//
// Amounts, nonces, heights and sizes are u64 in the protocol; SQLite INTEGER is signed 64-bit. The
// ledger stores them as plain non-negative integers and refuses anything above INT64_MAX at the
// boundary (sql_int.h) instead of storing the same bits: every balance, stake and counter is bounded by
// the supply cap (10^17 base units < 2^63), so a larger value can only be a bug, and keeping the columns
// honest integers means SUM(), ORDER BY and a person with the sqlite3 shell all see the right numbers.
// CHECK constraints repeat the rule so that a broken writer fails loudly instead of corrupting state.

#include "storage/migrations.h"

#include <vector>

namespace blyan::ledger {

// The ledger's migrations numbered from `firstVersion` on (the node places them after its own). The
// list only ever grows; released entries are never edited.
std::vector<storage::Migration> ledgerMigrations(int firstVersion = 1);

}  // namespace blyan::ledger
