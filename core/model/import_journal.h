#pragma once
// The import journal (<datadir>/model_import.sqlite): which components of which checkpoint are already in
// the object store. A restarted import reads it and skips those components (no re-read, no re-hash of
// gigabytes), so it resumes where it stopped. The object store is the truth: a journal row whose payload
// is gone is ignored and the component written again. The checkpoint is identified by a fingerprint of
// its files (names, sizes, modification times) and config.json, so an edited checkpoint starts afresh.

#include "crypto/hash.h"
#include "storage/database.h"
#include "storage/object_store.h"

#include <optional>
#include <string>

namespace blyan::model {

class ImportJournal {
public:
    static Expected<ImportJournal> open(const QString &path);

    Expected<std::optional<storage::ObjectInfo>> find(const std::string &source, const std::string &component);
    Status record(const std::string &source, const std::string &component, const storage::ObjectInfo &info);
    Status setSpec(const std::string &source, const crypto::Hash256 &specId);

private:
    explicit ImportJournal(storage::Database db) : db_(std::move(db)) {}
    storage::Database db_;
};

// Fingerprint of a checkpoint directory (hex): its safetensors files and config.json.
Expected<std::string> checkpointFingerprint(const std::string &dir);

}  // namespace blyan::model
