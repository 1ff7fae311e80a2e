#pragma once
// The JSON-RPC method table. Each subsystem registers its methods (name, help, parameter names
// and a handler); the server only decodes requests, authenticates, dispatches and encodes.
// Handlers run on the RPC thread and must not block for long: slow work goes to a worker.

#include "util/error.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>

namespace blyan::node {

// bitcoind-compatible error codes where one exists.
namespace rpc_code {
constexpr int ParseError = -32700;
constexpr int InvalidRequest = -32600;
constexpr int MethodNotFound = -32601;
constexpr int InvalidParams = -32602;
constexpr int InternalError = -32603;
constexpr int MiscError = -1;
constexpr int TypeError = -3;
constexpr int InvalidAddressOrKey = -5;
constexpr int InvalidParameter = -8;
constexpr int DatabaseError = -20;
constexpr int ClientInInitialDownload = -10;
constexpr int WalletError = -4;
constexpr int WalletUnlockNeeded = -13;
constexpr int WalletPassphraseIncorrect = -14;
constexpr int WalletNotFound = -18;
}  // namespace rpc_code

struct RpcError {
    int code = rpc_code::MiscError;
    QString message;
};

// Maps a node Error to the closest JSON-RPC code, keeping the message (it says what to do).
RpcError toRpcError(const Error &e);

struct RpcMethod {
    QString name;
    QString category;      // "control", "blockchain", "wallet", ...
    QString summary;       // one line for `help`
    QStringList params;    // positional names; named params map onto these
    std::function<Expected<QJsonValue>(const QJsonArray &params)> handler;
};

class RpcTable {
public:
    void add(RpcMethod method);
    const RpcMethod *find(const QString &name) const;
    QStringList names() const;
    QString help(const QString &name = {}) const;

private:
    std::map<QString, RpcMethod> methods_;
};

// Helpers for handlers: strict parameter access with errors naming the parameter.
Status expectParamCount(const QJsonArray &params, int min, int max);
// params[i] as a string, or "METHOD: 'NAME' must be a string".
Expected<QString> stringParam(const QJsonArray &params, int i, const char *method, const char *name);
// params[i] as a whole number in [min, max], or an error naming the range.
Expected<qint64> intParam(const QJsonArray &params, int i, const char *method, const char *name, qint64 min, qint64 max);
// params[i] as a string; absent or null: "" when `optional`, else "METHOD: 'NAME' is required".
Expected<QString> textParam(const QJsonArray &params, int i, const char *method, const char *name, bool optional = false);
// As textParam, but a JSON number (blyan-cli sends 12.5 or a proposal number as one) is taken as its
// shortest exact text ("12.5").
Expected<QString> numberTextParam(const QJsonArray &params, int i, const char *method, const char *name,
                                  bool optional = false);
// The same for an optional parameter: `fallback` when params[i] is absent or null.
Expected<qint64> intParamOr(const QJsonArray &params, int i, const char *method, const char *name, qint64 min, qint64 max,
                            qint64 fallback);

}  // namespace blyan::node
