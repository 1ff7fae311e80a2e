#pragma once
// The DAG rules for publishing an object record: every dependency must already exist, and adding the
// record must not close a cycle in depends_on (DESIGN.md section 4).
//
// The check is a pure function over a lookup, so the ledger can pass a SQLite-backed one and tests an
// in-memory graph. Note for the ledger: if it only ever stores records whose dependencies existed
// before them, the stored graph is acyclic and every node reachable from a dependency is stored, so a
// record whose id is not stored yet cannot close a cycle; the walk below is what proves it when the
// lookup cannot be trusted that far, and it also stops on cycles already present in the lookup.

#include "chain/object.h"

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace blyan::chain {

// The dependencies of an existing object, std::nullopt when no such object exists, or an Error when
// the lookup itself failed (the error is passed through unchanged).
using DependencyLookup = std::function<Expected<std::optional<std::vector<ObjectId>>>(const ObjectId &)>;

inline constexpr std::size_t kMaxDagWalk = 1'000'000;

// Missing dependency -> NotFound naming it; cycle -> InvalidArgument naming the path back to `id`;
// more than maxVisited objects walked -> LimitExceeded.
Status checkObjectDependencies(const ObjectId &id, std::span<const ObjectId> dependsOn,
                               const DependencyLookup &lookup, std::size_t maxVisited = kMaxDagWalk);
Status checkObjectDependencies(const ObjectRecord &record, const DependencyLookup &lookup,
                               std::size_t maxVisited = kMaxDagWalk);

}  // namespace blyan::chain
