#include "node/rpc/rpc_table.h"

namespace blyan::node {

RpcError toRpcError(const Error &e)
{
    RpcError r;
    r.message = QString::fromStdString(e.message);
    switch (e.code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::LimitExceeded: r.code = rpc_code::InvalidParameter; break;
    case ErrorCode::Malformed: r.code = rpc_code::TypeError; break;
    case ErrorCode::NotFound: r.code = rpc_code::InvalidAddressOrKey; break;
    case ErrorCode::Database: r.code = rpc_code::DatabaseError; break;
    case ErrorCode::Internal: r.code = rpc_code::InternalError; break;
    case ErrorCode::WalletLocked: r.code = rpc_code::WalletUnlockNeeded; break;
    case ErrorCode::WrongPassphrase: r.code = rpc_code::WalletPassphraseIncorrect; break;
    case ErrorCode::NoWallet: r.code = rpc_code::WalletNotFound; break;
    default: r.code = rpc_code::MiscError; break;
    }
    return r;
}

void RpcTable::add(RpcMethod method)
{
    const QString name = method.name;
    methods_[name] = std::move(method);
}

const RpcMethod *RpcTable::find(const QString &name) const
{
    auto it = methods_.find(name);
    return it == methods_.end() ? nullptr : &it->second;
}

QStringList RpcTable::names() const
{
    QStringList out;
    for (const auto &[name, m] : methods_) out << name;
    return out;
}

QString RpcTable::help(const QString &name) const
{
    if (!name.isEmpty()) {
        const RpcMethod *m = find(name);
        if (!m) return {};
        QString s = m->name;
        for (const QString &p : m->params) s += QStringLiteral(" ") + p;
        return s + QStringLiteral("\n\n") + m->summary;
    }
    // Grouped by category like bitcoind's help.
    std::map<QString, QStringList> byCategory;
    for (const auto &[n, m] : methods_) {
        QString line = n;
        for (const QString &p : m.params) line += QStringLiteral(" ") + p;
        byCategory[m.category] << line;
    }
    QString out;
    for (const auto &[category, lines] : byCategory) {
        if (!out.isEmpty()) out += QLatin1Char('\n');
        out += QStringLiteral("== ") + category.left(1).toUpper() + category.mid(1) + QStringLiteral(" ==\n");
        out += lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
    }
    return out;
}

Status expectParamCount(const QJsonArray &params, int min, int max)
{
    if (params.size() < min || params.size() > max) {
        const std::string expected = min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
        return makeError(ErrorCode::InvalidArgument,
                         "expected " + expected + " parameter(s), got " + std::to_string(params.size()));
    }
    return {};
}

Expected<QString> stringParam(const QJsonArray &params, int i, const char *method, const char *name)
{
    if (!params[i].isString())
        return makeError(ErrorCode::InvalidArgument, std::string(method) + ": '" + name + "' must be a string");
    return params[i].toString();
}

Expected<qint64> intParam(const QJsonArray &params, int i, const char *method, const char *name, qint64 min, qint64 max)
{
    const QJsonValue v = params[i];
    if (!v.isDouble() || v.toDouble() != static_cast<double>(v.toInteger()) || v.toInteger() < min || v.toInteger() > max)
        return makeError(ErrorCode::InvalidArgument, std::string(method) + ": '" + name + "' must be an integer from " +
                                                         std::to_string(min) + " to " + std::to_string(max));
    return v.toInteger();
}

Expected<QString> textParam(const QJsonArray &params, int i, const char *method, const char *name, bool optional)
{
    if (i >= params.size() || params[i].isNull()) {
        if (optional) return QString();
        return makeError(ErrorCode::InvalidArgument, std::string(method) + ": '" + name + "' is required");
    }
    return stringParam(params, i, method, name);
}

Expected<QString> numberTextParam(const QJsonArray &params, int i, const char *method, const char *name, bool optional)
{
    if (i < params.size() && params[i].isDouble())
        return QString::number(params[i].toDouble(), 'f', 8).remove(QRegularExpression(QStringLiteral("\\.?0+$")));
    return textParam(params, i, method, name, optional);
}

Expected<qint64> intParamOr(const QJsonArray &params, int i, const char *method, const char *name, qint64 min, qint64 max,
                            qint64 fallback)
{
    if (i >= params.size() || params[i].isNull()) return fallback;
    return intParam(params, i, method, name, min, max);
}

}  // namespace blyan::node
