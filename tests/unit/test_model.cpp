// core/model without a node: the spec's strict format, how a checkpoint splits into components, that a
// component payload is a safetensors file with the checkpoint's exact tensors (and the same bytes every
// time), the import journal, and the tiered expert store: logits equal to the in-memory model with every
// budget (all, a quarter, nothing resident), and verification failures naming the object.

#include "engine/checkpoint/checkpoint.h"
#include "engine/checkpoint/make_test_model.h"
#include "engine/model/model.h"
#include "engine/model/tiered_expert_store.h"
#include "engine/runtime/generator.h"
#include "engine/util/error.h"
#include "model/component_writer.h"
#include "model/components.h"
#include "model/import_journal.h"
#include "model/model_spec.h"
#include "storage/object_store.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <set>

using namespace blyan;

class TestModel : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    std::string ckDir_;
    std::shared_ptr<engine::Checkpoint> ck_;

    std::vector<int32_t> greedy(const std::shared_ptr<engine::Model> &m)
    {
        engine::Generator gen(m);
        engine::GenerationOptions o;
        o.sampler.greedy = true;
        o.maxTokens = 20;
        o.ignoreEos = true;
        return gen.generate({3, 17, 42, 99, 7}, o).tokens;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        ckDir_ = tmp_.filePath(QStringLiteral("ck")).toStdString();
        engine::TestModelSpec s;
        s.layers = 3;
        s.experts = 8;
        s.mlpOnlyLayers = {1};  // a dense layer in the middle
        s.seed = 3;
        engine::makeTestModel(s, ckDir_);
        ck_ = engine::Checkpoint::open(ckDir_);
    }

    void specRoundTripAndRefusals()
    {
        model::ModelSpec s;
        s.name = "tiny";
        s.architecture = "qwen3_moe";
        s.configJson = "{\"a\": 1}";
        s.tokenizerJson = model::PayloadRef{crypto::blake2b256(asBytes(std::string_view("t"))), 1};
        s.hiddenSize = 64;
        s.numLayers = 2;
        s.numExperts = 8;
        s.topK = 2;
        s.vocabSize = 512;
        s.dtype = "bfloat16";
        s.components.push_back({"layer0.expert3", "expert", 0, 3, {crypto::blake2b256(asBytes(std::string_view("x"))), 5000000000ull}, 3});
        s.components.push_back({"embed_tokens", "base", -1, -1, {crypto::blake2b256(asBytes(std::string_view("y"))), 7}, 1});
        const QByteArray bytes = model::encodeModelSpec(s);
        QCOMPARE(model::encodeModelSpec(s), bytes);  // one spec, one encoding
        auto back = model::decodeModelSpec(bytes);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QVERIFY(*back == s);

        QByteArray other = bytes;
        other.replace("blyan-model-spec/1", "blyan-model-spec/9");
        auto e = model::decodeModelSpec(other);
        QVERIFY(!e.ok());
        QVERIFY(QString::fromStdString(e.error().message).contains(QStringLiteral("update this node")));
        QByteArray dup = bytes;
        dup.replace("embed_tokens", "layer0.expert3");
        e = model::decodeModelSpec(dup);
        QVERIFY(!e.ok() && e.error().message.find("appears twice") != std::string::npos);
        QVERIFY(!model::decodeModelSpec("[]").ok());
        QVERIFY(!model::decodeModelSpec("{\"format\": \"blyan-model-spec/1\"}").ok());
    }

    void componentsCoverEveryTensorOnce()
    {
        auto plans = model::planComponents(*ck_);
        QVERIFY(plans.ok());
        std::vector<std::string> names;
        std::set<std::string> tensors;
        std::size_t total = 0;
        for (const auto &p : *plans) {
            names.push_back(p.name);
            for (const auto &t : p.tensors) tensors.insert(t.entry->name), ++total;
        }
        std::size_t inCheckpoint = 0;
        for (const auto &f : ck_->files()) inCheckpoint += f->tensors().size();
        QCOMPARE(total, inCheckpoint);
        QCOMPARE(tensors.size(), inCheckpoint);
        // embed, layer0 (attention, router, 8 experts), layer1 (attention, dense mlp), layer2 (..), norm, lm_head
        QCOMPARE(names.front(), std::string("embed_tokens"));
        QCOMPARE(names[1], std::string("layer0.attention"));
        QCOMPARE(names[2], std::string("layer0.router"));
        QCOMPARE(names[3], std::string("layer0.expert0"));
        QCOMPARE(names[10], std::string("layer0.expert7"));
        QCOMPARE(names[11], std::string("layer1.attention"));
        QCOMPARE(names[12], std::string("layer1.mlp"));
        QCOMPARE(names[names.size() - 2], std::string("final_norm"));
        QCOMPARE(names.back(), std::string("lm_head"));
        QCOMPARE(names.size(), std::size_t(1 + 10 + 2 + 10 + 2));
    }

    void componentPayloadIsTheCheckpointsTensors()
    {
        auto store = storage::ObjectStore::open(tmp_.filePath(QStringLiteral("objects")));
        QVERIFY(store.ok());
        auto plans = model::planComponents(*ck_);
        const auto &expert = (*plans)[5];
        std::atomic<bool> cancel{false};
        std::uint64_t copied = 0;
        auto a = model::writeComponent(expert, *store, cancel, [&](std::uint64_t n) { copied += n; });
        QVERIFY(a.ok());
        QCOMPARE(copied, expert.dataBytes);
        auto b = model::writeComponent(expert, *store, cancel, {});
        QVERIFY(b.ok());
        QVERIFY(a->hash == b->hash);  // deterministic: re-import dedupes
        auto file = engine::SafetensorsFile::open(store->objectPath(a->hash).toStdString());
        QCOMPARE(file->tensors().size(), expert.tensors.size());
        for (const auto &t : expert.tensors) {
            const auto *e = file->find(t.entry->name);
            QVERIFY(e);
            QVERIFY(e->shape == t.entry->shape && e->dtype == t.entry->dtype);
            QVERIFY(std::memcmp(e->data, t.entry->data, t.entry->nbytes()) == 0);
        }
        cancel = true;
        auto c = model::writeComponent((*plans)[0], *store, cancel, {});
        QVERIFY(!c.ok());
        QCOMPARE(c.error().message, std::string("cancelled"));
    }

    void journalRemembers()
    {
        auto j = model::ImportJournal::open(tmp_.filePath(QStringLiteral("journal.sqlite")));
        QVERIFY(j.ok());
        storage::ObjectInfo info{crypto::blake2b256(asBytes(std::string_view("p"))), 10, 1, {}};
        QVERIFY(j->record("src", "layer0.expert1", info).ok());
        auto f = j->find("src", "layer0.expert1");
        QVERIFY(f.ok() && f->has_value() && **f == info);
        QVERIFY(j->find("other", "layer0.expert1")->has_value() == false);
        auto fp = model::checkpointFingerprint(ckDir_);
        QVERIFY(fp.ok() && fp->size() == 64);
        QCOMPARE(*model::checkpointFingerprint(ckDir_), *fp);
    }

    void tieredStoreMatchesInMemory()
    {
        // Every expert as its own payload file, as after an import.
        auto store = storage::ObjectStore::open(tmp_.filePath(QStringLiteral("objects2")));
        auto plans = model::planComponents(*ck_);
        const auto &c = ck_->config();
        std::vector<std::shared_ptr<engine::SafetensorsFile>> base;
        std::vector<engine::ExpertFile> experts(static_cast<std::size_t>(c.numLayers * c.numExperts));
        std::atomic<bool> cancel{false};
        for (const auto &p : *plans) {
            auto info = model::writeComponent(p, *store, cancel, {});
            QVERIFY(info.ok());
            const std::string path = store->objectPath(info->hash).toStdString();
            if (p.kind == "expert") experts[static_cast<std::size_t>(p.layer * c.numExperts + p.expert)] = {path, p.name, {}};
            else base.push_back(engine::SafetensorsFile::open(path));
        }
        const auto reference = greedy(engine::Model::load(ckDir_));
        const std::uint64_t one = 3ull * static_cast<std::uint64_t>(c.hiddenSize * c.moeIntermediateSize) * 2;
        for (std::uint64_t budget : {one * 64, one * 4, std::uint64_t(0)}) {  // all, a quarter of the 16, none
            auto tiered = std::make_shared<engine::TieredExpertStore>(c, engine::ModelOptions{}, engine::TieredStoreOptions{0, budget, true},
                                                                      experts, nullptr);
            auto m = engine::Model::load(engine::Checkpoint::fromFiles("chain", c, base), engine::ModelOptions{}, tiered);
            QCOMPARE(greedy(m), reference);
            const auto st = tiered->stats();
            QVERIFY(st.ramBytes <= budget);
            if (budget == one * 4) QVERIFY(st.evictions > 0);
            std::uint32_t uses = 0;
            for (auto u : tiered->usage()) uses += u;
            QVERIFY(uses >= 2u * 20u * 2u);  // top-2 in two MoE layers on every step
        }
        // A failed verification names the object and leaves the expert unusable.
        auto bad = std::make_shared<engine::TieredExpertStore>(
            c, engine::ModelOptions{}, engine::TieredStoreOptions{}, experts,
            [](int layer, int expert) { throw engine::EngineError("object layer" + std::to_string(layer) + ".expert" + std::to_string(expert) + " is corrupt"); });
        try {
            bad->get(2, 5);
            QFAIL("no error");
        } catch (const engine::EngineError &e) {
            QCOMPARE(std::string(e.what()), std::string("object layer2.expert5 is corrupt"));
        }
        experts[3].path.clear();
        experts[3].missingReason = "its payload is not in this node's object store";
        engine::TieredExpertStore missing(c, engine::ModelOptions{}, engine::TieredStoreOptions{}, experts, nullptr);
        try {
            missing.get(0, 3);
            QFAIL("no error");
        } catch (const engine::EngineError &e) {
            QVERIFY2(std::string(e.what()).find("expert layer0.expert3 is not available") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
