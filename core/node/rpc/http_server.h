#pragma once
// A small, strict HTTP/1.1 server for the local JSON-RPC endpoint (and later the OpenAI-compatible
// API). Written on QTcpServer rather than QHttpServer so that every limit and error answer is
// ours: bounded headers and bodies, no chunked request bodies, idle timeouts, keep-alive.
// Lives on the RPC thread; handlers are called there.

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

#include <functional>
#include <optional>

class QTcpSocket;

namespace blyan::node {

struct HttpRequest {
    QByteArray method;          // "POST"
    QByteArray path;            // "/"
    QHash<QByteArray, QByteArray> headers;  // names lower-cased
    QByteArray body;
    QHostAddress peer;
    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> extraHeaders;
    int delayMs = 0;            // answer later without blocking (e.g. after a failed authentication)

    // A plain-text answer; the body should say what is wrong and what to do.
    static HttpResponse text(int status, const QByteArray &message)
    {
        HttpResponse r;
        r.status = status;
        r.contentType = "text/plain; charset=utf-8";
        r.body = message + '\n';
        return r;
    }
};

class HttpServer : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;
    // Runs once the headers are in, before any body byte is read: authentication and routing
    // refuse here, so an unauthenticated client can never make the server buffer a body.
    using Preflight = std::function<std::optional<HttpResponse>(const HttpRequest &)>;

    static constexpr int kMaxHeaderBytes = 16 * 1024;
    static constexpr int kMaxHeaders = 64;
    static constexpr int kMaxBodyBytes = 8 * 1024 * 1024;
    static constexpr int kMaxConnections = 64;
    // A connection waiting for its next request is closed after this long.
    static constexpr int kIdleTimeoutMs = 30 * 1000;
    // A request must be complete this long after its first byte: reads do not extend it, so
    // a client trickling bytes (slowloris) cannot hold a connection slot.
    static constexpr int kRequestTimeoutMs = 10 * 1000;
    static constexpr int kCloseGraceMs = 2000;  // at shutdown, for answers still being sent

    HttpServer(Handler handler, Preflight preflight = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    // Returns an empty string on success, otherwise why listening failed.
    QString listen(const QHostAddress &address, quint16 port);
    void close();
    quint16 port() const;
    bool isListening() const;

private:
    struct Connection;
    void onNewConnection();
    bool evictIdleConnection();
    void onReadyRead(QTcpSocket *socket);
    void process(QTcpSocket *socket);
    std::optional<HttpResponse> parseHead(Connection &conn, const QByteArray &head, QTcpSocket *socket);
    void respond(QTcpSocket *socket, const HttpResponse &response, bool keepAlive);
    void send(QTcpSocket *socket, const HttpResponse &response, bool keepAlive);
    void drop(QTcpSocket *socket);

    Handler handler_;
    Preflight preflight_;
    QTcpServer server_;
    QHash<QTcpSocket *, Connection *> connections_;
};

QByteArray httpReasonPhrase(int status);

}  // namespace blyan::node
