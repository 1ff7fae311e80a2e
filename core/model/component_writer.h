#pragma once
// Streams one component's tensors out of the mapped checkpoint into the object store as a safetensors file,
// never holding more than one 8 MiB piece in memory (a tens-of-GB checkpoint imports in bounded memory).
// The bytes depend only on the tensors (names, dtypes, shapes, data), so the same component always gives
// the same payload hash: re-importing dedupes in the store, and a resumed import finds what it wrote.

#include "model/components.h"
#include "storage/object_store.h"

#include <atomic>
#include <functional>

namespace blyan::model {

// The safetensors header (8-byte length + JSON, padded with spaces so data starts at a multiple of 64).
std::string componentHeader(const ComponentPlan &plan);

// Writes the payload; `onBytes` gets the number of data bytes copied after each piece. Cancelled: an error
// (ErrorCode::Unavailable, "cancelled") and nothing stored.
Expected<storage::ObjectInfo> writeComponent(const ComponentPlan &plan, const storage::ObjectStore &store,
                                             const std::atomic<bool> &cancel,
                                             const std::function<void(std::uint64_t)> &onBytes);

}  // namespace blyan::model
