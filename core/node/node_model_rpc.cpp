// The model RPC methods (docs/rpc.md, "Model"): importmodel, abortimport, getmodel, chat, getchat,
// stopchat. Handlers only check parameters and read snapshots; import and generation run on the model
// service's own threads (model/model_service.h). chat without "stream" waits for the answer on the RPC
// thread (one request at a time there), so long answers should stream: chat {"stream": true} + getchat.

#include "model/model_service.h"
#include "node/node.h"
#include "node/node_rpc.h"
#include "node/rpc/rpc_table.h"
#include "util/config.h"
#include "util/paths.h"

#include <QDir>
#include <QJsonObject>
#include <QThread>

namespace blyan::node {

namespace {

QString qs(const std::string &s) { return QString::fromStdString(s); }
QString hex(const crypto::Hash256 &h) { return qs(crypto::hashToHex(h)); }
QJsonValue bytes(std::uint64_t n) { return QJsonValue(static_cast<qint64>(n)); }

QJsonObject importJson(const model::ImportProgress &p)
{
    return QJsonObject{{QStringLiteral("phase"), QLatin1String(model::phaseName(p.phase))},
                       {QStringLiteral("dir"), qs(p.dir)},
                       {QStringLiteral("bytes_done"), bytes(p.bytesDone)},
                       {QStringLiteral("bytes_total"), bytes(p.bytesTotal)},
                       {QStringLiteral("components"), p.components},
                       {QStringLiteral("written"), p.written},
                       {QStringLiteral("resumed"), p.resumed},
                       {QStringLiteral("deduped"), p.deduped},
                       {QStringLiteral("to_publish"), p.toPublish},
                       {QStringLiteral("published"), p.published},
                       {QStringLiteral("already_on_chain"), p.alreadyOnChain},
                       {QStringLiteral("current"), qs(p.current)},
                       {QStringLiteral("spec_id"), qs(p.specId)},
                       {QStringLiteral("error"), qs(p.error)}};
}

QJsonObject cacheJson(const engine::TieredStoreStats &s, const model::Budgets &b)
{
    return QJsonObject{{QStringLiteral("gpu_tier"), s.gpuTier},
                       {QStringLiteral("gpu_budget"), bytes(s.gpuBudget)},
                       {QStringLiteral("gpu_budget_source"), qs(b.gpuSource)},
                       {QStringLiteral("ram_budget"), bytes(s.ramBudget)},
                       {QStringLiteral("ram_budget_source"), qs(b.ramSource)},
                       {QStringLiteral("expert_bytes"), bytes(s.expertBytes)},
                       {QStringLiteral("gpu_bytes"), bytes(s.gpuBytes)},
                       {QStringLiteral("gpu_resident"), bytes(s.gpuResident)},
                       {QStringLiteral("ram_bytes"), bytes(s.ramBytes)},
                       {QStringLiteral("ram_resident"), bytes(s.ramResident)},
                       {QStringLiteral("gets"), bytes(s.gets)},
                       {QStringLiteral("gpu_hits"), bytes(s.gpuHits)},
                       {QStringLiteral("ram_hits"), bytes(s.ramHits)},
                       {QStringLiteral("cold_loads"), bytes(s.coldLoads)},
                       {QStringLiteral("cold_bytes"), bytes(s.coldBytes)},
                       {QStringLiteral("cold_seconds"), s.coldSeconds},
                       {QStringLiteral("prefetch_loads"), bytes(s.prefetchLoads)},
                       {QStringLiteral("evictions"), bytes(s.evictions)},
                       {QStringLiteral("verified"), bytes(s.verified)}};
}

QJsonObject modelSettingsJson(Node *node)
{
    const model::ModelService &svc = node->model();
    const model::ModelSettings st = svc.settings();
    const model::Budgets b = svc.budgets().ram ? svc.budgets() : model::resolveBudgets(st);
    const auto setting = [](const std::optional<std::uint64_t> &v) {
        return v ? QJsonValue(QString::number(*v)) : QJsonValue(QStringLiteral("auto"));
    };
    return QJsonObject{{QStringLiteral("device"), qs(st.device)},
                       {QStringLiteral("expertcacheram"), setting(st.ramBudget)},
                       {QStringLiteral("expertcachegpu"), setting(st.gpuBudget)},
                       {QStringLiteral("ram_budget"), bytes(b.ram)},
                       {QStringLiteral("ram_budget_source"), qs(b.ramSource)},
                       {QStringLiteral("gpu_budget"), bytes(b.gpu)},
                       {QStringLiteral("gpu_budget_source"), qs(b.gpuSource)},
                       {QStringLiteral("cuda_available"), node->status().cudaAvailable},
                       {QStringLiteral("config_file"), paths::configFile(node->dataDir())}};
}

QJsonObject modelJson(const model::ChainModel &m, bool withHeads)
{
    const model::ModelSpec &s = m.spec;
    int missingHeads = 0, missingPayloads = 0, upgraded = 0, experts = 0, routers = 0, base = 0;
    QJsonArray heads;
    for (const auto &c : m.components) {
        (c.kind == "expert" ? experts : c.kind == "router" ? routers : base) += 1;
        if (!c.head) ++missingHeads;
        else if (!c.payloadPresent) ++missingPayloads;
        if (c.upgraded) ++upgraded;
        if (!withHeads) continue;
        QJsonObject h{{QStringLiteral("name"), qs(c.name)}, {QStringLiteral("kind"), qs(c.kind)}};
        if (c.head) {
            h.insert(QStringLiteral("id"), hex(c.head->id));
            h.insert(QStringLiteral("payload_hash"), hex(c.head->record.payloadHash));
            h.insert(QStringLiteral("size"), bytes(c.head->record.size));
            h.insert(QStringLiteral("published_height"), bytes(c.head->publishedHeight));
            h.insert(QStringLiteral("payload_available"), c.payloadPresent);
        } else {
            h.insert(QStringLiteral("id"), QJsonValue());
        }
        heads.append(h);
    }
    QJsonObject o{{QStringLiteral("name"), qs(s.name)},
                  {QStringLiteral("spec_id"), hex(m.specId)},
                  {QStringLiteral("architecture"), qs(s.architecture)},
                  {QStringLiteral("hyperparameters"),
                   QJsonObject{{QStringLiteral("hidden_size"), static_cast<qint64>(s.hiddenSize)},
                               {QStringLiteral("num_layers"), static_cast<qint64>(s.numLayers)},
                               {QStringLiteral("num_experts"), static_cast<qint64>(s.numExperts)},
                               {QStringLiteral("top_k"), static_cast<qint64>(s.topK)},
                               {QStringLiteral("vocab_size"), static_cast<qint64>(s.vocabSize)},
                               {QStringLiteral("dtype"), qs(s.dtype)}}},
                  {QStringLiteral("tokenizer"), s.tokenizerJson.has_value()},
                  {QStringLiteral("chat_template"), s.tokenizerConfigJson.has_value()},
                  {QStringLiteral("components"),
                   QJsonObject{{QStringLiteral("total"), static_cast<qint64>(m.components.size())},
                               {QStringLiteral("base"), base}, {QStringLiteral("router"), routers},
                               {QStringLiteral("expert"), experts},
                               {QStringLiteral("missing_heads"), missingHeads},
                               {QStringLiteral("missing_payloads"), missingPayloads},
                               {QStringLiteral("upgraded"), upgraded}}},
                  {QStringLiteral("sizes"), QJsonObject{{QStringLiteral("base_bytes"), bytes(m.baseBytes)},
                                                        {QStringLiteral("expert_bytes"), bytes(m.expertBytes)}}}};
    if (withHeads) o.insert(QStringLiteral("heads"), heads);
    return o;
}

QJsonObject chatJson(const model::ChatState &c, std::size_t from)
{
    QJsonArray pieces;
    QString text;
    for (const auto &p : c.pieces) {
        pieces.append(QJsonObject{{QStringLiteral("token"), p.token}, {QStringLiteral("text"), qs(p.text)}});
        text += qs(p.text);
    }
    const bool done = c.state == "done" || c.state == "failed" || c.state == "cancelled";
    QJsonObject o{{QStringLiteral("chat_id"), static_cast<qint64>(c.id)},
                  {QStringLiteral("state"), qs(c.state)},
                  {QStringLiteral("done"), done},
                  {QStringLiteral("pieces"), pieces},
                  {QStringLiteral("text"), text},
                  {QStringLiteral("from"), static_cast<qint64>(from)},
                  {QStringLiteral("next"), static_cast<qint64>(c.totalPieces)}};
    if (!c.error.empty()) o.insert(QStringLiteral("error"), qs(c.error));
    if (c.result) {
        const auto &r = *c.result;
        QJsonArray ids;
        for (auto t : r.tokens) ids.append(t);
        QJsonArray experts;
        for (const auto &u : c.experts)
            experts.append(QJsonObject{{QStringLiteral("layer"), u.layer}, {QStringLiteral("expert"), u.expert},
                                       {QStringLiteral("object"), qs(u.object)}, {QStringLiteral("steps"), static_cast<qint64>(u.steps)}});
        o.insert(QStringLiteral("result"),
                 QJsonObject{{QStringLiteral("tokens"), ids},
                             {QStringLiteral("text"), qs(r.text)},
                             {QStringLiteral("stop_reason"), QLatin1String(engine::stopReasonName(r.reason))},
                             {QStringLiteral("prompt_tokens"), static_cast<qint64>(r.promptTokens)},
                             {QStringLiteral("reused_tokens"), static_cast<qint64>(r.reusedTokens)},
                             {QStringLiteral("prompt_seconds"), r.promptSeconds},
                             {QStringLiteral("generate_seconds"), r.generateSeconds},
                             {QStringLiteral("experts"), experts}});
    }
    return o;
}

Error bad(const std::string &m) { return Error(ErrorCode::InvalidArgument, m); }

// The first parameter of chat and tokenize: a prompt string, an array of messages, or null (prompt_ids).
Status parsePrompt(const QJsonValue &first, model::ChatRequest &r)
{
    if (first.isString()) {
        r.prompt = first.toString().toStdString();
    } else if (first.isArray()) {
        for (const auto &m : first.toArray()) {
            const QJsonObject o = m.toObject();
            if (!o.value(QStringLiteral("role")).isString() || !o.value(QStringLiteral("content")).isString())
                return bad("chat: each message must be {\"role\": ..., \"content\": ...}");
            r.messages.push_back({o.value(QStringLiteral("role")).toString().toStdString(),
                                  o.value(QStringLiteral("content")).toString().toStdString(), std::nullopt});
        }
    } else if (!first.isNull()) {
        return bad("chat: 'prompt_or_messages' must be a string, an array of messages, or null with prompt_ids");
    }
    return {};
}

Expected<std::vector<std::int32_t>> parsePromptIds(const QJsonValue &v)
{
    std::vector<std::int32_t> out;
    for (const auto &id : v.toArray()) {
        if (!id.isDouble() || id.toDouble() < 0 || id.toDouble() > 2147483647.0 || id.toDouble() != static_cast<double>(id.toInteger()))
            return bad("chat: prompt_ids must be token ids (integers from 0)");
        out.push_back(static_cast<std::int32_t>(id.toInteger()));
    }
    return out;
}

Expected<model::ChatRequest> parseChat(const QJsonArray &params, bool &stream)
{
    model::ChatRequest r;
    BLYAN_CHECK(parsePrompt(params[0], r));
    const QJsonObject o = params.size() > 1 ? params[1].toObject() : QJsonObject();
    if (params.size() > 1 && !params[1].isObject()) return bad("chat: 'options' must be an object");
    static const QStringList known{"max_tokens", "greedy", "temperature", "top_k", "top_p", "min_p", "repeat_penalty",
                                   "repeat_last_n", "seed", "stop", "ignore_eos", "prompt_ids", "stream", "think"};
    for (const auto &k : o.keys())
        if (!known.contains(k)) return bad("chat: unknown option '" + k.toStdString() + "' (" + known.join(QStringLiteral(", ")).toStdString() + ")");
    const auto num = [&](const char *k, double min, double max, double &out) -> Status {
        const QJsonValue v = o.value(QLatin1String(k));
        if (v.isUndefined()) return {};
        if (!v.isDouble() || v.toDouble() < min || v.toDouble() > max)
            return bad(std::string("chat: option '") + k + "' must be a number from " + std::to_string(min) + " to " + std::to_string(max));
        out = v.toDouble();
        return {};
    };
    auto &g = r.generation;
    double v = g.maxTokens;
    BLYAN_CHECK(num("max_tokens", 0, 1 << 20, v));
    g.maxTokens = static_cast<int>(v);
    v = g.sampler.temperature;
    BLYAN_CHECK(num("temperature", 0, 100, v));
    g.sampler.temperature = static_cast<float>(v);
    v = g.sampler.topK;
    BLYAN_CHECK(num("top_k", 0, 1 << 24, v));
    g.sampler.topK = static_cast<int>(v);
    v = g.sampler.topP;
    BLYAN_CHECK(num("top_p", 0, 1, v));
    g.sampler.topP = static_cast<float>(v);
    v = g.sampler.minP;
    BLYAN_CHECK(num("min_p", 0, 1, v));
    g.sampler.minP = static_cast<float>(v);
    v = g.sampler.repetitionPenalty;
    BLYAN_CHECK(num("repeat_penalty", 0.01, 100, v));
    g.sampler.repetitionPenalty = static_cast<float>(v);
    v = g.sampler.repetitionLastN;
    BLYAN_CHECK(num("repeat_last_n", -1, 1 << 24, v));
    g.sampler.repetitionLastN = static_cast<int>(v);
    if (o.contains(QStringLiteral("seed"))) {
        v = 0;
        BLYAN_CHECK(num("seed", 0, 9007199254740991.0, v));
        g.sampler.seed = static_cast<std::uint64_t>(v);
    }
    g.sampler.greedy = o.value(QStringLiteral("greedy")).toBool(false);
    g.ignoreEos = o.value(QStringLiteral("ignore_eos")).toBool(false);
    stream = o.value(QStringLiteral("stream")).toBool(false);
    if (o.contains(QStringLiteral("think"))) r.enableThinking = o.value(QStringLiteral("think")).toBool();
    for (const auto &s : o.value(QStringLiteral("stop")).toArray()) g.stopStrings.push_back(s.toString().toStdString());
    BLYAN_TRY(r.promptIds, parsePromptIds(o.value(QStringLiteral("prompt_ids"))));
    return r;
}

Expected<model::ChatRequest> parseTokenize(const QJsonArray &params, bool &withIds)
{
    model::ChatRequest r;
    BLYAN_CHECK(parsePrompt(params[0], r));
    if (params.size() > 1 && !params[1].isObject()) return bad("tokenize: 'options' must be an object");
    const QJsonObject o = params.size() > 1 ? params[1].toObject() : QJsonObject();
    for (const auto &k : o.keys())
        if (k != QLatin1String("think") && k != QLatin1String("ids") && k != QLatin1String("prompt_ids"))
            return bad("tokenize: unknown option '" + k.toStdString() + "' (think, ids, prompt_ids)");
    if (o.contains(QStringLiteral("think"))) r.enableThinking = o.value(QStringLiteral("think")).toBool();
    withIds = o.value(QStringLiteral("ids")).toBool(false);
    BLYAN_TRY(r.promptIds, parsePromptIds(o.value(QStringLiteral("prompt_ids"))));
    return r;
}

Expected<std::uint64_t> chatIdParam(const QJsonArray &params, const char *method)
{
    if (!params[0].isDouble() || params[0].toDouble() < 1)
        return bad(std::string(method) + ": 'chat_id' must be the id chat returned");
    return static_cast<std::uint64_t>(params[0].toInteger());
}

}  // namespace

void registerModelRpcMethods(RpcTable &table, Node *node)
{
    const QString cat = QStringLiteral("model");
    table.add({QStringLiteral("importmodel"), cat,
               QStringLiteral("Imports a Hugging Face checkpoint directory into the chain (runs in the background; see getmodel)."),
               {QStringLiteral("dir")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   if (!params[0].isString()) return bad("importmodel: 'dir' must be a string");
                   const QString dir = params[0].toString();
                   if (!QDir::isAbsolutePath(dir))
                       return bad("importmodel: 'dir' must be an absolute path (the node does not know the caller's "
                                  "working directory): " + dir.toStdString());
                   BLYAN_CHECK(node->model().startImport(QDir::cleanPath(dir).toStdString()));
                   return QJsonValue(importJson(node->model().importProgress()));
               }});
    table.add({QStringLiteral("abortimport"), cat, QStringLiteral("Cancels the running model import (it can resume later)."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   node->model().cancelImport();
                   return QJsonValue(importJson(node->model().importProgress()));
               }});
    table.add({QStringLiteral("getmodel"), cat,
               QStringLiteral("The model on the chain: spec, heads, sizes, expert cache state, import progress."),
               {QStringLiteral("heads")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 1));
                   const bool withHeads = params.size() > 0 && params[0].toBool(false);
                   model::ModelService &svc = node->model();
                   QJsonObject o{{QStringLiteral("import"), importJson(svc.importProgress())}};
                   auto loaded = svc.loaded();
                   if (loaded) {
                       QJsonObject mj = modelJson(*loaded, withHeads);
                       mj.insert(QStringLiteral("context_length"), static_cast<qint64>(loaded->model->maxContext()));
                       o.insert(QStringLiteral("model"), mj);
                   } else {
                       auto m = svc.readFromChain();
                       if (m.ok()) {
                           QJsonObject mj = modelJson(**m, withHeads);
                           mj.insert(QStringLiteral("context_length"),
                                     static_cast<qint64>(model::chatContextLength((*m)->spec, svc.settings().maxContext)));
                           o.insert(QStringLiteral("model"), mj);
                       } else {
                           o.insert(QStringLiteral("model"), QJsonValue());
                           o.insert(QStringLiteral("model_error"), qs(m.error().message));
                       }
                   }
                   o.insert(QStringLiteral("loaded"), loaded != nullptr);
                   if (!svc.loadError().empty()) o.insert(QStringLiteral("load_error"), qs(svc.loadError()));
                   QJsonObject rt{{QStringLiteral("device"), qs(svc.settings().device)}};
                   if (loaded) {
                       rt.insert(QStringLiteral("dtype"), qs(loaded->model->dtypeName()));
                       rt.insert(QStringLiteral("parameters"), static_cast<qint64>(loaded->model->parameterCount()));
                       if (loaded->experts) rt.insert(QStringLiteral("cache"), cacheJson(loaded->experts->stats(), svc.budgets()));
                   }
                   o.insert(QStringLiteral("runtime"), rt);
                   return QJsonValue(o);
               }});
    table.add({QStringLiteral("getmodelsettings"), cat,
               QStringLiteral("The model's device and expert-cache budgets: the settings (blyan.conf) and the budgets in force."), {},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 0, 0));
                   return QJsonValue(modelSettingsJson(node));
               }});
    table.add({QStringLiteral("setmodelsettings"), cat,
               QStringLiteral("Changes {device, expertcacheram, expertcachegpu} at once and in blyan.conf; \"auto\" is the hardware default."),
               {QStringLiteral("settings")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   if (!params[0].isObject())
                       return bad("setmodelsettings: 'settings' must be an object such as {\"expertcacheram\": \"8G\"}");
                   const QJsonObject in = params[0].toObject();
                   model::ModelService::SettingsChange change;
                   QMap<QString, std::optional<QString>> file;
                   for (auto it = in.begin(); it != in.end(); ++it) {
                       const QString key = it.key();
                       if (!it.value().isString())
                           return bad("setmodelsettings: '" + key.toStdString() + "' must be a string");
                       const QString v = it.value().toString().trimmed();
                       if (key == QLatin1String("device")) {
                           if (v != QLatin1String("cpu") && !v.startsWith(QLatin1String("cuda")))
                               return bad("setmodelsettings: device must be cpu, cuda or cuda:N, got '" + v.toStdString() + "'");
                           if (v.startsWith(QLatin1String("cuda")) && !node->status().cudaAvailable)
                               return bad("setmodelsettings: this build or computer has no CUDA device; keep cpu (a build against "
                                          "the CUDA LibTorch runs on the GPU)");
                           change.device = v.toStdString();
                           file.insert(QStringLiteral("modeldevice"), v == QLatin1String("cpu") ? std::nullopt : std::optional<QString>(v));
                       } else if (key == QLatin1String("expertcacheram") || key == QLatin1String("expertcachegpu")) {
                           std::optional<std::uint64_t> bytesValue;
                           if (v != QLatin1String("auto")) {
                               BLYAN_TRY(const quint64 n, parseByteSize(v, "setmodelsettings: " + key.toStdString()));
                               bytesValue = n;
                           }
                           (key == QLatin1String("expertcacheram") ? change.ramBudget : change.gpuBudget) = bytesValue;
                           file.insert(key, bytesValue ? std::optional<QString>(v) : std::nullopt);
                       } else {
                           return bad("setmodelsettings: unknown setting '" + key.toStdString() +
                                      "'; known: device, expertcacheram, expertcachegpu");
                       }
                   }
                   // The file first: a setting that cannot be kept is not applied either.
                   BLYAN_CHECK(updateConfigFile(paths::configFile(node->dataDir()), file));
                   node->model().updateSettings(change);
                   return QJsonValue(modelSettingsJson(node));
               }});
    table.add({QStringLiteral("chat"), cat,
               QStringLiteral("Generates an answer with the chain's model; {\"stream\": true} returns a chat_id to poll with getchat."),
               {QStringLiteral("prompt_or_messages"), QStringLiteral("options")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 2));
                   bool stream = false;
                   BLYAN_TRY(auto request, parseChat(params, stream));
                   model::ModelService &svc = node->model();
                   BLYAN_TRY(const std::uint64_t id, svc.startChat(std::move(request)));
                   if (stream) {
                       BLYAN_TRY(const auto s, svc.chat(id, 0));
                       return QJsonValue(chatJson(s, 0));
                   }
                   // Waits on the RPC thread (documented): a shutdown cancels the chat, which ends the wait.
                   while (true) {
                       BLYAN_TRY(const auto s, svc.chat(id, 0));
                       if (s.state == "done" || s.state == "cancelled") return QJsonValue(chatJson(s, 0));
                       if (s.state == "failed") return makeError(ErrorCode::Unavailable, s.error);
                       QThread::msleep(5);
                   }
               }});
    table.add({QStringLiteral("getchat"), cat,
               QStringLiteral("The pieces of a streamed chat from index `from` on, its state, and at the end the result."),
               {QStringLiteral("chat_id"), QStringLiteral("from")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 2));
                   BLYAN_TRY(const auto id, chatIdParam(params, "getchat"));
                   const std::size_t from = params.size() > 1 ? static_cast<std::size_t>(std::max<qint64>(0, params[1].toInteger())) : 0;
                   BLYAN_TRY(const auto s, node->model().chat(id, from));
                   return QJsonValue(chatJson(s, from));
               }});
    table.add({QStringLiteral("tokenize"), cat,
               QStringLiteral("Counts the tokens of a prompt or messages as chat would send them, and the context length."),
               {QStringLiteral("prompt_or_messages"), QStringLiteral("options")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 2));
                   bool withIds = false;
                   BLYAN_TRY(const auto request, parseTokenize(params, withIds));
                   BLYAN_TRY(const auto n, node->model().countTokens(request));
                   QJsonArray perMessage;
                   for (auto c : n.perMessage) perMessage.append(static_cast<qint64>(c));
                   QJsonObject o{{QStringLiteral("count"), static_cast<qint64>(n.count)},
                                 {QStringLiteral("context_length"), static_cast<qint64>(n.contextLength)},
                                 {QStringLiteral("message_tokens"), perMessage}};
                   if (withIds) {
                       QJsonArray ids;
                       for (auto t : n.ids) ids.append(t);
                       o.insert(QStringLiteral("ids"), ids);
                   }
                   return QJsonValue(o);
               }});
    table.add({QStringLiteral("stopchat"), cat, QStringLiteral("Cancels a chat (the answer so far stays readable)."),
               {QStringLiteral("chat_id")},
               [node](const QJsonArray &params) -> Expected<QJsonValue> {
                   BLYAN_CHECK(expectParamCount(params, 1, 1));
                   BLYAN_TRY(const auto id, chatIdParam(params, "stopchat"));
                   BLYAN_CHECK(node->model().cancelChat(id));
                   return QJsonValue(true);
               }});
}

}  // namespace blyan::node
