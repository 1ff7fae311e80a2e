#pragma once
// The model on the chain, assembled for the engine: the head of "model.spec" says what the model is, the
// heads of its component names say which objects hold the weights now. Base weights and routers are
// verified against their payload hashes at load (they are used at once); experts are verified by the tiered
// store before their first use. The engine gets plain file paths in the object store (zero-copy mmap).

#include "model/model_chain.h"
#include "model/model_spec.h"
#include "storage/object_store.h"

#include "engine/model/model.h"
#include "engine/model/tiered_expert_store.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace blyan::model {

struct ModelLoadOptions {
    engine::ModelOptions engine;              // device, dtype, context
    engine::TieredStoreOptions tiers;         // budgets (resolved, in bytes)
};

struct ComponentHead {
    std::string name, kind;
    int layer = -1, expert = -1;
    std::optional<HeadObject> head;   // nullopt: no object of that name on the chain
    bool payloadPresent = false;
    bool upgraded = false;            // the head is not the object the spec's import published
};

struct ChainModel {
    chain::ObjectId specId{};
    ModelSpec spec;
    std::vector<ComponentHead> components;
    std::shared_ptr<engine::Model> model;
    std::shared_ptr<engine::TieredExpertStore> experts;  // null for a dense model
    std::shared_ptr<engine::Tokenizer> tokenizer;        // null when the spec has none
    std::optional<engine::ChatTemplate> chatTemplate;
    std::uint64_t baseBytes = 0, expertBytes = 0;        // payload bytes
    // Index layer * experts + expert -> component index, for naming experts in usage records.
    std::vector<int> expertComponent;
};

// Reads the spec and heads from `chain`, checks payloads, loads the model. Errors name the component and
// say what to do (import, re-import, fetch). Call on a model thread.
Expected<std::shared_ptr<ChainModel>> loadChainModel(const storage::ObjectStore &store, ModelChain &chain,
                                                     const ModelLoadOptions &options,
                                                     const std::function<void(const std::string &)> &progress = {});

// The model's text side without its weights: tokenizer and chat template from the spec's payloads, and the
// context length a chat gets (`maxContext`, the node's setting, capped by max_position_embeddings as
// engine::Model::load caps it). For counting tokens before the first chat loads the model.
struct TextSide {
    chain::ObjectId specId{};
    std::shared_ptr<engine::Tokenizer> tokenizer;  // null when the spec has none
    std::optional<engine::ChatTemplate> chatTemplate;
    std::int64_t contextLength = 0;
};
Expected<TextSide> loadTextSide(const storage::ObjectStore &store, ModelChain &chain, std::int64_t maxContext);
// The context a chat gets: `maxContext` capped by the spec's max_position_embeddings; 0 when the spec's config
// cannot be read.
std::int64_t chatContextLength(const ModelSpec &spec, std::int64_t maxContext);

// Just the spec and heads (for getmodel before a load).
Expected<std::shared_ptr<ChainModel>> readChainModel(const storage::ObjectStore &store, ModelChain &chain);

}  // namespace blyan::model
