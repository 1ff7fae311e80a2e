#include "engine/checkpoint/config.h"

#include "engine/util/error.h"
#include "engine/util/json.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace blyan::engine {

const char *archName(Arch a)
{
    switch (a) {
    case Arch::Qwen3Moe: return "qwen3_moe";
    case Arch::Qwen2Moe: return "qwen2_moe";
    case Arch::Mixtral: return "mixtral";
    case Arch::Olmoe: return "olmoe";
    case Arch::Qwen3: return "qwen3";
    case Arch::Llama: return "llama";
    }
    return "?";
}

bool ModelConfig::isMoeLayer(int64_t layer) const
{
    if (numExperts <= 0) return false;
    if (std::find(mlpOnlyLayers.begin(), mlpOnlyLayers.end(), layer) != mlpOnlyLayers.end()) return false;
    return decoderSparseStep > 0 && (layer + 1) % decoderSparseStep == 0;
}

namespace {

struct Reader {
    const json::Value &root;
    const std::string &path;

    [[noreturn]] void fail(const std::string &what) const { throw EngineError(path + ": " + what); }
    const json::Value *get(const char *key) const
    {
        const json::Value *v = root.find(key);
        return v && !v->isNull() ? v : nullptr;
    }
    int64_t integer(const char *key, int64_t min = 1) const
    {
        const json::Value *v = get(key);
        if (!v) fail(std::string("missing '") + key + "'");
        int64_t n = 0;
        try {
            n = v->asInt64();
        } catch (const std::exception &e) {
            fail(std::string("'") + key + "': " + e.what());
        }
        if (n < min) fail(std::string("'") + key + "' is " + std::to_string(n) + ", must be at least " + std::to_string(min));
        return n;
    }
    int64_t integerOr(const char *key, int64_t fallback, int64_t min = 0) const
    {
        return get(key) ? integer(key, min) : fallback;
    }
    double number(const char *key, double fallback) const
    {
        const json::Value *v = get(key);
        if (!v) return fallback;
        if (!v->isNumber()) fail(std::string("'") + key + "' is not a number");
        return v->asDouble();
    }
    bool boolean(const char *key, bool fallback) const
    {
        const json::Value *v = get(key);
        if (!v) return fallback;
        if (!v->isBool()) fail(std::string("'") + key + "' is not true/false");
        return v->asBool();
    }
    std::vector<int64_t> intList(const char *key) const
    {
        std::vector<int64_t> out;
        const json::Value *v = get(key);
        if (!v) return out;
        if (v->isNumber()) return {v->asInt64()};
        if (!v->isArray()) fail(std::string("'") + key + "' is not a list of integers");
        for (const auto &e : v->asArray()) out.push_back(e.asInt64());
        return out;
    }
};

}  // namespace

ModelConfig ModelConfig::parse(const std::string &text, const std::string &path)
{
    json::Value root;
    try {
        root = json::parse(text);
    } catch (const json::ParseError &e) {
        throw EngineError(path + ": " + e.what());
    }
    if (!root.isObject()) throw EngineError(path + ": not a JSON object");
    Reader r{root, path};
    ModelConfig c;
    const json::Value *mt = r.get("model_type");
    if (!mt || !mt->isString()) r.fail("missing 'model_type'");
    c.modelType = mt->asString();
    if (c.modelType == "qwen3_moe") c.arch = Arch::Qwen3Moe;
    else if (c.modelType == "qwen2_moe") c.arch = Arch::Qwen2Moe;
    else if (c.modelType == "mixtral") c.arch = Arch::Mixtral;
    else if (c.modelType == "olmoe") c.arch = Arch::Olmoe;
    else if (c.modelType == "qwen3") c.arch = Arch::Qwen3;
    else if (c.modelType == "llama") c.arch = Arch::Llama;
    else r.fail("model_type '" + c.modelType + "' is not supported (qwen3_moe, qwen2_moe, mixtral, olmoe, qwen3, llama)");

    c.hiddenSize = r.integer("hidden_size");
    c.numLayers = r.integer("num_hidden_layers");
    c.numHeads = r.integer("num_attention_heads");
    c.numKvHeads = r.integerOr("num_key_value_heads", c.numHeads, 1);
    c.headDim = r.integerOr("head_dim", c.hiddenSize / c.numHeads, 1);
    c.vocabSize = r.integer("vocab_size");
    c.rmsNormEps = r.number("rms_norm_eps", 1e-6);
    c.ropeTheta = r.number("rope_theta", 10000.0);
    c.maxPositionEmbeddings = r.integerOr("max_position_embeddings", 4096, 1);
    c.tieWordEmbeddings = r.boolean("tie_word_embeddings", false);
    if (const json::Value *d = r.get("torch_dtype"); d && d->isString()) c.torchDtype = d->asString();
    if (const json::Value *d = r.get("dtype"); d && d->isString() && c.torchDtype.empty()) c.torchDtype = d->asString();
    c.eosTokenIds = r.intList("eos_token_id");
    if (r.get("bos_token_id")) c.bosTokenId = r.integer("bos_token_id", 0);
    if (c.numHeads % c.numKvHeads != 0)
        r.fail("num_attention_heads " + std::to_string(c.numHeads) + " is not a multiple of num_key_value_heads " +
               std::to_string(c.numKvHeads));
    if (c.headDim % 2 != 0) r.fail("head_dim must be even for rotary embeddings");

    if (const json::Value *rs = r.get("rope_scaling")) {
        // {"rope_type": "default"} is a no-op; every other scaling changes the frequencies.
        const json::Value *type = rs->find("rope_type");
        if (!type) type = rs->find("type");
        if (!type || !type->isString() || type->asString() != "default")
            r.fail("rope_scaling is not supported by this engine yet");
    }
    if (r.boolean("use_sliding_window", false)) r.fail("use_sliding_window=true is not supported");
    if (r.get("clip_qkv")) r.fail("clip_qkv is not supported");
    if (const json::Value *act = r.get("hidden_act"); act && (!act->isString() || act->asString() != "silu"))
        r.fail("hidden_act must be 'silu'");

    switch (c.arch) {
    case Arch::Qwen3Moe:
        c.qkNormPerHead = true;
        c.qkvBias = c.oBias = r.boolean("attention_bias", false);
        c.numExperts = r.integer("num_experts");
        c.topK = r.integer("num_experts_per_tok");
        c.moeIntermediateSize = r.integer("moe_intermediate_size");
        c.intermediateSize = r.integerOr("intermediate_size", 0);
        c.normTopkProb = r.boolean("norm_topk_prob", false);
        c.decoderSparseStep = r.integerOr("decoder_sparse_step", 1, 1);
        c.mlpOnlyLayers = r.intList("mlp_only_layers");
        break;
    case Arch::Qwen2Moe:
        c.qkvBias = true;  // Qwen2MoeAttention: q/k/v always carry a bias, o_proj never
        c.numExperts = r.integer("num_experts");
        c.topK = r.integer("num_experts_per_tok");
        c.moeIntermediateSize = r.integer("moe_intermediate_size");
        c.intermediateSize = r.integerOr("intermediate_size", 0);
        c.sharedExpertIntermediateSize = r.integerOr("shared_expert_intermediate_size", 0);
        c.normTopkProb = r.boolean("norm_topk_prob", false);
        c.decoderSparseStep = r.integerOr("decoder_sparse_step", 1, 1);
        c.mlpOnlyLayers = r.intList("mlp_only_layers");
        break;
    case Arch::Mixtral:
        c.numExperts = r.integer("num_local_experts");
        c.topK = r.integer("num_experts_per_tok");
        c.moeIntermediateSize = r.integer("intermediate_size");
        c.normTopkProb = true;  // MixtralSparseMoeBlock always renormalises the top-k weights
        if (r.get("sliding_window") && c.maxPositionEmbeddings > r.integer("sliding_window"))
            r.fail("a sliding_window shorter than max_position_embeddings is not supported");
        break;
    case Arch::Olmoe:
        c.qkNormFull = true;
        c.qkvBias = c.oBias = r.boolean("attention_bias", false);
        c.numExperts = r.integer("num_experts");
        c.topK = r.integer("num_experts_per_tok");
        c.moeIntermediateSize = r.integer("intermediate_size");
        c.normTopkProb = r.boolean("norm_topk_prob", false);
        break;
    case Arch::Qwen3:
        c.qkNormPerHead = true;
        c.qkvBias = c.oBias = r.boolean("attention_bias", false);
        c.intermediateSize = r.integer("intermediate_size");
        break;
    case Arch::Llama:
        c.qkvBias = c.oBias = r.boolean("attention_bias", false);
        if (r.boolean("mlp_bias", false)) r.fail("mlp_bias=true is not supported");
        c.intermediateSize = r.integer("intermediate_size");
        break;
    }
    if (c.numExperts > 0 && (c.topK < 1 || c.topK > c.numExperts))
        r.fail("num_experts_per_tok " + std::to_string(c.topK) + " must be between 1 and the expert count " +
               std::to_string(c.numExperts));
    for (int64_t l = 0; l < c.numLayers; ++l)
        if (!c.isMoeLayer(l) && c.intermediateSize <= 0)
            r.fail("layer " + std::to_string(l) + " is a dense MLP layer but 'intermediate_size' is missing");

    if (const json::Value *q = r.get("quantization_config")) {
        const json::Value *method = q->find("quant_method");
        if (!method || !method->isString() || method->asString() != "fp8")
            r.fail("quantization_config: only quant_method 'fp8' (block-scaled e4m3) is supported");
        if (const json::Value *fmt = q->find("fmt"); fmt && fmt->isString() && fmt->asString() != "e4m3")
            r.fail("quantization_config: only fmt 'e4m3' is supported");
        const json::Value *bs = q->find("weight_block_size");
        if (!bs || !bs->isArray() || bs->size() != 2)
            r.fail("quantization_config.weight_block_size must be [rows, cols]");
        for (const auto &v : bs->asArray()) {
            const int64_t n = v.asInt64();
            if (n < 1) r.fail("quantization_config.weight_block_size entries must be positive");
            c.fp8BlockSize.push_back(n);
        }
    }
    return c;
}

ModelConfig ModelConfig::load(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw EngineError(path + ": cannot open (is this a Hugging Face model directory?)");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path);
}

}  // namespace blyan::engine
