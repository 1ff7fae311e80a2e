// blyand: the headless Blyan node. Serves JSON-RPC on loopback with cookie auth; stops on
// SIGINT/SIGTERM or the `stop` RPC. Exit codes: 0 clean stop, 1 bad options or failed start.

#include "common/node_options.h"
#include "common/file_mode.h"
#include "common/signals.h"
#include "node/node.h"
#include "util/version.h"
#include "util/log.h"
#include "util/paths.h"

#include <QCoreApplication>

#include <cstdio>

using namespace blyan;

int main(int argc, char **argv)
{
    app::restrictFileCreationMask();
    QCoreApplication app(argc, argv);
    setApplicationIdentity();
    QCoreApplication::setApplicationVersion(QStringLiteral(BLYAN_VERSION_STRING));
    initLogging({});  // stderr; the node adds <datadir>/logs/blyan.log once it owns the data dir

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Blyan node (headless): chain, P2P, consensus and JSON-RPC."));
    app::addNodeOptions(parser);
    if (auto exitCode = app::parseOrExit(parser, app.arguments(), "blyand", false)) return *exitCode;
    auto options = app::nodeOptionsFrom(parser);
    if (!options.ok()) {
        std::fprintf(stderr, "blyand: %s\n", options.error().message.c_str());
        return 1;
    }

    node::Node node(options.value());
    QObject::connect(&node, &node::Node::stopped, &app, &QCoreApplication::quit);
    app::onTerminationSignal([&node] {
        qCInfo(lcApp) << "termination signal received; shutting down";
        node.requestStop();
    });

    if (Status s = node.startBlocking(); !s.ok()) {
        std::fprintf(stderr, "blyand: cannot start: %s\n", s.error().message.c_str());
        shutdownLogging();
        return 1;
    }
    const node::NodeStatus st = node.status();
    qCInfo(lcApp).noquote() << "blyand" << st.version << "running on" << st.network << "in" << st.dataDir
                            << (st.rpcEndpoint.isEmpty() ? QStringLiteral("(RPC off)") : QStringLiteral("JSON-RPC on ") + st.rpcEndpoint);
    const int rc = app.exec();
    shutdownLogging();
    return rc;
}
