#pragma once
// Import of a Hugging Face checkpoint into the chain (issue 6): every component (components.h) is streamed
// into the object store as a safetensors payload (journaled, so a restarted import resumes), then the
// model spec (model_spec.h) goes to chain A and every component to chain B as publish_object transactions
// signed by the node key, each depending on the spec. Identical payloads are stored once (content
// addressing), and records already on the chain are not published again, so importing twice, or resuming
// after a kill at any point, never duplicates anything.
//
// Runs on a model worker thread (it blocks on disk and on the node worker); reports progress through a
// callback and stops at the next 8 MiB piece or transaction when `cancel` is set.

#include "model/import_journal.h"
#include "model/model_chain.h"
#include "storage/object_store.h"

#include <atomic>
#include <functional>
#include <string>

namespace blyan::model {

struct ImportProgress {
    enum class Phase { Idle, Reading, Writing, Publishing, Done, Failed, Cancelled };
    Phase phase = Phase::Idle;
    std::string dir;
    std::uint64_t bytesDone = 0, bytesTotal = 0;  // component payload bytes (resumed ones count as done)
    int components = 0;   // in the checkpoint
    int written = 0;      // payloads written in this run
    int resumed = 0;      // found in the journal and the store: not read again
    int deduped = 0;      // payload identical to another component's
    int published = 0;    // publish_object transactions included in blocks by this run
    int alreadyOnChain = 0;  // records that were on the chain already (an earlier or interrupted import)
    int toPublish = 0;
    std::string current;  // the component being written or published
    std::string error;
    std::string specId;   // hex, once known
};

const char *phaseName(ImportProgress::Phase p);

class ModelImporter {
public:
    ModelImporter(storage::ObjectStore store, ImportJournal &journal, ModelChain &chain)
        : store_(std::move(store)), journal_(journal), chain_(chain)
    {
    }

    // Returns the final progress (phase Done) or the error; a cancelled run is ErrorCode::Unavailable
    // "import cancelled". Nothing half-written stays in the store.
    Expected<ImportProgress> run(const std::string &dir, const std::atomic<bool> &cancel,
                                 const std::function<void(const ImportProgress &)> &progress);

private:
    storage::ObjectStore store_;
    ImportJournal &journal_;
    ModelChain &chain_;
};

}  // namespace blyan::model
