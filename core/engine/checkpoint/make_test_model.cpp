#include "engine/checkpoint/make_test_model.h"

#include "engine/checkpoint/safetensors_writer.h"
#include "engine/checkpoint/tensor_loader.h"
#include "engine/util/error.h"
#include "engine/util/json.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace blyan::engine {

namespace fs = std::filesystem;

namespace {

using json::Value;

Value num(double d, const char *text = nullptr) { return Value::makeNumber(d, text ? text : ""); }
Value str(const std::string &s) { return Value::makeString(s); }
Value boolean(bool b) { return Value::makeBool(b); }
Value intList(const std::vector<int64_t> &v)
{
    Value a = Value::makeArray();
    for (auto x : v) a.push(num(static_cast<double>(x)));
    return a;
}

// Python's json.dumps(obj, indent=2, sort_keys=True), which is how transformers writes config.json.
void pretty(std::string &out, const Value &v, int depth)
{
    const std::string pad(static_cast<std::size_t>(depth + 1) * 2, ' '), end(static_cast<std::size_t>(depth) * 2, ' ');
    if (v.isObject() && v.size() > 0) {
        std::vector<const json::Member *> ms;
        for (const auto &m : v.members()) ms.push_back(&m);
        std::sort(ms.begin(), ms.end(), [](auto *a, auto *b) { return a->key < b->key; });
        out += "{\n";
        for (std::size_t i = 0; i < ms.size(); ++i) {
            out += pad;
            json::appendQuoted(out, ms[i]->key);
            out += ": ";
            pretty(out, ms[i]->value, depth + 1);
            out += i + 1 < ms.size() ? ",\n" : "\n";
        }
        out += end + "}";
    } else if (v.isArray() && v.size() > 0) {
        out += "[\n";
        for (std::size_t i = 0; i < v.size(); ++i) {
            out += pad;
            pretty(out, v.asArray()[i], depth + 1);
            out += i + 1 < v.size() ? ",\n" : "\n";
        }
        out += end + "]";
    } else {
        out += json::serialize(v);
    }
}

struct Ids {
    int64_t bos, eos;
};

Value configFor(const TestModelSpec &s, Ids ids)
{
    Value c = Value::makeObject();
    const std::string a = s.arch;
    const std::string torchDtype = s.dtype == "f32" ? "float32" : s.dtype == "f16" ? "float16" : "bfloat16";
    auto common = [&](const char *cls) {
        c.set("architectures", [&] { Value v = Value::makeArray(); v.push(str(cls)); return v; }());
        c.set("attention_dropout", num(0, "0.0"));
        c.set("hidden_act", str("silu"));
        c.set("hidden_size", num(static_cast<double>(s.hidden)));
        c.set("initializer_range", num(0.02, "0.02"));
        c.set("max_position_embeddings", num(static_cast<double>(s.maxPositions)));
        c.set("model_type", str(a));
        c.set("num_attention_heads", num(static_cast<double>(s.heads)));
        c.set("num_hidden_layers", num(static_cast<double>(s.layers)));
        c.set("num_key_value_heads", num(static_cast<double>(s.kvHeads)));
        c.set("tie_word_embeddings", boolean(s.tied));
        c.set("torch_dtype", str(torchDtype));
        c.set("transformers_version", str("4.51.0"));
        c.set("use_cache", boolean(true));
        c.set("vocab_size", num(static_cast<double>(s.vocab)));
        c.set("bos_token_id", num(static_cast<double>(ids.bos)));
        c.set("eos_token_id", num(static_cast<double>(ids.eos)));
    };
    auto qwenMoe = [&] {
        c.set("decoder_sparse_step", num(1));
        c.set("max_window_layers", num(static_cast<double>(s.layers)));
        c.set("mlp_only_layers", intList(s.mlpOnlyLayers));
        c.set("moe_intermediate_size", num(static_cast<double>(s.moeIntermediate)));
        c.set("intermediate_size", num(static_cast<double>(s.intermediate)));
        c.set("norm_topk_prob", boolean(s.normTopkProb));
        c.set("num_experts", num(static_cast<double>(s.experts)));
        c.set("num_experts_per_tok", num(static_cast<double>(s.topK)));
        c.set("output_router_logits", boolean(false));
        c.set("rms_norm_eps", num(1e-6, "1e-06"));
        c.set("rope_theta", num(1e6, "1000000.0"));
        c.set("router_aux_loss_coef", num(0.001, "0.001"));
        c.set("use_sliding_window", boolean(false));
    };
    if (a == "qwen3_moe") {
        common("Qwen3MoeForCausalLM");
        qwenMoe();
        c.set("attention_bias", boolean(false));
        c.set("head_dim", num(static_cast<double>(s.headDim)));
        c.set("rope_scaling", Value());
        c.set("sliding_window", Value());
    } else if (a == "qwen2_moe") {
        common("Qwen2MoeForCausalLM");
        qwenMoe();
        c.set("shared_expert_intermediate_size", num(static_cast<double>(s.sharedIntermediate)));
        c.set("sliding_window", num(32768));
    } else if (a == "mixtral") {
        common("MixtralForCausalLM");
        c.set("head_dim", num(static_cast<double>(s.headDim)));
        c.set("intermediate_size", num(static_cast<double>(s.moeIntermediate)));
        c.set("num_experts_per_tok", num(static_cast<double>(s.topK)));
        c.set("num_local_experts", num(static_cast<double>(s.experts)));
        c.set("output_router_logits", boolean(false));
        c.set("rms_norm_eps", num(1e-5, "1e-05"));
        c.set("rope_theta", num(1e6, "1000000.0"));
        c.set("router_aux_loss_coef", num(0.02, "0.02"));
        c.set("sliding_window", Value());
    } else if (a == "olmoe") {
        common("OlmoeForCausalLM");
        c.set("attention_bias", boolean(false));
        c.set("clip_qkv", Value());
        c.set("intermediate_size", num(static_cast<double>(s.moeIntermediate)));
        c.set("norm_topk_prob", boolean(s.normTopkProb));
        c.set("num_experts", num(static_cast<double>(s.experts)));
        c.set("num_experts_per_tok", num(static_cast<double>(s.topK)));
        c.set("output_router_logits", boolean(false));
        c.set("rms_norm_eps", num(1e-5, "1e-05"));
        c.set("rope_scaling", Value());
        c.set("rope_theta", num(10000, "10000.0"));
        c.set("router_aux_loss_coef", num(0.01, "0.01"));
    } else if (a == "qwen3" || a == "llama") {
        common(a == "qwen3" ? "Qwen3ForCausalLM" : "LlamaForCausalLM");
        c.set("attention_bias", boolean(false));
        c.set("head_dim", num(static_cast<double>(s.headDim)));
        c.set("intermediate_size", num(static_cast<double>(s.intermediate)));
        c.set("rms_norm_eps", num(1e-6, "1e-06"));
        c.set("rope_scaling", Value());
        c.set("rope_theta", num(1e6, "1000000.0"));
        if (a == "llama") c.set("mlp_bias", boolean(false));
        else c.set("use_sliding_window", boolean(false));
    } else {
        throw EngineError("make-test-model: unknown --arch '" + a + "' (qwen3_moe, qwen2_moe, mixtral, olmoe, qwen3, llama)");
    }
    if (s.dtype == "fp8") {
        Value q = Value::makeObject();
        q.set("activation_scheme", str("dynamic"));
        q.set("fmt", str("e4m3"));
        q.set("quant_method", str("fp8"));
        q.set("weight_block_size", intList({s.fp8Block, s.fp8Block}));
        c.set("quantization_config", std::move(q));
    }
    return c;
}

uint64_t fnv1a(const std::string &s)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
    return h;
}

std::vector<uint8_t> bytesOf(const at::Tensor &t)
{
    at::Tensor c = t.contiguous();
    std::vector<uint8_t> out(c.nbytes());
    std::memcpy(out.data(), c.data_ptr(), out.size());
    return out;
}

// Nearest e4m3fn code of each element of y (|y| <= 448).
at::Tensor toE4m3(const at::Tensor &y)
{
    const auto &table = e4m3Table();
    const at::Tensor pos = at::tensor(std::vector<float>(table.begin(), table.begin() + 127), at::kFloat);  // codes 0..126, increasing
    at::Tensor a = y.abs().clamp_max(448.0f).contiguous();
    at::Tensor hi = at::searchsorted(pos, a).clamp_max(126);
    at::Tensor lo = (hi - 1).clamp_min(0);
    at::Tensor pick = at::where((pos.index_select(0, hi.flatten()).view_as(a) - a).abs() <
                                    (a - pos.index_select(0, lo.flatten()).view_as(a)).abs(),
                                hi, lo);
    return (pick + at::where(y < 0, at::full_like(pick, 128), at::zeros_like(pick))).to(at::kByte);
}

class Planner {
public:
    Planner(const TestModelSpec &s) : s_(s) {}

    // A weight with N(0, std) entries (or mean + N(0, std)), seeded by (seed, name).
    void add(const std::string &name, std::vector<int64_t> shape, double std, double mean = 0.0, bool quantizable = false)
    {
        const uint64_t seed = fnv1a(name) ^ (s_.seed * 0x9E3779B97F4A7C15ull);
        auto make = [shape, std, mean, seed] {
            auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
            return at::randn(shape, gen, at::TensorOptions().dtype(at::kFloat)).mul_(std).add_(mean);
        };
        const bool fp8 = quantizable && s_.dtype == "fp8" && shape.size() == 2;
        if (fp8) {
            const int64_t b = s_.fp8Block, rows = shape[0], cols = shape[1];
            const int64_t br = (rows + b - 1) / b, bc = (cols + b - 1) / b;
            // w = q * scale_inv per block; scale_inv = amax(block) / 448 uses the format's full range.
            auto scales = [make, b, rows, cols, br, bc] {
                at::Tensor w = at::zeros({br * b, bc * b});
                w.narrow(0, 0, rows).narrow(1, 0, cols).copy_(make());
                at::Tensor amax = w.view({br, b, bc, b}).abs().amax({1, 3});
                return (amax / 448.0f).clamp_min(1e-12f);
            };
            tensors_.push_back({name, DType::F8_E4M3, shape, [make, scales, b, rows, cols] {
                                    at::Tensor w = make();
                                    at::Tensor s = scales().repeat_interleave(b, 0).narrow(0, 0, rows).repeat_interleave(b, 1).narrow(1, 0, cols);
                                    return bytesOf(toE4m3(w / s));
                                }});
            tensors_.push_back({name + "_scale_inv", DType::F32, {br, bc}, [scales] { return bytesOf(scales()); }});
            return;
        }
        const DType dt = s_.dtype == "f32" ? DType::F32 : s_.dtype == "f16" ? DType::F16 : DType::BF16;
        const at::ScalarType st = dt == DType::F32 ? at::kFloat : dt == DType::F16 ? at::kHalf : at::kBFloat16;
        tensors_.push_back({name, dt, shape, [make, st] { return bytesOf(make().to(st)); }});
    }
    std::vector<PlannedTensor> take() { return std::move(tensors_); }

private:
    const TestModelSpec &s_;
    std::vector<PlannedTensor> tensors_;
};

int64_t tokenizerVocab(const std::string &dir)
{
    std::ifstream in(fs::path(dir) / "tokenizer.json", std::ios::binary);
    if (!in) throw EngineError(dir + ": no tokenizer.json to copy");
    std::ostringstream ss;
    ss << in.rdbuf();
    const Value t = json::parse(ss.str());
    int64_t maxId = -1;
    if (const Value *model = t.find("model"))
        if (const Value *vocab = model->find("vocab"); vocab && vocab->isObject())
            for (const auto &m : vocab->members()) maxId = std::max(maxId, m.value.asInt64());
    if (const Value *added = t.find("added_tokens"); added && added->isArray())
        for (const auto &a : added->asArray()) maxId = std::max(maxId, a.at("id").asInt64());
    return maxId + 1;
}

}  // namespace

void makeTestModel(const TestModelSpec &spec, const std::string &outDir)
{
    TestModelSpec s = spec;
    const bool withTokenizer = !s.tokenizerDir.empty();
    if (s.vocab == 0) s.vocab = withTokenizer ? 151936 : 512;
    if (withTokenizer) {
        const int64_t need = tokenizerVocab(s.tokenizerDir);
        if (s.vocab < need)
            throw EngineError("make-test-model: --vocab " + std::to_string(s.vocab) + " is smaller than the tokenizer's " +
                              std::to_string(need) + " tokens");
    }
    if (s.dtype != "f32" && s.dtype != "bf16" && s.dtype != "f16" && s.dtype != "fp8")
        throw EngineError("make-test-model: --dtype must be f32, bf16, f16 or fp8");
    for (int64_t v : {s.hidden, s.layers, s.heads, s.kvHeads, s.headDim, s.vocab, s.fp8Block})
        if (v < 1) throw EngineError("make-test-model: shape options must be positive");
    if (s.heads % s.kvHeads != 0) throw EngineError("make-test-model: --heads must be a multiple of --kv-heads");
    if (s.headDim % 2 != 0) throw EngineError("make-test-model: --head-dim must be even");
    const bool moe = s.arch != "qwen3" && s.arch != "llama";
    if (moe && (s.experts < 1 || s.topK < 1 || s.topK > s.experts))
        throw EngineError("make-test-model: --top-k must be between 1 and --experts");
    // Architectures whose config has no head_dim derive it as hidden / heads.
    if ((s.arch == "qwen2_moe" || s.arch == "olmoe") && s.heads * s.headDim != s.hidden)
        throw EngineError("make-test-model: " + s.arch + " has no head_dim in its config: --hidden must equal --heads x --head-dim");
    const Ids ids = s.vocab == 151936 ? Ids{151643, 151645} : Ids{s.vocab - 2, s.vocab - 1};
    const Value config = configFor(s, ids);

    fs::create_directories(outDir);
    std::string text;
    pretty(text, config, 0);
    {
        std::ofstream out(fs::path(outDir) / "config.json", std::ios::trunc);
        out << text << "\n";
        if (!out) throw EngineError(outDir + "/config.json: write failed");
        Value gen = Value::makeObject();
        gen.set("bos_token_id", num(static_cast<double>(ids.bos)));
        gen.set("eos_token_id", num(static_cast<double>(ids.eos)));
        gen.set("transformers_version", str("4.51.0"));
        std::string g;
        pretty(g, gen, 0);
        std::ofstream go(fs::path(outDir) / "generation_config.json", std::ios::trunc);
        go << g << "\n";
    }

    const int64_t H = s.hidden, d = s.headDim, nh = s.heads, nkv = s.kvHeads;
    const double inH = 1.0 / std::sqrt(static_cast<double>(H));
    Planner p(s);
    p.add("model.embed_tokens.weight", {s.vocab, H}, inH);
    for (int64_t i = 0; i < s.layers; ++i) {
        const std::string l = "model.layers." + std::to_string(i) + ".";
        const std::string a = l + "self_attn.";
        p.add(a + "q_proj.weight", {nh * d, H}, inH, 0, true);
        p.add(a + "k_proj.weight", {nkv * d, H}, inH, 0, true);
        p.add(a + "v_proj.weight", {nkv * d, H}, inH, 0, true);
        if (s.arch == "qwen2_moe") {
            p.add(a + "q_proj.bias", {nh * d}, 0.1);
            p.add(a + "k_proj.bias", {nkv * d}, 0.1);
            p.add(a + "v_proj.bias", {nkv * d}, 0.1);
        }
        p.add(a + "o_proj.weight", {H, nh * d}, 0.1 / std::sqrt(static_cast<double>(nh * d)), 0, true);
        if (s.arch == "qwen3_moe" || s.arch == "qwen3") {
            p.add(a + "q_norm.weight", {d}, 0.1, 1.0);
            p.add(a + "k_norm.weight", {d}, 0.1, 1.0);
        } else if (s.arch == "olmoe") {
            p.add(a + "q_norm.weight", {nh * d}, 0.1, 1.0);
            p.add(a + "k_norm.weight", {nkv * d}, 0.1, 1.0);
        }
        const bool dense = !moe || std::find(s.mlpOnlyLayers.begin(), s.mlpOnlyLayers.end(), i) != s.mlpOnlyLayers.end();
        auto swiglu = [&](const std::string &prefix, const char *g, const char *u, const char *dn, int64_t I) {
            p.add(prefix + g, {I, H}, inH, 0, true);
            p.add(prefix + u, {I, H}, inH, 0, true);
            p.add(prefix + dn, {H, I}, 0.1 / std::sqrt(static_cast<double>(I)), 0, true);
        };
        if (dense) {
            swiglu(l + "mlp.", "gate_proj.weight", "up_proj.weight", "down_proj.weight", s.intermediate);
        } else if (s.arch == "mixtral") {
            p.add(l + "block_sparse_moe.gate.weight", {s.experts, H}, inH);
            for (int64_t e = 0; e < s.experts; ++e)
                swiglu(l + "block_sparse_moe.experts." + std::to_string(e) + ".", "w1.weight", "w3.weight", "w2.weight", s.moeIntermediate);
        } else {
            p.add(l + "mlp.gate.weight", {s.experts, H}, inH);
            for (int64_t e = 0; e < s.experts; ++e)
                swiglu(l + "mlp.experts." + std::to_string(e) + ".", "gate_proj.weight", "up_proj.weight", "down_proj.weight",
                       s.moeIntermediate);
            if (s.arch == "qwen2_moe") {
                swiglu(l + "mlp.shared_expert.", "gate_proj.weight", "up_proj.weight", "down_proj.weight", s.sharedIntermediate);
                p.add(l + "mlp.shared_expert_gate.weight", {1, H}, inH);
            }
        }
        p.add(l + "input_layernorm.weight", {H}, 0.1, 1.0);
        p.add(l + "post_attention_layernorm.weight", {H}, 0.1, 1.0);
    }
    p.add("model.norm.weight", {H}, 0.1, 1.0);
    if (!s.tied) p.add("lm_head.weight", {s.vocab, H}, 2.0 * inH);
    // bf16 / f16 for the tensors FP8 checkpoints keep in high precision.
    writeCheckpointShards(outDir, p.take(), s.maxShardBytes);

    if (withTokenizer)
        for (const char *f : {"tokenizer.json", "tokenizer_config.json"}) {
            const fs::path from = fs::path(s.tokenizerDir) / f;
            if (!fs::exists(from)) throw EngineError(from.string() + ": missing");
            fs::copy_file(from, fs::path(outDir) / f, fs::copy_options::overwrite_existing);
        }
}

}  // namespace blyan::engine
