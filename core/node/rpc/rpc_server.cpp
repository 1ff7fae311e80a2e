#include "node/rpc/rpc_server.h"

#include "node/rpc/cookie.h"
#include "util/log.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace blyan::node {

namespace {

// Answer failed authentication late: makes guessing cookies from a local process slow.
constexpr int kAuthFailureDelayMs = 250;
constexpr int kMaxBatch = 1000;

QJsonObject errorObject(int code, const QString &message)
{
    return QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
}

QJsonObject reply(const QJsonValue &id, const QJsonValue &result, const QJsonValue &error)
{
    return QJsonObject{{QStringLiteral("result"), result}, {QStringLiteral("error"), error}, {QStringLiteral("id"), id}};
}

HttpResponse jsonResponse(int status, const QJsonDocument &doc)
{
    HttpResponse r;
    r.status = status;
    r.body = doc.toJson(QJsonDocument::Compact) + '\n';
    return r;
}

}  // namespace

RpcServer::RpcServer(const RpcTable *table, QByteArray cookie, QObject *parent)
    : QObject(parent), table_(table), cookie_(std::move(cookie))
{
}

RpcServer::~RpcServer() = default;

QString RpcServer::start(const QString &address, quint16 port)
{
    http_ = std::make_unique<HttpServer>([this](const HttpRequest &r) { return handle(r); },
                                         [this](const HttpRequest &r) { return preflight(r); });
    const QString err = http_->listen(QHostAddress(address), port);
    if (!err.isEmpty()) {
        http_.reset();
        return err;
    }
    port_ = http_->port();
    qCInfo(lcRpc) << "JSON-RPC listening on" << address << port_;
    return {};
}

void RpcServer::stop()
{
    if (http_) http_->close();
    http_.reset();
}

std::optional<HttpResponse> RpcServer::preflight(const HttpRequest &request) const
{
    if (!checkBasicAuth(request.header("authorization"), cookie_)) {
        qCWarning(lcRpc) << "rejected RPC request with a wrong or missing cookie from" << request.peer.toString();
        HttpResponse r = HttpResponse::text(
            401, "authorization failed: wrong or missing RPC cookie; clients read it from <datadir>/.cookie");
        r.extraHeaders.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Basic realm=\"blyan-rpc\"")));
        r.delayMs = kAuthFailureDelayMs;
        return r;
    }
    if (request.path != "/") return HttpResponse::text(404, "no such endpoint; JSON-RPC is served at /");
    if (request.method != "POST") {
        HttpResponse r = HttpResponse::text(405, "JSON-RPC requests must use POST");
        r.extraHeaders.append(qMakePair(QByteArray("Allow"), QByteArray("POST")));
        return r;
    }
    return std::nullopt;
}

HttpResponse RpcServer::handle(const HttpRequest &request)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &perr);
    if (perr.error != QJsonParseError::NoError) {
        return jsonResponse(400, QJsonDocument(reply(QJsonValue::Null, QJsonValue::Null,
                                                     errorObject(rpc_code::ParseError,
                                                                 QStringLiteral("request is not valid JSON: %1 at offset %2")
                                                                     .arg(perr.errorString())
                                                                     .arg(perr.offset)))));
    }
    if (doc.isArray()) {
        const QJsonArray batch = doc.array();
        if (batch.size() > kMaxBatch)
            return jsonResponse(400, QJsonDocument(reply(QJsonValue::Null, QJsonValue::Null,
                                                         errorObject(rpc_code::InvalidRequest,
                                                                     QStringLiteral("batch of %1 requests is over the limit of %2")
                                                                         .arg(batch.size()).arg(kMaxBatch)))));
        QJsonArray out;
        for (const QJsonValue &item : batch) out.append(dispatch(item));
        return jsonResponse(200, QJsonDocument(out));
    }
    return jsonResponse(200, QJsonDocument(dispatch(doc.object())));
}

QJsonObject RpcServer::dispatch(const QJsonValue &requestValue)
{
    served_.fetch_add(1);
    if (!requestValue.isObject())
        return reply(QJsonValue::Null, QJsonValue::Null,
                     errorObject(rpc_code::InvalidRequest, QStringLiteral("a request must be a JSON object")));
    const QJsonObject req = requestValue.toObject();
    const QJsonValue id = req.value(QStringLiteral("id"));
    const QJsonValue methodValue = req.value(QStringLiteral("method"));
    if (!methodValue.isString())
        return reply(id, QJsonValue::Null,
                     errorObject(rpc_code::InvalidRequest, QStringLiteral("'method' must be a string")));
    const QString name = methodValue.toString();
    const RpcMethod *method = table_->find(name);
    if (!method)
        return reply(id, QJsonValue::Null,
                     errorObject(rpc_code::MethodNotFound,
                                 QStringLiteral("Method not found: '%1'; 'help' lists the methods").arg(name)));

    QJsonArray params;
    const QJsonValue p = req.value(QStringLiteral("params"));
    if (p.isArray()) {
        params = p.toArray();
    } else if (p.isObject()) {
        // Named parameters map onto the positional list; an unknown name is an error.
        const QJsonObject named = p.toObject();
        for (auto it = named.begin(); it != named.end(); ++it)
            if (!method->params.contains(it.key()))
                return reply(id, QJsonValue::Null,
                             errorObject(rpc_code::InvalidParameter,
                                         QStringLiteral("unknown named parameter '%1' for %2").arg(it.key(), name)));
        int last = -1;
        for (int i = 0; i < method->params.size(); ++i)
            if (named.contains(method->params[i])) last = i;
        for (int i = 0; i <= last; ++i) params.append(named.value(method->params[i]));
    } else if (!p.isUndefined() && !p.isNull()) {
        return reply(id, QJsonValue::Null,
                     errorObject(rpc_code::InvalidRequest, QStringLiteral("'params' must be an array or an object")));
    }

    qCDebug(lcRpc) << "call" << name;
    Expected<QJsonValue> result = method->handler(params);
    if (!result.ok()) {
        const RpcError e = toRpcError(result.error());
        return reply(id, QJsonValue::Null, errorObject(e.code, e.message));
    }
    return reply(id, result.value(), QJsonValue::Null);
}

}  // namespace blyan::node
