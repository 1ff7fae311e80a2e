// blyan-cli: calls a running node's JSON-RPC, bitcoin-cli style.
//   blyan-cli [--network N] [--datadir DIR] [--rpcport N] METHOD [ARG...]
// Prints the result (strings raw, everything else as indented JSON). On an RPC error prints
// "error code: N" and the message to stderr and exits 1; connection problems also exit 1.

#include "common/node_options.h"
#include "create_testnet.h"
#include "node/rpc/cookie.h"
#include "node/rpc/rpc_client.h"
#include "util/version.h"
#include "util/paths.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <cstdio>

using namespace blyan;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    setApplicationIdentity();
    QCoreApplication::setApplicationVersion(QStringLiteral(BLYAN_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Calls a running Blyan node's JSON-RPC. `blyan-cli help` lists the methods."));
    app::addNodeOptions(parser);
    parser.addOption({QStringLiteral("rpcwait"), QStringLiteral("Wait up to this many seconds for the node to answer."),
                      QStringLiteral("seconds")});
    parser.addPositionalArgument(QStringLiteral("method"), QStringLiteral("RPC method, e.g. getinfo"));
    parser.addPositionalArgument(QStringLiteral("args"), QStringLiteral("Arguments: JSON values or plain strings"), QStringLiteral("[args...]"));
    // Stop option parsing at the method name so that arguments like -1 reach the method.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (auto exitCode = app::parseOrExit(parser, app.arguments(), "blyan-cli", true)) return *exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        std::fputs("blyan-cli: no method given; try `blyan-cli help`\n", stderr);
        return 1;
    }
    // The one offline command: a testnet genesis for N validators, with their keys.
    if (positional[0] == QLatin1String("createtestnet")) {
        if (positional.size() < 3 || positional.size() > 5) {
            std::fputs("usage: blyan-cli createtestnet DIR VALIDATORS [STAKE=\"1000000 BLY\"] [BALANCE=\"100000 BLY\"]\n", stderr);
            return 1;
        }
        bool ok = false;
        const int n = positional[2].toInt(&ok);
        if (!ok) {
            std::fputs("blyan-cli createtestnet: VALIDATORS must be a number\n", stderr);
            return 1;
        }
        return app::createTestnet(positional[1], n, positional.value(3, QStringLiteral("1000000 BLY")),
                                  positional.value(4, QStringLiteral("100000 BLY")));
    }
    auto options = app::nodeOptionsFrom(parser);
    if (!options.ok()) {
        std::fprintf(stderr, "blyan-cli: %s\n", options.error().message.c_str());
        return 1;
    }
    int waitSeconds = 0;
    if (parser.isSet(QStringLiteral("rpcwait"))) {
        bool ok = false;
        waitSeconds = parser.value(QStringLiteral("rpcwait")).toInt(&ok);
        if (!ok || waitSeconds < 0 || waitSeconds > 3600) {
            std::fputs("blyan-cli: --rpcwait expects seconds from 0 to 3600\n", stderr);
            return 1;
        }
    }

    QJsonArray params;
    for (qsizetype i = 1; i < positional.size(); ++i) params.append(node::parseCliArgument(positional[i]));

    const QString cookiePath = paths::cookieFile(options->dataDir);
    QElapsedTimer waited;
    waited.start();
    node::RpcCallResult r;
    for (;;) {
        auto cookie = node::readCookie(cookiePath);
        if (cookie.ok()) {
            node::RpcClient client(QStringLiteral("127.0.0.1"), options->rpcPort, cookie.value());
            r = client.call(positional[0], params);
            // While waiting, a refused cookie is retried too: a node that is (re)starting writes a fresh
            // cookie, and the one just read may be the previous run's (a killed node leaves it behind).
            const bool staleCookie = r.error.kind == node::RpcCallError::Http && r.error.code == 401 && waitSeconds > 0;
            if (r.ok || (r.error.kind != node::RpcCallError::Transport && !staleCookie)) break;
        } else {
            r.error = {node::RpcCallError::Transport, 0, QString::fromStdString(cookie.error().message)};
        }
        if (waited.elapsed() >= waitSeconds * 1000LL) break;
        QThread::msleep(250);
    }

    if (r.ok) {
        if (r.result.isString())
            std::printf("%s\n", qPrintable(r.result.toString()));
        else if (r.result.isObject())
            std::printf("%s", QJsonDocument(r.result.toObject()).toJson(QJsonDocument::Indented).constData());
        else if (r.result.isArray())
            std::printf("%s", QJsonDocument(r.result.toArray()).toJson(QJsonDocument::Indented).constData());
        else if (!r.result.isNull()) {
            // Scalars: wrap and unwrap to print JSON's own spelling of numbers and booleans.
            QByteArray a = QJsonDocument(QJsonArray{r.result}).toJson(QJsonDocument::Compact);
            std::printf("%s\n", a.mid(1, a.size() - 2).constData());
        }
        return 0;
    }
    switch (r.error.kind) {
    case node::RpcCallError::Rpc:
        std::fprintf(stderr, "error code: %d\nerror message:\n%s\n", r.error.code, qPrintable(r.error.message));
        break;
    case node::RpcCallError::Http:
        std::fprintf(stderr, "error: %s\n", qPrintable(r.error.message));
        break;
    case node::RpcCallError::Transport:
        std::fprintf(stderr, "error: %s\n\nMake sure the Blyan node (blyand or blyan) is running on %s with data dir %s "
                             "and RPC port %u.\n",
                     qPrintable(r.error.message), qPrintable(networkName(options->network)), qPrintable(options->dataDir),
                     options->rpcPort);
        break;
    }
    return 1;
}
