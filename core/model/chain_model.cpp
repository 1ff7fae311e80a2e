#include "model/chain_model.h"

#include "engine/checkpoint/checkpoint.h"
#include "engine/util/error.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace blyan::model {

namespace {

QByteArray qbytes(const Bytes &b) { return QByteArray(reinterpret_cast<const char *>(b.data()), static_cast<qsizetype>(b.size())); }

// bos_token / eos_token are strings or {"content": ...} objects (AddedToken) in tokenizer_config.json.
std::string tokenText(const QJsonValue &v)
{
    if (v.isString()) return v.toString().toStdString();
    if (v.isObject()) return v.toObject().value(QStringLiteral("content")).toString().toStdString();
    return {};
}

Status checkPayload(const storage::ObjectStore &store, const ComponentHead &c)
{
    auto info = store.verify(c.head->record.payloadHash);
    if (!info.ok())
        return Error(info.error().code, "object " + c.name + " (" + crypto::hashToHex(c.head->id) + "): " + info.error().message);
    if (info->size != c.head->record.size || info->merkleRoot != c.head->record.chunkMerkleRoot)
        return Error(ErrorCode::Corrupt, "object " + c.name + ": its payload does not match the record (size or chunk Merkle root)");
    return {};
}

// The head of model.spec and its decoded payload.
Status readSpec(const storage::ObjectStore &store, ModelChain &chain, chain::ObjectId &specId, ModelSpec &spec)
{
    BLYAN_TRY(const auto specHead, chain.heads({kSpecName}));
    if (!specHead[0])
        return makeError(ErrorCode::NotFound, "there is no model on this chain yet: import one with `importmodel DIR` "
                                              "(or File > Import model in the app)");
    specId = specHead[0]->id;
    auto specBytes = store.get(specHead[0]->record.payloadHash);
    if (!specBytes.ok()) return specBytes.error().context("the model spec (object model.spec)");
    BLYAN_TRY(spec, decodeModelSpec(qbytes(*specBytes)));
    return {};
}

// Tokenizer and chat template from the spec's payloads (either may be absent). Throws EngineError for a
// tokenizer or template the engine refuses.
Status loadText(const storage::ObjectStore &store, const ModelSpec &spec, std::shared_ptr<engine::Tokenizer> &tokenizer,
                std::optional<engine::ChatTemplate> &chatTemplate)
{
    if (spec.tokenizerJson) {
        BLYAN_TRY(const Bytes tj, store.get(spec.tokenizerJson->hash));
        tokenizer = std::make_shared<engine::Tokenizer>(
            engine::Tokenizer::fromJson(std::string_view(reinterpret_cast<const char *>(tj.data()), tj.size())));
    }
    if (spec.tokenizerConfigJson) {
        BLYAN_TRY(const Bytes tc, store.get(spec.tokenizerConfigJson->hash));
        const QJsonObject o = QJsonDocument::fromJson(qbytes(tc)).object();
        if (o.value(QStringLiteral("chat_template")).isString())
            chatTemplate = engine::ChatTemplate::fromSource(o.value(QStringLiteral("chat_template")).toString().toStdString(),
                                                            tokenText(o.value(QStringLiteral("bos_token"))),
                                                            tokenText(o.value(QStringLiteral("eos_token"))));
    }
    return {};
}

}  // namespace

std::int64_t chatContextLength(const ModelSpec &spec, std::int64_t maxContext)
{
    try {
        // As engine::Model::load: the KV cache a chat gets is the setting, capped by the model's positions.
        return std::min(maxContext, engine::ModelConfig::parse(spec.configJson, "model.spec config_json").maxPositionEmbeddings);
    } catch (const engine::EngineError &) {
        return 0;
    }
}

Expected<TextSide> loadTextSide(const storage::ObjectStore &store, ModelChain &chain, std::int64_t maxContext)
{
    TextSide t;
    ModelSpec spec;
    BLYAN_CHECK(readSpec(store, chain, t.specId, spec));
    t.contextLength = chatContextLength(spec, maxContext);
    try {
        BLYAN_CHECK(loadText(store, spec, t.tokenizer, t.chatTemplate));
    } catch (const engine::EngineError &e) {
        return makeError(ErrorCode::InvalidArgument, std::string("the model's tokenizer or chat template: ") + e.what());
    }
    return t;
}

Expected<std::shared_ptr<ChainModel>> readChainModel(const storage::ObjectStore &store, ModelChain &chain)
{
    auto m = std::make_shared<ChainModel>();
    BLYAN_CHECK(readSpec(store, chain, m->specId, m->spec));
    std::vector<std::string> names;
    for (const auto &c : m->spec.components) names.push_back(c.name);
    BLYAN_TRY(const auto heads, chain.heads(names));
    for (std::size_t i = 0; i < names.size(); ++i) {
        const SpecComponent &sc = m->spec.components[i];
        ComponentHead c{sc.name, sc.kind, sc.layer, sc.expert, heads[i], false, false};
        if (c.head) {
            c.payloadPresent = store.has(c.head->record.payloadHash);
            c.upgraded = c.head->record.payloadHash != sc.payload.hash;
            (sc.kind == "expert" ? m->expertBytes : m->baseBytes) += c.head->record.size;
        }
        m->components.push_back(std::move(c));
    }
    return m;
}

Expected<std::shared_ptr<ChainModel>> loadChainModel(const storage::ObjectStore &store, ModelChain &chain,
                                                     const ModelLoadOptions &options,
                                                     const std::function<void(const std::string &)> &progress)
{
    BLYAN_TRY(auto m, readChainModel(store, chain));
    const auto say = [&](const std::string &s) {
        if (progress) progress(s);
    };
    engine::ModelConfig config;
    try {
        config = engine::ModelConfig::parse(m->spec.configJson, "model.spec config_json");
    } catch (const engine::EngineError &e) {
        return makeError(ErrorCode::InvalidArgument, e.what());
    }
    // Base weights and routers: verified now, then mapped.
    std::vector<std::shared_ptr<engine::SafetensorsFile>> files;
    std::vector<engine::ExpertFile> experts(static_cast<std::size_t>(config.numLayers * config.numExperts));
    m->expertComponent.assign(experts.size(), -1);
    for (std::size_t i = 0; i < m->components.size(); ++i) {
        const ComponentHead &c = m->components[i];
        if (c.kind == "expert") {
            if (c.layer >= config.numLayers || c.expert >= config.numExperts)
                return makeError(ErrorCode::Corrupt, "model spec: " + c.name + " is outside the config's layers or experts");
            const std::size_t k = static_cast<std::size_t>(c.layer * config.numExperts + c.expert);
            engine::ExpertFile &f = experts[k];
            m->expertComponent[k] = static_cast<int>(i);
            f.name = c.name;
            if (!c.head)
                f.missingReason = "there is no object named " + c.name + " on the chain (the import did not finish: "
                                  "run importmodel again)";
            else if (!c.payloadPresent)
                f.missingReason = "its payload " + crypto::hashToHex(c.head->record.payloadHash) +
                                  " is not in this node's object store (" + store.objectPath(c.head->record.payloadHash).toStdString() +
                                  "); re-import the model with importmodel DIR to restore it";
            else
                f.path = store.objectPath(c.head->record.payloadHash).toStdString();
            continue;
        }
        if (!c.head) return makeError(ErrorCode::NotFound, "object " + c.name + " of the model is not on the chain: run importmodel again");
        if (!c.payloadPresent)
            return makeError(ErrorCode::NotFound, "object " + c.name + ": its payload is not in this node's object store; "
                                                  "re-import the model with importmodel DIR");
        say("verifying " + c.name);
        BLYAN_CHECK(checkPayload(store, c));
        try {
            files.push_back(engine::SafetensorsFile::open(store.objectPath(c.head->record.payloadHash).toStdString()));
        } catch (const engine::EngineError &e) {
            return makeError(ErrorCode::Corrupt, "object " + c.name + ": " + e.what());
        }
    }
    try {
        BLYAN_CHECK(loadText(store, m->spec, m->tokenizer, m->chatTemplate));
        say("loading weights");
        auto ck = engine::Checkpoint::fromFiles("chain model '" + m->spec.name + "'", config, std::move(files));
        if (config.numExperts > 0) {
            const storage::ObjectStore verifyStore = store;
            auto comps = m->components;
            auto index = m->expertComponent;
            const int64_t E = config.numExperts;
            m->experts = std::make_shared<engine::TieredExpertStore>(
                config, options.engine, options.tiers, std::move(experts),
                [verifyStore, comps, index, E](int layer, int expert) {
                    const ComponentHead &c = comps[static_cast<std::size_t>(index[static_cast<std::size_t>(layer * E + expert)])];
                    if (auto st = checkPayload(verifyStore, c); !st.ok()) throw engine::EngineError(st.error().message);
                });
        }
        m->model = engine::Model::load(ck, options.engine, m->experts);
    } catch (const engine::EngineError &e) {
        return makeError(ErrorCode::InvalidArgument, std::string("loading the chain model: ") + e.what());
    }
    return m;
}

}  // namespace blyan::model
