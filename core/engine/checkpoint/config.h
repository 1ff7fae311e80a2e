#pragma once
// A model's config.json, read into the fields the engine uses, for the architectures it runs. Unknown
// architectures and settings the engine does not implement (rope_scaling, sliding windows in use, clip_qkv)
// are refused with a message rather than silently giving wrong logits. Plain C++.

#include <cstdint>
#include <string>
#include <vector>

namespace blyan::engine {

enum class Arch {
    Qwen3Moe,  // Qwen3MoeForCausalLM: per-head q/k RMSNorm, softmax top-k router, norm_topk_prob
    Qwen2Moe,  // Qwen2MoeForCausalLM: q/k/v bias, shared expert with a sigmoid gate
    Mixtral,   // MixtralForCausalLM: block_sparse_moe.experts.N.w1/w2/w3, top-k always renormalised
    Olmoe,     // OlmoeForCausalLM: q/k RMSNorm over the full projection width
    Qwen3,     // dense Qwen3ForCausalLM (per-head q/k norm)
    Llama,     // dense LlamaForCausalLM
};

const char *archName(Arch a);  // the config's model_type: "qwen3_moe", ...

struct ModelConfig {
    Arch arch = Arch::Qwen3Moe;
    std::string modelType;
    int64_t hiddenSize = 0;
    int64_t numLayers = 0;
    int64_t numHeads = 0;
    int64_t numKvHeads = 0;
    int64_t headDim = 0;
    int64_t vocabSize = 0;
    int64_t intermediateSize = 0;     // dense MLP layers (mlp_only_layers, dense archs)
    int64_t moeIntermediateSize = 0;  // each routed expert
    int64_t numExperts = 0;           // 0 for dense architectures
    int64_t topK = 0;
    int64_t sharedExpertIntermediateSize = 0;  // qwen2_moe
    bool normTopkProb = false;
    bool tieWordEmbeddings = false;
    bool qkvBias = false;     // qwen2_moe; attention_bias for llama/qwen3/olmoe
    bool oBias = false;       // llama attention_bias also biases o_proj
    bool qkNormPerHead = false;  // qwen3, qwen3_moe
    bool qkNormFull = false;     // olmoe
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    int64_t maxPositionEmbeddings = 0;
    int64_t decoderSparseStep = 1;
    std::vector<int64_t> mlpOnlyLayers;
    std::string torchDtype;  // "bfloat16", "float32", ... as declared
    std::vector<int64_t> fp8BlockSize;  // quantization_config.weight_block_size, empty when not FP8
    std::vector<int64_t> eosTokenIds;
    int64_t bosTokenId = -1;

    // Whether layer `layer` uses routed experts (Qwen's decoder_sparse_step / mlp_only_layers rule).
    bool isMoeLayer(int64_t layer) const;

    // Parses config.json text; `path` only labels errors. Throws EngineError.
    static ModelConfig parse(const std::string &jsonText, const std::string &path);
    static ModelConfig load(const std::string &path);
};

}  // namespace blyan::engine
