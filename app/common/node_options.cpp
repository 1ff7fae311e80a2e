#include "common/node_options.h"

#include "util/version.h"
#include "util/config.h"
#include "util/paths.h"

#include <QDir>
#include <QFileInfo>

#include <cstdio>

namespace blyan::app {

void addNodeOptions(QCommandLineParser &parser)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption({QStringLiteral("network"), QStringLiteral("Network to join: devnet (default) or testnet."),
                      QStringLiteral("name"), QStringLiteral("devnet")});
    parser.addOption({QStringLiteral("datadir"),
                      QStringLiteral("Data directory (default: the per-user application data dir + /<network>)."),
                      QStringLiteral("dir")});
    parser.addOption({QStringLiteral("rpcport"), QStringLiteral("JSON-RPC port on 127.0.0.1 (default: the network's)."),
                      QStringLiteral("port")});
    parser.addOption({QStringLiteral("genesis"),
                      QStringLiteral("The network's genesis file (JSON, docs/protocol.md); a testnet needs one on first start."),
                      QStringLiteral("file")});
    parser.addHelpOption();
    parser.addVersionOption();
}

static Expected<quint16> parsePort(const QString &text, const std::string &origin)
{
    bool ok = false;
    const uint v = text.toUInt(&ok);
    if (!ok || v == 0 || v > 65535)
        return makeError(ErrorCode::InvalidArgument, origin + " must be a port number from 1 to 65535, got '" + text.toStdString() + "'");
    return static_cast<quint16>(v);
}

// "123456", "512K", "768M", "8G" (binary units) -> bytes.
static Expected<quint64> parseByteSize(const QString &text, const std::string &origin)
{
    QString t = text.trimmed().toUpper();
    quint64 unit = 1;
    if (t.endsWith(QLatin1Char('K'))) unit = 1ull << 10;
    else if (t.endsWith(QLatin1Char('M'))) unit = 1ull << 20;
    else if (t.endsWith(QLatin1Char('G'))) unit = 1ull << 30;
    if (unit != 1) t.chop(1);
    bool ok = false;
    const quint64 v = t.toULongLong(&ok);
    if (!ok || v > (1ull << 50) / unit)
        return makeError(ErrorCode::InvalidArgument, origin + " must be a size in bytes with an optional K, M or G, got '" +
                                                         text.toStdString() + "'");
    return v * unit;
}

Status parseStrict(QCommandLineParser &parser, const QStringList &arguments, bool allowPositional)
{
    if (!parser.parse(arguments)) {
        QString why = parser.errorText();
        if (why.endsWith(QLatin1Char('.'))) why.chop(1);
        return makeError(ErrorCode::InvalidArgument, why.toStdString() + "; run with --help to see the options");
    }
    if (!allowPositional && !parser.positionalArguments().isEmpty())
        return makeError(ErrorCode::InvalidArgument, "unexpected argument '" + parser.positionalArguments().first().toStdString() +
                                                         "'; run with --help to see the options");
    return {};
}

std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments, const char *program,
                               bool allowPositional)
{
    if (Status s = parseStrict(parser, arguments, allowPositional); !s.ok()) {
        std::fprintf(stderr, "%s: %s\n", program, s.error().message.c_str());
        return 1;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("%s %s\n", program, BLYAN_VERSION_STRING);
        return 0;
    }
    return std::nullopt;
}

Expected<node::NodeOptions> nodeOptionsFrom(const QCommandLineParser &parser)
{
    node::NodeOptions o;
    BLYAN_TRY(o.network, parseNetwork(parser.value(QStringLiteral("network"))));
    if (parser.isSet(QStringLiteral("datadir"))) {
        const QString dir = parser.value(QStringLiteral("datadir"));
        if (dir.trimmed().isEmpty()) return makeError(ErrorCode::InvalidArgument, "--datadir must not be empty");
        o.dataDir = QDir::cleanPath(QDir(dir).absolutePath());
    } else {
        o.dataDir = defaultDataDir(o.network);
    }
    BLYAN_TRY(const ConfigFile cfg, ConfigFile::load(paths::configFile(o.dataDir), {QStringLiteral("rpcport"), QStringLiteral("server"),
                                                                                   QStringLiteral("modeldevice"), QStringLiteral("expertcacheram"),
                                                                                   QStringLiteral("expertcachegpu")}));
    if (auto v = cfg.value(QStringLiteral("modeldevice"))) {
        if (*v != QStringLiteral("cpu") && !v->startsWith(QStringLiteral("cuda")))
            return makeError(ErrorCode::InvalidArgument, "modeldevice in blyan.conf must be cpu, cuda or cuda:N, got '" + v->toStdString() + "'");
        o.modelDevice = *v;
    }
    if (auto v = cfg.value(QStringLiteral("expertcacheram"))) {
        BLYAN_TRY(o.expertCacheRam, parseByteSize(*v, "expertcacheram in blyan.conf"));
    }
    if (auto v = cfg.value(QStringLiteral("expertcachegpu"))) {
        BLYAN_TRY(o.expertCacheGpu, parseByteSize(*v, "expertcachegpu in blyan.conf"));
    }
    if (auto v = cfg.value(QStringLiteral("rpcport"))) {
        BLYAN_TRY(o.rpcPort, parsePort(*v, "rpcport in blyan.conf"));
    }
    if (auto v = cfg.value(QStringLiteral("server"))) {
        if (*v != QStringLiteral("0") && *v != QStringLiteral("1"))
            return makeError(ErrorCode::InvalidArgument, "server in blyan.conf must be 0 or 1, got '" + v->toStdString() + "'");
        o.rpcEnabled = *v == QStringLiteral("1");
    }
    if (parser.isSet(QStringLiteral("rpcport"))) {
        BLYAN_TRY(o.rpcPort, parsePort(parser.value(QStringLiteral("rpcport")), "--rpcport"));
    }
    if (o.rpcPort == 0) o.rpcPort = networkParams(o.network).rpcPort;
    if (parser.isSet(QStringLiteral("genesis"))) {
        const QString file = parser.value(QStringLiteral("genesis"));
        if (!QFileInfo(file).isFile())
            return makeError(ErrorCode::NotFound, "--genesis: no such file '" + file.toStdString() + "'");
        o.genesisFile = QFileInfo(file).absoluteFilePath();
    }
    return o;
}

}  // namespace blyan::app
