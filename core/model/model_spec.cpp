#include "model/model_spec.h"

#include "chain/object.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

namespace blyan::model {

namespace {

QString hex(const crypto::Hash256 &h) { return QString::fromStdString(crypto::hashToHex(h)); }

QJsonObject payloadJson(const PayloadRef &p)
{
    return QJsonObject{{QStringLiteral("hash"), hex(p.hash)}, {QStringLiteral("size"), QString::number(p.size)}};
}

Error bad(const std::string &what) { return Error(ErrorCode::Malformed, "model spec: " + what); }

Expected<std::uint64_t> u64(const QJsonObject &o, const char *key, const std::string &where)
{
    // Sizes travel as decimal strings: JSON numbers above 2^53 are not exact in most readers.
    const QJsonValue v = o.value(QLatin1String(key));
    bool ok = false;
    const qulonglong n = v.toString().toULongLong(&ok);
    if (!v.isString() || !ok) return bad(where + "." + key + " must be a decimal string");
    return static_cast<std::uint64_t>(n);
}

Expected<std::int64_t> integer(const QJsonObject &o, const char *key, const std::string &where, std::int64_t min)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble() || v.toDouble() != static_cast<double>(v.toInteger()) || v.toInteger() < min)
        return bad(where + "." + key + " must be an integer >= " + std::to_string(min));
    return v.toInteger();
}

Expected<std::string> text(const QJsonObject &o, const char *key, const std::string &where)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString()) return bad(where + "." + key + " must be a string");
    return v.toString().toStdString();
}

Expected<PayloadRef> payload(const QJsonObject &o, const char *hashKey, const char *sizeKey, const std::string &where)
{
    PayloadRef p;
    BLYAN_TRY(const std::string h, text(o, hashKey, where));
    auto parsed = crypto::hashFromHex(h);
    if (!parsed.ok()) return bad(where + "." + hashKey + " must be 64 hex digits");
    p.hash = *parsed;
    BLYAN_TRY(p.size, u64(o, sizeKey, where));
    return p;
}

}  // namespace

const SpecComponent *ModelSpec::find(const std::string &componentName) const
{
    for (const auto &c : components)
        if (c.name == componentName) return &c;
    return nullptr;
}

QByteArray encodeModelSpec(const ModelSpec &s)
{
    QJsonArray comps;
    for (const auto &c : s.components) {
        QJsonObject o{{QStringLiteral("name"), QString::fromStdString(c.name)},
                      {QStringLiteral("kind"), QString::fromStdString(c.kind)},
                      {QStringLiteral("payload_hash"), hex(c.payload.hash)},
                      {QStringLiteral("size"), QString::number(c.payload.size)},
                      {QStringLiteral("tensors"), static_cast<qint64>(c.tensors)}};
        if (c.layer >= 0) o.insert(QStringLiteral("layer"), c.layer);
        if (c.expert >= 0) o.insert(QStringLiteral("expert"), c.expert);
        comps.append(o);
    }
    QJsonObject hp{{QStringLiteral("hidden_size"), static_cast<qint64>(s.hiddenSize)},
                   {QStringLiteral("num_layers"), static_cast<qint64>(s.numLayers)},
                   {QStringLiteral("num_experts"), static_cast<qint64>(s.numExperts)},
                   {QStringLiteral("top_k"), static_cast<qint64>(s.topK)},
                   {QStringLiteral("vocab_size"), static_cast<qint64>(s.vocabSize)},
                   {QStringLiteral("dtype"), QString::fromStdString(s.dtype)}};
    QJsonObject root{{QStringLiteral("format"), QLatin1String(kSpecFormat)},
                     {QStringLiteral("name"), QString::fromStdString(s.name)},
                     {QStringLiteral("architecture"), QString::fromStdString(s.architecture)},
                     {QStringLiteral("config_json"), QString::fromStdString(s.configJson)},
                     {QStringLiteral("hyperparameters"), hp},
                     {QStringLiteral("components"), comps}};
    if (s.tokenizerJson) root.insert(QStringLiteral("tokenizer_json"), payloadJson(*s.tokenizerJson));
    if (s.tokenizerConfigJson) root.insert(QStringLiteral("tokenizer_config_json"), payloadJson(*s.tokenizerConfigJson));
    // QJsonDocument writes object keys sorted, so one spec has one encoding.
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

Expected<ModelSpec> decodeModelSpec(const QByteArray &bytes)
{
    if (static_cast<std::uint64_t>(bytes.size()) > kMaxSpecBytes) return bad("larger than 64 MiB");
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return bad("not a JSON object (" + pe.errorString().toStdString() + ")");
    const QJsonObject root = doc.object();
    ModelSpec s;
    BLYAN_TRY(const std::string format, text(root, "format", "spec"));
    if (format != kSpecFormat)
        return bad("format '" + format + "' is not " + kSpecFormat + " (a newer Blyan wrote it? update this node)");
    BLYAN_TRY(s.name, text(root, "name", "spec"));
    BLYAN_TRY(s.architecture, text(root, "architecture", "spec"));
    BLYAN_TRY(s.configJson, text(root, "config_json", "spec"));
    if (root.contains(QStringLiteral("tokenizer_json"))) {
        const QJsonValue v = root.value(QStringLiteral("tokenizer_json"));
        if (!v.isObject()) return bad("spec.tokenizer_json must be an object");
        BLYAN_TRY(auto p, payload(v.toObject(), "hash", "size", "tokenizer_json"));
        s.tokenizerJson = p;
    }
    if (root.contains(QStringLiteral("tokenizer_config_json"))) {
        const QJsonValue v = root.value(QStringLiteral("tokenizer_config_json"));
        if (!v.isObject()) return bad("spec.tokenizer_config_json must be an object");
        BLYAN_TRY(auto p, payload(v.toObject(), "hash", "size", "tokenizer_config_json"));
        s.tokenizerConfigJson = p;
    }
    const QJsonObject hp = root.value(QStringLiteral("hyperparameters")).toObject();
    BLYAN_TRY(s.hiddenSize, integer(hp, "hidden_size", "hyperparameters", 1));
    BLYAN_TRY(s.numLayers, integer(hp, "num_layers", "hyperparameters", 1));
    BLYAN_TRY(s.numExperts, integer(hp, "num_experts", "hyperparameters", 0));
    BLYAN_TRY(s.topK, integer(hp, "top_k", "hyperparameters", 0));
    BLYAN_TRY(s.vocabSize, integer(hp, "vocab_size", "hyperparameters", 1));
    BLYAN_TRY(s.dtype, text(hp, "dtype", "hyperparameters"));
    const QJsonValue comps = root.value(QStringLiteral("components"));
    if (!comps.isArray()) return bad("spec.components must be an array");
    std::set<std::string> names;
    for (qsizetype i = 0; i < comps.toArray().size(); ++i) {
        const QJsonValue v = comps.toArray().at(i);
        const std::string where = "components[" + std::to_string(i) + "]";
        if (!v.isObject()) return bad(where + " must be an object");
        const QJsonObject o = v.toObject();
        SpecComponent c;
        BLYAN_TRY(c.name, text(o, "name", where));
        if (auto st = chain::checkObjectName(c.name); !st.ok()) return bad(where + ".name: " + st.error().message);
        if (!names.insert(c.name).second) return bad(where + ": the name '" + c.name + "' appears twice");
        BLYAN_TRY(c.kind, text(o, "kind", where));
        if (c.kind != "base" && c.kind != "router" && c.kind != "expert")
            return bad(where + ".kind '" + c.kind + "' is not base, router or expert");
        if (o.contains(QStringLiteral("layer"))) {
            BLYAN_TRY(const auto l, integer(o, "layer", where, 0));
            c.layer = static_cast<int>(l);
        }
        if (o.contains(QStringLiteral("expert"))) {
            BLYAN_TRY(const auto e, integer(o, "expert", where, 0));
            c.expert = static_cast<int>(e);
        }
        if (c.kind == "expert" && (c.layer < 0 || c.expert < 0)) return bad(where + ": an expert needs layer and expert");
        BLYAN_TRY(c.payload, payload(o, "payload_hash", "size", where));
        BLYAN_TRY(const auto t, integer(o, "tensors", where, 1));
        c.tensors = static_cast<std::uint64_t>(t);
        s.components.push_back(std::move(c));
    }
    return s;
}

}  // namespace blyan::model
