// Safetensors reading and writing, config.json, checkpoints (sharded, tied, FP8) and the refusals of bad
// files: every error names the file and the tensor, and nothing crashes.
#include "engine_test_util.h"

#include "engine/checkpoint/checkpoint.h"
#include "engine/checkpoint/safetensors_writer.h"
#include "engine/checkpoint/tensor_loader.h"
#include "engine/model/model_impl.h"
#include "engine/util/error.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstring>

using namespace blyan::engine;
namespace fs = std::filesystem;

namespace {

void writeRaw(const fs::path &p, const std::string &header, std::size_t dataBytes, uint64_t claimedLen = 0)
{
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    const uint64_t n = claimedLen ? claimedLen : header.size();
    for (int i = 0; i < 8; ++i) f.put(static_cast<char>((n >> (8 * i)) & 0xff));
    f << header << std::string(dataBytes, '\0');
}

// The message of the EngineError that opening `p` throws ("" if none).
std::string openError(const fs::path &p)
{
    try {
        SafetensorsFile::open(p.string());
    } catch (const EngineError &e) {
        return e.what();
    }
    return "";
}

std::vector<uint8_t> floats(std::vector<float> v)
{
    std::vector<uint8_t> b(v.size() * 4);
    std::memcpy(b.data(), v.data(), b.size());
    return b;
}

TEST(Safetensors, WriteThenReadRoundTrip)
{
    const auto dir = test::tempDir("st-roundtrip");
    const auto path = (dir / "a.safetensors").string();
    std::vector<PlannedTensor> ts;
    ts.push_back({"b.weight", DType::F32, {2, 3}, [] { return floats({1, 2, 3, 4, 5, 6}); }});
    ts.push_back({"a.bias", DType::BF16, {2}, [] { return std::vector<uint8_t>{0x80, 0x3f, 0x00, 0x40}; }});  // 1.0, 2.0
    writeSafetensors(path, ts);
    auto f = SafetensorsFile::open(path);
    ASSERT_EQ(f->tensors().size(), 2u);
    EXPECT_EQ(f->metadata().at("format"), "pt");
    const TensorEntry *b = f->find("b.weight");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->shape, (std::vector<int64_t>{2, 3}));
    float v[6];
    std::memcpy(v, b->data, sizeof v);
    EXPECT_EQ(v[5], 6.0f);
    // The data buffer starts 8-aligned (HF pads the header with spaces).
    uint64_t n = 0;
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char *>(&n), 8);
    EXPECT_EQ((8 + n) % 8, 0u);
    fs::remove_all(dir);
}

TEST(Safetensors, RefusesLyingAndBrokenFiles)
{
    const auto dir = test::tempDir("st-bad");
    const auto p = dir / "bad.safetensors";
    auto expectError = [&](const std::string &needle) {
        const std::string msg = openError(p);
        EXPECT_NE(msg.find(needle), std::string::npos) << "message: " << msg;
        EXPECT_NE(msg.find("bad.safetensors"), std::string::npos) << "message: " << msg;
    };
    const std::string ok = R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";

    { std::ofstream(p) << "abc"; }
    expectError("too short");
    writeRaw(p, ok, 16, 1ull << 40);
    expectError("exceeds the limit");
    writeRaw(p, ok, 16, ok.size() + 100);
    expectError("truncated");
    writeRaw(p, ok, 8);  // data cut short
    expectError("truncated or lying header: tensor 'w'");
    writeRaw(p, "{\"w\":", 0);
    expectError("not valid JSON");
    writeRaw(p, R"({"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}})", 2);
    expectError("tensor 'w' has unknown dtype 'Q4'");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}})", 16);
    expectError("tensor 'w': data_offsets [0, 16] hold 16 bytes but shape [2, 3] of F32 needs 24");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12);
    expectError("overlaps");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", 16);
    expectError("gap of 8 bytes before tensor 'w'");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 12);
    expectError("4 bytes after the last tensor");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})", 0);
    expectError("negative dimension");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,0]}})", 0);
    expectError("impossibly large shape");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", 8);
    expectError("end before begin");
    writeRaw(p, R"({"w":{"dtype":"F32","shape":[2]}})", 8);
    expectError("missing key 'data_offsets'");
    fs::remove_all(dir);
}

TEST(Checkpoint, ConfigRefusals)
{
    auto err = [](const std::string &json) {
        try {
            ModelConfig::parse(json, "config.json");
        } catch (const EngineError &e) {
            return std::string(e.what());
        }
        return std::string();
    };
    const std::string base = R"("hidden_size":64,"num_hidden_layers":1,"num_attention_heads":4,"vocab_size":10,)";
    EXPECT_NE(err(R"({"model_type":"gpt2"})").find("not supported"), std::string::npos);
    EXPECT_NE(err("{" + base + R"("model_type":"qwen3_moe","num_experts":4,"num_experts_per_tok":5,"moe_intermediate_size":8})").find("num_experts_per_tok"),
              std::string::npos);
    EXPECT_NE(err("{" + base + R"("model_type":"llama","intermediate_size":8,"rope_scaling":{"rope_type":"llama3"}})").find("rope_scaling"),
              std::string::npos);
    EXPECT_NE(err("{" + base + R"("model_type":"llama"})").find("intermediate_size"), std::string::npos);
    EXPECT_EQ(err("{" + base + R"("model_type":"llama","intermediate_size":8,"rope_scaling":{"rope_type":"default"}})"), "");
}

TEST(Checkpoint, MissingTensorShapeMismatchAndUntiedWithoutLmHead)
{
    const auto dir = test::tempDir("ck-bad");
    TestModelSpec s;
    s.dtype = "f32";
    s.layers = 1;
    makeTestModel(s, dir.string());
    auto loadError = [&]() {
        try {
            Model::load(dir.string());
        } catch (const EngineError &e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_EQ(loadError(), "");

    // config.json says the experts are wider than the tensors: shape mismatch names the tensor.
    std::string cfg = test::readText(dir / "config.json");
    std::string wider = cfg;
    wider.replace(wider.find("\"moe_intermediate_size\": 32"), 27, "\"moe_intermediate_size\": 48");
    test::writeText(dir / "config.json", wider);
    EXPECT_NE(loadError().find("tensor 'model.layers.0.mlp.experts.0.gate_proj.weight': has shape [32, 64] but config.json implies [48, 64]"),
              std::string::npos) << loadError();
    test::writeText(dir / "config.json", cfg);

    // A checkpoint without lm_head.weight that does not declare tied embeddings.
    std::vector<PlannedTensor> keep;
    auto f = SafetensorsFile::open((dir / "model.safetensors").string());
    for (const auto &t : f->tensors()) {
        if (t.name == "lm_head.weight" || t.name == "model.layers.0.mlp.experts.3.up_proj.weight") continue;
        const TensorEntry *e = &t;
        keep.push_back({t.name, t.dtype, t.shape, [e] { return std::vector<uint8_t>(reinterpret_cast<const uint8_t *>(e->data),
                                                                                     reinterpret_cast<const uint8_t *>(e->data) + e->nbytes()); }});
    }
    writeSafetensors((dir / "model.tmp").string(), keep);
    f.reset();
    fs::rename(dir / "model.tmp", dir / "model.safetensors");
    EXPECT_NE(loadError().find("'lm_head.weight' is missing and config.json has tie_word_embeddings false"), std::string::npos) << loadError();
    std::string tied = cfg;
    tied.replace(tied.find("\"tie_word_embeddings\": false"), 28, "\"tie_word_embeddings\": true");
    test::writeText(dir / "config.json", tied);
    EXPECT_NE(loadError().find("tensor 'model.layers.0.mlp.experts.3.up_proj.weight' is missing"), std::string::npos) << loadError();
    fs::remove_all(dir);
}

TEST(Checkpoint, ShardedEqualsSingleFileAndZeroCopy)
{
    const auto one = test::tempDir("ck-one"), many = test::tempDir("ck-many");
    TestModelSpec s;
    s.dtype = "bf16";
    makeTestModel(s, one.string());
    s.maxShardBytes = 100'000;
    makeTestModel(s, many.string());
    EXPECT_TRUE(fs::exists(many / "model.safetensors.index.json"));
    int shards = 0;
    for (const auto &e : fs::directory_iterator(many)) shards += e.path().extension() == ".safetensors";
    EXPECT_GE(shards, 3);
    ModelOptions o;
    o.maxContext = 64;
    auto a = Model::load(one.string(), o), b = Model::load(many.string(), o);
    EXPECT_EQ(a->dtypeName(), "bf16");  // auto picks the checkpoint's bf16
    EXPECT_EQ(a->parameterCount(), b->parameterCount());
    at::Tensor ids = at::arange(0, 10, at::kLong);
    KvCache ca = a->impl().newCache(), cb = b->impl().newCache();
    EXPECT_TRUE(at::equal(a->impl().forward(ca, ids, true), b->impl().forward(cb, ids, true)));
    // bf16 on CPU: the embedding is a view into the mapping, not a copy.
    const auto *e = a->impl().checkpoint->find("model.embed_tokens.weight").entry;
    EXPECT_EQ(a->impl().embed.data_ptr(), static_cast<const void *>(e->data));
    fs::remove_all(one);
    fs::remove_all(many);
}

TEST(Checkpoint, Fp8E4m3TableAndDequantisation)
{
    const auto &t = e4m3Table();
    EXPECT_EQ(t[0x7e], 448.0f);
    EXPECT_EQ(t[0xfe], -448.0f);
    EXPECT_EQ(t[0x08], std::ldexp(1.0f, -6));
    EXPECT_EQ(t[0x01], std::ldexp(1.0f, -9));
    EXPECT_EQ(t[0x38], 1.0f);
    EXPECT_TRUE(std::isnan(t[0x7f]));

    // A 3x3 weight in blocks of 2x2: scale_inv is [2, 2], each block scaled by its own factor.
    const auto dir = test::tempDir("fp8");
    test::writeText(dir / "config.json", R"({"model_type":"llama","hidden_size":4,"num_hidden_layers":1,"num_attention_heads":1,
      "vocab_size":4,"intermediate_size":4,"quantization_config":{"quant_method":"fp8","fmt":"e4m3","weight_block_size":[2,2]}})");
    std::vector<PlannedTensor> ts;
    ts.push_back({"w", DType::F8_E4M3, {3, 3}, [] { return std::vector<uint8_t>(9, 0x38); }});  // all 1.0
    ts.push_back({"w_scale_inv", DType::F32, {2, 2}, [] { return floats({1, 2, 3, 4}); }});
    writeSafetensors((dir / "model.safetensors").string(), ts);
    auto ck = Checkpoint::open(dir.string());
    at::Tensor w = loadTensor(*ck, "w", {3, 3}, TensorTarget{at::kFloat, at::kCPU});
    EXPECT_TRUE(at::equal(w, at::tensor({1.f, 1.f, 2.f, 1.f, 1.f, 2.f, 3.f, 3.f, 4.f}).view({3, 3}))) << w;
    fs::remove_all(dir);
}

}  // namespace
