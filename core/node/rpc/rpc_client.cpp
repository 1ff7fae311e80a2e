#include "node/rpc/rpc_client.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace blyan::node {

RpcClient::RpcClient(QString host, quint16 port, QByteArray cookie, int timeoutMs)
    : host_(std::move(host)), port_(port), cookie_(std::move(cookie)), timeoutMs_(timeoutMs)
{
}

RpcCallResult RpcClient::call(const QString &method, const QJsonArray &params)
{
    const QJsonObject req{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                          {QStringLiteral("id"), 1},
                          {QStringLiteral("method"), method},
                          {QStringLiteral("params"), params}};
    return callRaw(QJsonDocument(req).toJson(QJsonDocument::Compact), "Basic " + cookie_.toBase64());
}

RpcCallResult RpcClient::callRaw(const QByteArray &body, const QByteArray &authorization)
{
    RpcCallResult out;
    auto fail = [&](RpcCallError::Kind kind, int code, const QString &msg) {
        out.ok = false;
        out.error = RpcCallError{kind, code, msg};
        return out;
    };
    QTcpSocket socket;
    socket.connectToHost(host_, port_);
    if (!socket.waitForConnected(timeoutMs_))
        return fail(RpcCallError::Transport, 0,
                    QStringLiteral("could not connect to the server %1:%2 (%3)").arg(host_).arg(port_).arg(socket.errorString()));
    QByteArray request = "POST / HTTP/1.1\r\nHost: " + host_.toUtf8() + "\r\nConnection: close\r\n" +
                         "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (!authorization.isEmpty()) request += "Authorization: " + authorization + "\r\n";
    request += "\r\n" + body;
    socket.write(request);
    QByteArray response;
    QElapsedTimer timer;
    timer.start();
    // Connection: close — read until the server closes or the timeout passes.
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs_) {
        if (socket.waitForReadyRead(static_cast<int>(std::max<qint64>(1, timeoutMs_ - timer.elapsed()))))
            response += socket.readAll();
        if (response.size() > 64 * 1024 * 1024)
            return fail(RpcCallError::Transport, 0, QStringLiteral("response over 64 MiB"));
    }
    response += socket.readAll();
    const qsizetype headerEnd = response.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return fail(RpcCallError::Transport, 0,
                    timer.elapsed() >= timeoutMs_ ? QStringLiteral("timed out waiting for the node's answer")
                                                  : QStringLiteral("the node closed the connection without an answer"));
    const QList<QByteArray> statusLine = response.left(response.indexOf("\r\n")).split(' ');
    const int status = statusLine.value(1).toInt();
    const QByteArray payload = response.mid(headerEnd + 4);
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        if (status == 401)
            return fail(RpcCallError::Http, 401,
                        QStringLiteral("authorization failed: the program on %1:%2 did not accept this data dir's cookie; "
                                       "another node may be using that port (check --datadir and --rpcport)")
                            .arg(host_)
                            .arg(port_));
        return fail(RpcCallError::Http, status, QStringLiteral("HTTP %1: %2").arg(status).arg(QString::fromUtf8(payload.trimmed())));
    }
    const QJsonObject obj = doc.object();
    const QJsonValue err = obj.value(QStringLiteral("error"));
    if (err.isObject()) {
        const QJsonObject e = err.toObject();
        return fail(RpcCallError::Rpc, e.value(QStringLiteral("code")).toInt(), e.value(QStringLiteral("message")).toString());
    }
    out.ok = true;
    out.result = obj.value(QStringLiteral("result"));
    return out;
}

QJsonValue parseCliArgument(const QString &word)
{
    // Wrap so that scalars parse too: [<word>]
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + word.toUtf8() + "]", &perr);
    if (perr.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1) return doc.array().at(0);
    return word;
}

}  // namespace blyan::node
