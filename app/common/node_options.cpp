#include "common/node_options.h"

#include "p2p/net_address.h"
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
    // Peer-to-peer (docs/user-guide.md "Network"); each also has a blyan.conf key of the same name.
    parser.addOption({QStringLiteral("port"), QStringLiteral("P2P port to listen on (default: the network's)."),
                      QStringLiteral("port")});
    parser.addOption({QStringLiteral("bind"),
                      QStringLiteral("Listen for peers on this IP only, and dial them from it (default: every interface)."),
                      QStringLiteral("ip")});
    parser.addOption({QStringLiteral("connect"),
                      QStringLiteral("Keep a connection to this peer (repeatable); other peers are still found."),
                      QStringLiteral("host:port")});
    parser.addOption({QStringLiteral("discover"),
                      QStringLiteral("LAN discovery over UDP broadcast: 1 on, 0 off (default: on for testnet, off for devnet)."),
                      QStringLiteral("0|1")});
    parser.addHelpOption();
    parser.addVersionOption();
}

static Expected<bool> parseFlag(const QString &text, const std::string &origin)
{
    if (text == QStringLiteral("1")) return true;
    if (text == QStringLiteral("0")) return false;
    return makeError(ErrorCode::InvalidArgument, origin + " must be 0 or 1, got '" + text.toStdString() + "'");
}

static Expected<QString> parseBindIp(const QString &text, const std::string &origin)
{
    auto ip = p2p::parseIp(text);
    if (!ip) return makeError(ErrorCode::InvalidArgument, origin + ": " + ip.error().message);
    return ip->toString();
}

static Expected<quint16> parsePort(const QString &text, const std::string &origin)
{
    bool ok = false;
    const uint v = text.toUInt(&ok);
    if (!ok || v == 0 || v > 65535)
        return makeError(ErrorCode::InvalidArgument, origin + " must be a port number from 1 to 65535, got '" + text.toStdString() + "'");
    return static_cast<quint16>(v);
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

// The P2P options: blyan.conf first, the command line over it (--connect adds to connect= lines).
static Status p2pOptionsFrom(const QCommandLineParser &parser, const ConfigFile &cfg, node::P2pOptions &p)
{
    if (auto v = cfg.value(QStringLiteral("port"))) {
        BLYAN_TRY(p.port, parsePort(*v, "port in blyan.conf"));
    }
    if (parser.isSet(QStringLiteral("port"))) {
        BLYAN_TRY(p.port, parsePort(parser.value(QStringLiteral("port")), "--port"));
    }
    if (auto v = cfg.value(QStringLiteral("bind"))) {
        BLYAN_TRY(p.bind, parseBindIp(*v, "bind in blyan.conf"));
    }
    if (parser.isSet(QStringLiteral("bind"))) {
        BLYAN_TRY(p.bind, parseBindIp(parser.value(QStringLiteral("bind")), "--bind"));
    }
    if (auto v = cfg.value(QStringLiteral("listen"))) {
        BLYAN_TRY(p.listen, parseFlag(*v, "listen in blyan.conf"));
    }
    if (auto v = cfg.value(QStringLiteral("discover"))) {
        BLYAN_TRY(p.discover, parseFlag(*v, "discover in blyan.conf"));
    }
    if (parser.isSet(QStringLiteral("discover"))) {
        BLYAN_TRY(p.discover, parseFlag(parser.value(QStringLiteral("discover")), "--discover"));
    }
    if (auto v = cfg.value(QStringLiteral("discoverport"))) {
        BLYAN_TRY(p.discoverPort, parsePort(*v, "discoverport in blyan.conf"));
    }
    if (auto v = cfg.value(QStringLiteral("discoveraddress"))) {
        auto ip = p2p::parseIp(*v);
        if (!ip || ip->protocol() != QAbstractSocket::IPv4Protocol)
            return makeError(ErrorCode::InvalidArgument, "discoveraddress in blyan.conf must be an IPv4 broadcast address "
                                                         "such as 192.168.1.255, got '" + v->toStdString() + "'");
        p.discoverAddress = ip->toString();
    }
    const auto addTargets = [&p](const QStringList &list, const std::string &origin) -> Status {
        for (const QString &t : list) {
            auto hp = p2p::parseHostPort(t);
            if (!hp) return makeError(ErrorCode::InvalidArgument, origin + ": " + hp.error().message);
            p.connect.append(hp->text());
        }
        return {};
    };
    BLYAN_CHECK(addTargets(cfg.values(QStringLiteral("connect")), "connect in blyan.conf"));
    BLYAN_CHECK(addTargets(parser.values(QStringLiteral("connect")), "--connect"));
    return {};
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
                                                                                   QStringLiteral("expertcachegpu"), QStringLiteral("port"),
                                                                                   QStringLiteral("bind"), QStringLiteral("listen"),
                                                                                   QStringLiteral("discover"), QStringLiteral("discoverport"),
                                                                                   QStringLiteral("discoveraddress")},
                                                     {QStringLiteral("connect")}));
    BLYAN_CHECK(p2pOptionsFrom(parser, cfg, o.p2p));
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
