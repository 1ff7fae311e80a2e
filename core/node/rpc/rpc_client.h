#pragma once
// A blocking JSON-RPC client for blyan-cli and the integration tests (never used on a UI thread).

#include "util/error.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonValue>
#include <QString>

namespace blyan::node {

struct RpcCallError {
    enum Kind { Transport, Http, Rpc } kind = Transport;
    int code = 0;          // HTTP status or JSON-RPC error code
    QString message;
};

struct RpcCallResult {
    bool ok = false;
    QJsonValue result;
    RpcCallError error;
};

class RpcClient {
public:
    RpcClient(QString host, quint16 port, QByteArray cookie, int timeoutMs = 30000);
    RpcCallResult call(const QString &method, const QJsonArray &params = {});
    // Sends raw bytes as the request body (tests of malformed input).
    RpcCallResult callRaw(const QByteArray &body, const QByteArray &authorization);

private:
    QString host_;
    quint16 port_;
    QByteArray cookie_;
    int timeoutMs_;
};

// bitcoin-cli's conversion of command-line words: a word that parses as JSON (number, true,
// false, null, array, object, "quoted string") is that value, anything else is a string.
QJsonValue parseCliArgument(const QString &word);

}  // namespace blyan::node
