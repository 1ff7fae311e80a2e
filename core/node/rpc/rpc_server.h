#pragma once
// JSON-RPC over local HTTP with cookie auth (bitcoind style): POST / with a JSON-RPC 1.0/2.0
// request or a batch array; replies {"result", "error", "id"}. Lives on the RPC thread.

#include "node/rpc/http_server.h"
#include "node/rpc/rpc_table.h"

#include <QJsonObject>
#include <QObject>

#include <atomic>
#include <memory>

namespace blyan::node {

class RpcServer : public QObject {
    Q_OBJECT
public:
    // The table must outlive the server; it is only read after start.
    RpcServer(const RpcTable *table, QByteArray cookie, QObject *parent = nullptr);
    ~RpcServer() override;

    // Invoked on the RPC thread; returns "" on success or why listening failed.
    Q_INVOKABLE QString start(const QString &address, quint16 port);
    Q_INVOKABLE void stop();
    quint16 port() const { return port_; }
    int requestsServed() const { return served_.load(); }

    // Authentication and routing, decided on the headers alone (before any body is read).
    std::optional<HttpResponse> preflight(const HttpRequest &request) const;
    // Decodes the JSON-RPC body and dispatches it.
    HttpResponse handle(const HttpRequest &request);
    QJsonObject dispatch(const QJsonValue &request);

private:
    const RpcTable *table_;
    QByteArray cookie_;
    std::unique_ptr<HttpServer> http_;
    quint16 port_ = 0;
    std::atomic<int> served_{0};
};

}  // namespace blyan::node
