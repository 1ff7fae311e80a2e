#pragma once
// How a Hugging Face checkpoint splits into chain objects (DESIGN.md section 4): one object per component,
// each a safetensors file of that component's tensors under their HF names.
//
//   embed_tokens            base    model.embed_tokens.*
//   layer{L}.attention      base    self_attn.*, input_layernorm, post_attention_layernorm
//   layer{L}.mlp            base    a dense layer's MLP (dense architectures, mlp_only_layers)
//   layer{L}.shared_expert  base    qwen2_moe's shared expert and its gate
//   layer{L}.router         router  mlp.gate / block_sparse_moe.gate
//   layer{L}.expert{E}      expert  one routed expert (gate, up, down; FP8 scales with it)
//   final_norm, lm_head     base
//
// Keeping the HF names inside the payloads lets the engine assemble the model from the components with the
// same loader (and checks) as a checkpoint directory. Plain C++ over the engine's safetensors reader.

#include "engine/checkpoint/checkpoint.h"
#include "util/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace blyan::model {

struct ComponentTensor {
    const engine::TensorEntry *entry = nullptr;  // points into the checkpoint's mapping
};

struct ComponentPlan {
    std::string name;
    std::string kind;   // base, router, expert
    int layer = -1, expert = -1;
    std::vector<ComponentTensor> tensors;  // in payload order (dtype size descending, then name)
    std::uint64_t dataBytes = 0;
};

// Every tensor of the checkpoint in exactly one component, components in import order (embed_tokens, then
// layer by layer attention, mlp/shared expert, router, experts ascending, then final_norm and lm_head).
// A tensor that fits no component is an error naming it.
Expected<std::vector<ComponentPlan>> planComponents(const engine::Checkpoint &checkpoint);

}  // namespace blyan::model
