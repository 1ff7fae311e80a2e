#pragma once
// The model-spec payload (chain A, kind model_spec, name "model.spec"): what a node needs to assemble the
// model from chain heads. JSON, so that people can read it with getobject + the object store; the exact
// bytes are what the record's payload hash covers. docs/protocol.md ("Model spec") is the format.
//
//   {"format": "blyan-model-spec/1", "name": "...", "architecture": "qwen3_moe",
//    "config_json": "<config.json text, verbatim>",
//    "tokenizer_json": {"hash": "<64 hex>", "size": "N"}, "tokenizer_config_json": {...} (each optional),
//    "hyperparameters": {"hidden_size": ..., "num_layers": ..., "num_experts": ..., "top_k": ...,
//                        "vocab_size": ..., "dtype": "bfloat16"},
//    "components": [{"name": "layer0.expert3", "kind": "expert", "layer": 0, "expert": 3,
//                    "payload_hash": "<64 hex>", "size": N, "tensors": K}, ...]}
//
// Components are listed in import order: base weights, then per layer router and experts. The heads of
// these names (which later upgrades may move) are what a node loads; the hashes here are the import's.

#include "crypto/hash.h"
#include "util/error.h"

#include <QByteArray>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blyan::model {

inline constexpr const char *kSpecFormat = "blyan-model-spec/1";
inline constexpr const char *kSpecName = "model.spec";
inline constexpr std::uint64_t kMaxSpecBytes = 64ull << 20;  // 30B-A3B's ~6,300 components need ~1.5 MiB

struct PayloadRef {
    crypto::Hash256 hash{};
    std::uint64_t size = 0;
    bool operator==(const PayloadRef &) const = default;
};

struct SpecComponent {
    std::string name;   // object name, e.g. "layer3.expert17"
    std::string kind;   // "base", "router", "expert"
    int layer = -1;     // -1 for embed_tokens, final_norm, lm_head
    int expert = -1;    // experts only
    PayloadRef payload;
    std::uint64_t tensors = 0;
    bool operator==(const SpecComponent &) const = default;
};

struct ModelSpec {
    std::string name;
    std::string architecture;
    std::string configJson;
    std::optional<PayloadRef> tokenizerJson;  // absent: the checkpoint had none (chat takes prompt ids)
    std::optional<PayloadRef> tokenizerConfigJson;
    std::int64_t hiddenSize = 0, numLayers = 0, numExperts = 0, topK = 0, vocabSize = 0;
    std::string dtype;
    std::vector<SpecComponent> components;
    bool operator==(const ModelSpec &) const = default;

    const SpecComponent *find(const std::string &componentName) const;
};

QByteArray encodeModelSpec(const ModelSpec &spec);
// Strict: the format tag, every field with its type, names unique, kinds known. Errors say which field.
Expected<ModelSpec> decodeModelSpec(const QByteArray &bytes);

}  // namespace blyan::model
