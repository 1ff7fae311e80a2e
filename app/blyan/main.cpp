// blyan: the desktop app. Parses the node options (same as blyand), makes sure it is the only
// desktop app on its data dir, shows the main window and starts the node asynchronously.
// Exit codes: 0 normal quit (or another instance was raised), 1 bad options or failed start.

#include "common/file_mode.h"
#include "common/node_options.h"
#include "common/signals.h"
#include "node/node.h"
#include "util/version.h"
#include "single_instance.h"
#include "ui/client_model.h"
#include "ui/icons.h"
#include "ui/main_window.h"
#include "ui/theme.h"
#include "util/log.h"
#include "util/paths.h"

#include <QApplication>
#include <QDir>
#include <QMessageBox>

#include <cstdio>
#include <cstring>

using namespace blyan;

namespace {

// --help and --version must work without a display, so they are answered before QApplication
// (which aborts when it cannot reach one) with a core application only.
bool wantsHelpOrVersion(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char *f : {"-h", "--help", "-help", "-?", "--help-all", "--version", "-version", "-v"})
            if (std::strcmp(argv[i], f) == 0) return true;
    return false;
}

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QStringLiteral("Blyan Desktop: full Blyan node, BLY wallet and local Mixture-of-Experts model."));
    app::addNodeOptions(parser);
    parser.addPositionalArgument(QStringLiteral("uri"), QStringLiteral("A blyan: link to open (optional)."),
                                 QStringLiteral("[blyan:URI]"));
}

bool headless()
{
    const QString p = QGuiApplication::platformName();
    return p == QLatin1String("offscreen") || p == QLatin1String("minimal");
}

}  // namespace

int main(int argc, char **argv)
{
    app::restrictFileCreationMask();
    setApplicationIdentity();
    QCoreApplication::setApplicationVersion(QStringLiteral(BLYAN_VERSION_STRING));

    if (wantsHelpOrVersion(argc, argv)) {
        QCoreApplication core(argc, argv);
        QCommandLineParser parser;
        describe(parser);
        return app::parseOrExit(parser, core.arguments(), "blyan", true).value_or(0);
    }

    QApplication app(argc, argv);  // strips Qt's own options (-platform, -style) from arguments()
    QGuiApplication::setDesktopFileName(QStringLiteral("blyan"));
    // Closing the window may only hide it (tray) and must never quit before the node stopped.
    QApplication::setQuitOnLastWindowClosed(false);
    initLogging({});  // stderr; the node adds <datadir>/logs/blyan.log once it owns the data dir

    QCommandLineParser parser;
    describe(parser);
    if (Status s = app::parseStrict(parser, app.arguments(), true); !s.ok()) {
        std::fprintf(stderr, "blyan: %s\n", s.error().message.c_str());
        return 1;
    }
    const QStringList uris = parser.positionalArguments();
    for (const QString &u : uris) {
        if (!u.startsWith(QLatin1String("blyan:"))) {
            std::fprintf(stderr, "blyan: unexpected argument '%s'; run with --help to see the options\n", qPrintable(u));
            return 1;
        }
    }
    auto options = app::nodeOptionsFrom(parser);
    if (!options.ok()) {
        std::fprintf(stderr, "blyan: %s\n", options.error().message.c_str());
        return 1;
    }

    app::SingleInstance instance(options->dataDir);
    if (instance.notifyRunning(uris)) {
        std::printf("blyan: already running for data dir %s; brought its window to the front\n",
                    qPrintable(QDir::toNativeSeparators(options->dataDir)));
        return 0;
    }
    instance.listen();

    ui::initResources();
    QApplication::setWindowIcon(ui::appIcon());
    ui::ThemeManager theme;  // before any palette is set: it records the system's light/dark
    theme.applySaved();

    node::Node node(options.value());
    ui::ClientModel model(&node);
    ui::MainWindow window(&model, &theme);

    QObject::connect(&instance, &app::SingleInstance::raiseRequested, &window, &ui::MainWindow::showAndRaise);
    QObject::connect(&instance, &app::SingleInstance::uriReceived, &window, &ui::MainWindow::openPaymentUri);
    QObject::connect(&window, &ui::MainWindow::shutdownFinished, &app, &QCoreApplication::quit);
    QObject::connect(&model, &ui::ClientModel::nodeStarted, &app, [&node] {
        qCInfo(lcApp).noquote() << "blyan" << BLYAN_VERSION_STRING << "running in" << node.dataDir();
    });
    QObject::connect(&model, &ui::ClientModel::nodeFailed, &app, [&](const QString &message) {
        std::fprintf(stderr, "blyan: cannot start the node: %s\n", qPrintable(message));
        if (!headless())
            QMessageBox::critical(&window, QObject::tr("Blyan cannot start"),
                                  QObject::tr("The Blyan node could not start:\n\n%1").arg(message));
        app.exit(1);
    });
    app::onTerminationSignal([&window] {
        qCInfo(lcApp) << "termination signal received; shutting down";
        window.requestQuit();
    });

    window.show();
    // The Wallet panel holds a link until the node has started and a wallet exists.
    for (const QString &uri : uris) window.openPaymentUri(uri);
    node.start();
    const int rc = app.exec();
    shutdownLogging();
    return rc;
}
