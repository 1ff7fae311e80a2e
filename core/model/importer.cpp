#include "model/importer.h"

#include "model/component_writer.h"
#include "model/components.h"
#include "model/model_spec.h"

#include "engine/util/error.h"

#include <QFile>
#include <QFileInfo>

#include <chrono>
#include <deque>
#include <set>
#include <thread>

namespace blyan::model {

namespace {

constexpr std::size_t kMaxInFlight = 48;  // under the mempool's 64 pending transactions per sender

Error cancelled() { return Error(ErrorCode::Unavailable, "import cancelled"); }

chain::ObjectRecord recordFor(chain::ObjectChain c, const std::string &kind, const std::string &name,
                              std::vector<chain::ObjectId> deps, const storage::ObjectInfo &info)
{
    chain::ObjectRecord r;
    r.chain = c;
    r.kind = kind;
    r.name = name;
    r.dependsOn = std::move(deps);
    r.payloadHash = info.hash;
    r.size = info.size;
    r.chunkMerkleRoot = info.merkleRoot;
    return r;
}

// Stores a small file (tokenizer.json, its config) whole; nullopt when the file does not exist.
Expected<std::optional<storage::ObjectInfo>> putFile(const storage::ObjectStore &store, const QString &path)
{
    if (!QFileInfo::exists(path)) return std::optional<storage::ObjectInfo>();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, "cannot read " + path.toStdString() + ": " + f.errorString().toStdString());
    if (f.size() > (256 << 20)) return makeError(ErrorCode::LimitExceeded, path.toStdString() + " is larger than 256 MiB");
    const QByteArray bytes = f.readAll();
    BLYAN_TRY(auto info, store.put(ByteView(reinterpret_cast<const std::uint8_t *>(bytes.constData()), static_cast<std::size_t>(bytes.size()))));
    return std::optional<storage::ObjectInfo>(info);
}

}  // namespace

const char *phaseName(ImportProgress::Phase p)
{
    switch (p) {
    case ImportProgress::Phase::Idle: return "idle";
    case ImportProgress::Phase::Reading: return "reading";
    case ImportProgress::Phase::Writing: return "writing";
    case ImportProgress::Phase::Publishing: return "publishing";
    case ImportProgress::Phase::Done: return "done";
    case ImportProgress::Phase::Failed: return "failed";
    case ImportProgress::Phase::Cancelled: return "cancelled";
    }
    return "unknown";
}

Expected<ImportProgress> ModelImporter::run(const std::string &dir, const std::atomic<bool> &cancel,
                                            const std::function<void(const ImportProgress &)> &progress)
{
    ImportProgress p;
    p.dir = dir;
    p.phase = ImportProgress::Phase::Reading;
    const auto report = [&] {
        if (progress) progress(p);
    };
    report();

    std::shared_ptr<engine::Checkpoint> ck;
    try {
        ck = engine::Checkpoint::open(dir);
    } catch (const engine::EngineError &e) {
        return makeError(ErrorCode::InvalidArgument,
                         std::string(e.what()) + " (importmodel takes a Hugging Face model directory: config.json and "
                                                 "*.safetensors, as blyan-engine make-test-model writes them)");
    }
    const engine::ModelConfig &cfg = ck->config();
    BLYAN_TRY(auto plans, planComponents(*ck));
    BLYAN_TRY(const std::string source, checkpointFingerprint(dir));
    p.components = static_cast<int>(plans.size());
    for (const auto &c : plans) p.bytesTotal += c.dataBytes;

    // One chain holds one model shape: a spec of another architecture would leave heads of both mixed.
    BLYAN_TRY(const auto existing, chain_.heads({kSpecName}));
    if (existing[0]) {
        BLYAN_TRY(const Bytes old, store_.get(existing[0]->record.payloadHash));
        BLYAN_TRY(const ModelSpec oldSpec, decodeModelSpec(QByteArray(reinterpret_cast<const char *>(old.data()), static_cast<qsizetype>(old.size()))));
        if (oldSpec.architecture != cfg.modelType || oldSpec.hiddenSize != cfg.hiddenSize ||
            oldSpec.numLayers != cfg.numLayers || oldSpec.numExperts != cfg.numExperts)
            return makeError(ErrorCode::InvalidArgument,
                             "this chain already holds the model '" + oldSpec.name + "' (" + oldSpec.architecture + ", " +
                                 std::to_string(oldSpec.numLayers) + " layers, " + std::to_string(oldSpec.numExperts) +
                                 " experts); a chain holds one model shape, and " + dir + " is a " + cfg.modelType +
                                 " with " + std::to_string(cfg.numLayers) + " layers and " +
                                 std::to_string(cfg.numExperts) + " experts. Use another data dir for it");
    }

    // 1. Payloads, journaled.
    p.phase = ImportProgress::Phase::Writing;
    report();
    ModelSpec spec;
    spec.name = QFileInfo(QString::fromStdString(dir)).fileName().toStdString();
    spec.architecture = cfg.modelType;
    spec.hiddenSize = cfg.hiddenSize;
    spec.numLayers = cfg.numLayers;
    spec.numExperts = cfg.numExperts;
    spec.topK = cfg.topK;
    spec.vocabSize = cfg.vocabSize;
    spec.dtype = cfg.torchDtype;
    {
        QFile f(QString::fromStdString(dir + "/config.json"));
        if (!f.open(QIODevice::ReadOnly)) return makeError(ErrorCode::Io, dir + "/config.json: " + f.errorString().toStdString());
        spec.configJson = f.readAll().toStdString();
    }
    std::vector<storage::ObjectInfo> infos;
    std::set<crypto::Hash256> seen;
    auto last = std::chrono::steady_clock::now();
    for (const auto &c : plans) {
        if (cancel.load()) return cancelled();
        p.current = c.name;
        BLYAN_TRY(auto journaled, journal_.find(source, c.name));
        storage::ObjectInfo info;
        if (journaled && store_.has(journaled->hash)) {
            info = *journaled;
            ++p.resumed;
            p.bytesDone += c.dataBytes;
        } else {
            auto written = writeComponent(c, store_, cancel, [&](std::uint64_t n) {
                p.bytesDone += n;
                const auto now = std::chrono::steady_clock::now();
                if (now - last > std::chrono::milliseconds(200)) {
                    last = now;
                    report();
                }
            });
            if (!written.ok()) {
                if (cancel.load()) return cancelled();
                return written.error().context("writing component " + c.name);
            }
            info = *written;
            BLYAN_CHECK(journal_.record(source, c.name, info));
            ++p.written;
        }
        if (!seen.insert(info.hash).second) ++p.deduped;
        infos.push_back(info);
        spec.components.push_back({c.name, c.kind, c.layer, c.expert, {info.hash, info.size}, c.tensors.size()});
    }
    BLYAN_TRY(auto tok, putFile(store_, QString::fromStdString(dir + "/tokenizer.json")));
    if (tok) spec.tokenizerJson = PayloadRef{tok->hash, tok->size};
    BLYAN_TRY(auto tokCfg, putFile(store_, QString::fromStdString(dir + "/tokenizer_config.json")));
    if (tokCfg) spec.tokenizerConfigJson = PayloadRef{tokCfg->hash, tokCfg->size};

    // 2. Records: the spec on chain A, every component on chain B depending on it.
    const QByteArray specBytes = encodeModelSpec(spec);
    BLYAN_TRY(const auto specInfo, store_.put(ByteView(reinterpret_cast<const std::uint8_t *>(specBytes.constData()),
                                                       static_cast<std::size_t>(specBytes.size()))));
    std::vector<chain::ObjectRecord> records;
    records.push_back(recordFor(chain::ObjectChain::A, "model_spec", kSpecName, {}, specInfo));
    const chain::ObjectId specId = chain::objectId(records[0]);
    p.specId = crypto::hashToHex(specId);
    BLYAN_CHECK(journal_.setSpec(source, specId));
    for (std::size_t i = 0; i < plans.size(); ++i)
        records.push_back(recordFor(chain::ObjectChain::B, plans[i].kind, plans[i].name, {specId}, infos[i]));
    for (const auto &r : records)
        if (auto st = chain::checkObjectRecord(r); !st.ok()) return st.error().context("object " + r.name);

    // 3. Publish what the chain does not have yet, at most kMaxInFlight transactions waiting at a time.
    p.phase = ImportProgress::Phase::Publishing;
    std::vector<chain::ObjectId> ids;
    for (const auto &r : records) ids.push_back(chain::objectId(r));
    BLYAN_TRY(const auto onChain, chain_.published(ids));
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (onChain[i]) ++p.alreadyOnChain;
        else todo.push_back(i);
    }
    p.toPublish = static_cast<int>(todo.size());
    report();
    std::deque<std::pair<std::size_t, chain::TxId>> inFlight;
    std::size_t next = 0;
    while (next < todo.size() || !inFlight.empty()) {
        if (cancel.load()) return cancelled();
        while (next < todo.size() && inFlight.size() < kMaxInFlight) {
            const auto &r = records[todo[next]];
            p.current = r.name;
            auto txid = chain_.publish(r);
            if (!txid.ok()) return txid.error().context("publishing object " + r.name);
            inFlight.emplace_back(todo[next], *txid);
            ++next;
        }
        // Oldest first: transactions of one sender enter blocks in nonce order.
        BLYAN_TRY(const TxState s, chain_.txState(inFlight.front().second));
        if (s == TxState::Included) {
            inFlight.pop_front();
            ++p.published;
            report();
            continue;
        }
        if (s == TxState::Unknown)
            return makeError(ErrorCode::Internal, "the publish_object transaction of " + records[inFlight.front().first].name +
                                                      " left the mempool without entering a block; see the node log, "
                                                      "then run importmodel again (it resumes)");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    p.phase = ImportProgress::Phase::Done;
    p.current.clear();
    report();
    return p;
}

}  // namespace blyan::model
