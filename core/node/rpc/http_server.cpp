#include "node/rpc/http_server.h"

#include "util/log.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace blyan::node {

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

static QByteArray encodeResponse(const HttpResponse &r, bool keepAlive)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + httpReasonPhrase(r.status) + "\r\n";
    out += "Content-Type: " + r.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto &h : r.extraHeaders) out += h.first + ": " + h.second + "\r\n";
    out += "\r\n";
    out += r.body;
    return out;
}

struct HttpServer::Connection {
    QByteArray buffer;
    bool headersDone = false;
    bool inRequest = false;  // a request has started arriving: the request deadline runs
    HttpRequest request;
    qsizetype bodyExpected = 0;
    bool keepAlive = true;
    bool busy = false;       // an answer is pending or the connection is closing: read nothing
    QTimer deadline;         // idle timeout between requests, request timeout within one
};

HttpServer::HttpServer(Handler handler, Preflight preflight, QObject *parent)
    : QObject(parent), handler_(std::move(handler)), preflight_(std::move(preflight))
{
    server_.setMaxPendingConnections(kMaxConnections);
    connect(&server_, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer() { close(); }

QString HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!server_.listen(address, port))
        return QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(server_.errorString());
    return {};
}

void HttpServer::close()
{
    server_.close();
    // Let answers already written go out (the `stop` call's own reply among them), bounded in
    // time so that a client that stops reading cannot hold up the shutdown.
    QElapsedTimer deadline;
    deadline.start();
    const auto sockets = connections_.keys();
    for (QTcpSocket *s : sockets) {
        delete connections_.take(s);
        s->disconnect(this);
        s->disconnectFromHost();
        const qint64 left = kCloseGraceMs - deadline.elapsed();
        if (s->state() != QAbstractSocket::UnconnectedState && left > 0) s->waitForDisconnected(static_cast<int>(left));
        s->abort();
        s->deleteLater();
    }
}

quint16 HttpServer::port() const { return server_.serverPort(); }
bool HttpServer::isListening() const { return server_.isListening(); }

void HttpServer::drop(QTcpSocket *socket)
{
    delete connections_.take(socket);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

bool HttpServer::evictIdleConnection()
{
    for (auto it = connections_.begin(); it != connections_.end(); ++it) {
        if (!it.value()->inRequest && !it.value()->busy) {
            qCInfo(lcRpc) << "connection table full: closing an idle connection";
            drop(it.key());
            return true;
        }
    }
    return false;
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = server_.nextPendingConnection()) {
        if (connections_.size() >= kMaxConnections && !evictIdleConnection()) {
            qCWarning(lcRpc) << "refusing connection: all" << connections_.size() << "slots are serving requests";
            socket->write(encodeResponse(HttpResponse::text(503, "too many RPC connections; try again shortly"), false));
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(kCloseGraceMs, socket, [socket] { socket->abort(); });
            continue;
        }
        auto *conn = new Connection;
        connections_.insert(socket, conn);
        conn->deadline.setSingleShot(true);
        connect(&conn->deadline, &QTimer::timeout, this, [this, socket] {
            qCDebug(lcRpc) << "closing a connection past its deadline";
            drop(socket);
        });
        conn->deadline.start(kIdleTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            delete connections_.take(socket);
            socket->deleteLater();
        });
    }
}

void HttpServer::onReadyRead(QTcpSocket *socket)
{
    Connection *conn = connections_.value(socket);
    if (!conn || conn->busy) return;
    conn->buffer.append(socket->readAll());
    process(socket);
}

std::optional<HttpResponse> HttpServer::parseHead(Connection &conn, const QByteArray &head, QTcpSocket *socket)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return HttpResponse::text(400, "malformed request line; expected 'METHOD /path HTTP/1.1'");
    if (lines.size() - 1 > kMaxHeaders) return HttpResponse::text(431, "too many request headers");
    HttpRequest &req = conn.request;
    req = HttpRequest{};
    req.method = requestLine[0];
    req.path = requestLine[1];
    req.peer = socket->peerAddress();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (!line.endsWith('\r')) return HttpResponse::text(400, "header lines must end with CRLF");
        line.chop(1);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return HttpResponse::text(400, "folded header lines are not accepted");
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).toLower();
        if (colon <= 0 || name.contains(' ') || name.contains('\t'))
            return HttpResponse::text(400, "malformed header line; expected 'Name: value'");
        if (req.headers.contains(name) && (name == "content-length" || name == "authorization" || name == "host"))
            return HttpResponse::text(400, "header '" + name + "' is repeated");
        req.headers.insert(name, line.mid(colon + 1).trimmed());
    }
    const bool http10 = requestLine[2] == "HTTP/1.0";
    const QByteArray connection = req.header("connection").toLower();
    conn.keepAlive = http10 ? connection == "keep-alive" : connection != "close";
    if (req.headers.contains("transfer-encoding"))
        return HttpResponse::text(501, "chunked request bodies are not supported; send Content-Length");
    const QByteArray lenHeader = req.header("content-length");
    if (req.method == "POST" && lenHeader.isEmpty())
        return HttpResponse::text(411, "POST requests need a Content-Length header");
    qlonglong len = 0;
    if (!lenHeader.isEmpty()) {
        const bool digitsOnly = lenHeader.size() <= 12 &&
                                std::all_of(lenHeader.begin(), lenHeader.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digitsOnly) return HttpResponse::text(400, "invalid Content-Length; expected a decimal byte count");
        len = lenHeader.toLongLong();
    }
    if (len > kMaxBodyBytes) return HttpResponse::text(413, "request body over 8 MiB");
    conn.bodyExpected = static_cast<qsizetype>(len);
    if (preflight_) return preflight_(req);
    return std::nullopt;
}

void HttpServer::process(QTcpSocket *socket)
{
    Connection *conn = connections_.value(socket);
    while (conn && !conn->busy) {
        if (!conn->inRequest) {
            if (conn->buffer.isEmpty()) return;
            conn->inRequest = true;
            conn->deadline.start(kRequestTimeoutMs);
        }
        if (!conn->headersDone) {
            const qsizetype end = conn->buffer.indexOf("\r\n\r\n");
            if (end < 0 || end > kMaxHeaderBytes) {
                if (end > kMaxHeaderBytes || conn->buffer.size() > kMaxHeaderBytes)
                    respond(socket, HttpResponse::text(431, "request headers exceed 16 KiB"), false);
                else if (conn->buffer.contains("\n\n"))
                    respond(socket, HttpResponse::text(400, "request lines must end with CRLF"), false);
                return;
            }
            const QByteArray head = conn->buffer.left(end + 1);  // keep the last line's CR
            conn->buffer.remove(0, end + 4);
            if (auto refusal = parseHead(*conn, head, socket)) {
                respond(socket, *refusal, false);  // never read the body of a refused request
                return;
            }
            conn->headersDone = true;
        }
        if (conn->buffer.size() < conn->bodyExpected) return;
        conn->request.body = conn->buffer.left(conn->bodyExpected);
        conn->buffer.remove(0, conn->bodyExpected);
        conn->headersDone = false;
        conn->inRequest = false;
        HttpResponse response;
        try {
            response = handler_(conn->request);
        } catch (const std::exception &e) {
            qCCritical(lcRpc) << "handler threw:" << e.what();
            response = HttpResponse::text(500, "internal error while handling the request");
        }
        respond(socket, response, conn->keepAlive);
        conn = connections_.value(socket);
    }
}

void HttpServer::respond(QTcpSocket *socket, const HttpResponse &response, bool keepAlive)
{
    Connection *conn = connections_.value(socket);
    if (!conn) return;
    if (response.delayMs <= 0) {
        send(socket, response, keepAlive);
        if (keepAlive && (conn = connections_.value(socket))) conn->deadline.start(kIdleTimeoutMs);
        return;
    }
    conn->busy = true;
    QPointer<QTcpSocket> guard(socket);
    QTimer::singleShot(response.delayMs, this, [this, guard, response, keepAlive] {
        if (!guard || !connections_.contains(guard.data())) return;
        Connection *c = connections_.value(guard.data());
        c->busy = false;
        send(guard.data(), response, keepAlive);
        if (!keepAlive) return;
        c->deadline.start(kIdleTimeoutMs);
        // Bytes that arrived while we were holding the answer were not read yet.
        c->buffer.append(guard->readAll());
        process(guard.data());
    });
}

void HttpServer::send(QTcpSocket *socket, const HttpResponse &r, bool keepAlive)
{
    socket->write(encodeResponse(r, keepAlive));
    if (!keepAlive) {
        if (Connection *conn = connections_.value(socket)) conn->busy = true;  // ignore anything after
        socket->disconnectFromHost();
    }
}

}  // namespace blyan::node
