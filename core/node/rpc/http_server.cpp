#include "node/rpc/http_server.h"

#include "util/log.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>

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

struct HttpServer::Connection {
    QByteArray buffer;
    bool headersDone = false;
    HttpRequest request;
    qsizetype bodyExpected = 0;
    bool keepAlive = true;
    bool busy = false;  // a delayed response is pending; stop reading until it is sent
    QTimer idle;
};

HttpServer::HttpServer(Handler handler, QObject *parent) : QObject(parent), handler_(std::move(handler))
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

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = server_.nextPendingConnection()) {
        if (connections_.size() >= kMaxConnections) {
            qCWarning(lcRpc) << "refusing connection: already" << connections_.size() << "open";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *conn = new Connection;
        connections_.insert(socket, conn);
        conn->idle.setSingleShot(true);
        conn->idle.setInterval(kIdleTimeoutMs);
        connect(&conn->idle, &QTimer::timeout, socket, [socket] { socket->disconnectFromHost(); });
        conn->idle.start();
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
    conn->idle.start();
    conn->buffer.append(socket->readAll());
    process(socket);
}

void HttpServer::process(QTcpSocket *socket)
{
    Connection *conn = connections_.value(socket);
    while (conn && !conn->busy) {
        if (!conn->headersDone) {
            const qsizetype end = conn->buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (conn->buffer.size() > kMaxHeaderBytes)
                    send(socket, HttpResponse::text(431, "request headers exceed 16 KiB"), false);
                return;
            }
            if (end > kMaxHeaderBytes) {
                send(socket, HttpResponse::text(431, "request headers exceed 16 KiB"), false);
                return;
            }
            const QList<QByteArray> lines = conn->buffer.left(end).split('\n');
            conn->buffer.remove(0, end + 4);
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
                send(socket, HttpResponse::text(400, "malformed request line; expected 'METHOD /path HTTP/1.1'"), false);
                return;
            }
            HttpRequest &req = conn->request;
            req = HttpRequest{};
            req.method = requestLine[0];
            req.path = requestLine[1];
            req.peer = socket->peerAddress();
            if (lines.size() - 1 > kMaxHeaders) {
                send(socket, HttpResponse::text(431, "too many request headers"), false);
                return;
            }
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0) {
                    send(socket, HttpResponse::text(400, "malformed header line"), false);
                    return;
                }
                req.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
            }
            const bool http10 = requestLine[2] == "HTTP/1.0";
            const QByteArray connection = req.header("connection").toLower();
            conn->keepAlive = http10 ? connection == "keep-alive" : connection != "close";
            if (req.headers.contains("transfer-encoding")) {
                send(socket, HttpResponse::text(501, "chunked request bodies are not supported; send Content-Length"), false);
                return;
            }
            bool okLen = true;
            const QByteArray lenHeader = req.header("content-length");
            const qlonglong len = lenHeader.isEmpty() ? 0 : lenHeader.toLongLong(&okLen);
            if (!okLen || len < 0) {
                send(socket, HttpResponse::text(400, "invalid Content-Length"), false);
                return;
            }
            if (len > kMaxBodyBytes) {
                send(socket, HttpResponse::text(413, "request body over 8 MiB"), false);
                return;
            }
            if (req.method == "POST" && lenHeader.isEmpty()) {
                send(socket, HttpResponse::text(411, "POST requests need a Content-Length header"), false);
                return;
            }
            conn->bodyExpected = static_cast<qsizetype>(len);
            conn->headersDone = true;
        }
        if (conn->buffer.size() < conn->bodyExpected) return;
        conn->request.body = conn->buffer.left(conn->bodyExpected);
        conn->buffer.remove(0, conn->bodyExpected);
        conn->headersDone = false;
        HttpResponse response;
        try {
            response = handler_(conn->request);
        } catch (const std::exception &e) {
            qCCritical(lcRpc) << "handler threw:" << e.what();
            response = HttpResponse::text(500, "internal error while handling the request");
        }
        const bool keepAlive = conn->keepAlive;
        if (response.delayMs > 0) {
            conn->busy = true;
            QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(response.delayMs, this, [this, guard, response, keepAlive] {
                if (!guard || !connections_.contains(guard.data())) return;
                Connection *c = connections_.value(guard.data());
                c->busy = false;
                send(guard.data(), response, keepAlive);
                if (!keepAlive) return;
                // Bytes that arrived while we were holding the answer were not read yet.
                c->buffer.append(guard->readAll());
                process(guard.data());
            });
            return;
        }
        send(socket, response, keepAlive);
        if (!keepAlive) return;
        conn = connections_.value(socket);
    }
}

void HttpServer::send(QTcpSocket *socket, const HttpResponse &r, bool keepAlive)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + httpReasonPhrase(r.status) + "\r\n";
    out += "Content-Type: " + r.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto &h : r.extraHeaders) out += h.first + ": " + h.second + "\r\n";
    out += "\r\n";
    out += r.body;
    socket->write(out);
    if (!keepAlive) {
        if (Connection *conn = connections_.value(socket)) conn->busy = true;  // ignore anything after
        socket->disconnectFromHost();
    }
}

}  // namespace blyan::node
