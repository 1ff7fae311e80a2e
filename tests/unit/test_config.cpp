// Config files, network definitions and data directories.

#include "util/config.h"
#include "util/network.h"
#include "util/paths.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace blyan;

class TestConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesKeyValueLines()
    {
        auto cfg = ConfigFile::parse(QStringLiteral("# comment\n\nrpcport = 1234\nserver=1\n"),
                                     {QStringLiteral("rpcport"), QStringLiteral("server")}, QStringLiteral("test"));
        QVERIFY(cfg.ok());
        QCOMPARE(cfg->value(QStringLiteral("rpcport")).value(), QStringLiteral("1234"));
        QCOMPARE(cfg->value(QStringLiteral("server")).value(), QStringLiteral("1"));
        QVERIFY(!cfg->value(QStringLiteral("other")).has_value());
    }

    void rejectsUnknownKeysAndBadLines()
    {
        const QStringList keys{QStringLiteral("rpcport")};
        auto unknown = ConfigFile::parse(QStringLiteral("rpcprot=1\n"), keys, QStringLiteral("blyan.conf"));
        QVERIFY(!unknown.ok());
        QVERIFY(QString::fromStdString(unknown.error().message).contains(QStringLiteral("line 1")));
        QVERIFY(QString::fromStdString(unknown.error().message).contains(QStringLiteral("rpcprot")));
        QVERIFY(!ConfigFile::parse(QStringLiteral("justtext\n"), keys, QStringLiteral("c")).ok());
        QVERIFY(!ConfigFile::parse(QStringLiteral("rpcport=1\nrpcport=2\n"), keys, QStringLiteral("c")).ok());
    }

    void repeatableKeysCollectEveryLine()
    {
        auto cfg = ConfigFile::parse(QStringLiteral("connect=a:1\nrpcport=5\nconnect = b:2\n"), {QStringLiteral("rpcport")},
                                     QStringLiteral("c"), {QStringLiteral("connect")});
        QVERIFY(cfg.ok());
        QCOMPARE(cfg->values(QStringLiteral("connect")), (QStringList{QStringLiteral("a:1"), QStringLiteral("b:2")}));
        QVERIFY(cfg->contains(QStringLiteral("connect")));
        QVERIFY(cfg->values(QStringLiteral("rpcport")).isEmpty());
        QCOMPARE(*cfg->value(QStringLiteral("rpcport")), QStringLiteral("5"));
    }

    void updatesKeepOtherLinesAndComments()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("blyan.conf"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# my settings\nrpcport=5\nexpertcacheram=8G\nconnect=a:1\n");
        f.close();
        QVERIFY(updateConfigFile(path, {{QStringLiteral("expertcacheram"), QStringLiteral("1M")},
                                        {QStringLiteral("expertcachegpu"), QStringLiteral("2G")},
                                        {QStringLiteral("modeldevice"), std::nullopt}})
                    .ok());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), QStringLiteral("# my settings\nrpcport=5\nexpertcacheram=1M\nconnect=a:1\nexpertcachegpu=2G\n"));
        f.close();
        QVERIFY(updateConfigFile(path, {{QStringLiteral("expertcacheram"), std::nullopt}}).ok());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("expertcacheram"));
        f.close();
        // A missing file is created.
        QVERIFY(updateConfigFile(dir.filePath(QStringLiteral("new.conf")), {{QStringLiteral("port"), QStringLiteral("1")}}).ok());
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("new.conf"))));
        QCOMPARE(*parseByteSize(QStringLiteral("512M"), "x"), quint64(512) << 20);
        QVERIFY(!parseByteSize(QStringLiteral("12Q"), "x").ok());
    }

    void missingFileIsEmptyConfig()
    {
        QTemporaryDir dir;
        auto cfg = ConfigFile::load(dir.filePath(QStringLiteral("none.conf")), {});
        QVERIFY(cfg.ok());
        QVERIFY(cfg->keys().isEmpty());
    }

    void invalidUtf8FileIsRejected()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("bad.conf")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("rpcport=\xff\xfe\n");
        f.close();
        QVERIFY(!ConfigFile::load(f.fileName(), {QStringLiteral("rpcport")}).ok());
    }

    void networkDefinitionsLoad()
    {
        const NetworkParams &dev = networkParams(Network::Devnet);
        QCOMPARE(dev.name, QStringLiteral("devnet"));
        QCOMPARE(dev.addressHrp, QStringLiteral("dbly"));
        QCOMPARE(dev.slotMs, 1000);
        const NetworkParams &test = networkParams(Network::Testnet);
        QCOMPARE(test.p2pPort, quint16(4321));
        QCOMPARE(test.slotMs, 2000);
        QVERIFY(dev.networkId != test.networkId);
        QVERIFY(dev.rpcPort != test.rpcPort);
        QVERIFY(parseNetwork(QStringLiteral("testnet")).ok());
        QVERIFY(!parseNetwork(QStringLiteral("mainnet")).ok());
    }

    void dataDirMustBeWritable()
    {
        QTemporaryDir dir;
        QVERIFY(ensureWritableDir(dir.filePath(QStringLiteral("a/b/c"))).ok());
        // A regular file where the directory should be: refused with a message naming it
        // (a permission test would pass as root, which CI is).
        QFile f(dir.filePath(QStringLiteral("file")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const Status s = ensureWritableDir(dir.filePath(QStringLiteral("file")));
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.error().message).contains(QStringLiteral("--datadir")));
        QVERIFY(!ensureWritableDir(dir.filePath(QStringLiteral("file/sub"))).ok());
    }

    void defaultDataDirEndsWithNetwork()
    {
        setApplicationIdentity();
        QVERIFY(defaultDataDir(Network::Testnet).endsWith(QStringLiteral("/testnet")));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
