// Wallet backup zips (core/wallet/backup.h): round trip, the written file's properties, and every way a
// backup can be refused (not a zip, truncated, tampered, missing or invalid manifest, another network, extra or
// unsafe entries, zip bombs), each leaving nothing behind in the work folder.

#include "wallet/backup.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <utility>
#include <vector>

using namespace blyan;
using namespace blyan::wallet;

namespace {

using ZipEntries = std::vector<std::pair<QString, QByteArray>>;

QByteArray pattern(int n, std::uint32_t seed)
{
    QByteArray out(n, Qt::Uninitialized);
    std::uint32_t x = seed * 2654435761u + 12345u;
    for (int i = 0; i < n; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = static_cast<char>(x);
    }
    return out;
}

ByteView view(const QByteArray &b) { return ByteView(reinterpret_cast<const std::uint8_t *>(b.constData()), b.size()); }

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// A zip with exactly these entries, in this order (duplicates and odd names included), for hand-made backups.
bool writeZip(const QString &path, const ZipEntries &entries)
{
    QFile::remove(path);
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdCreate)) return false;
    for (const auto &[name, data] : entries) {
        QuaZipFile f(&zip);
        if (!f.open(QIODevice::WriteOnly, QuaZipNewInfo(name))) return false;
        if (f.write(data) != data.size()) return false;
        f.close();
    }
    zip.close();
    return zip.getZipError() == 0;
}

ZipEntries readZip(const QString &path)
{
    ZipEntries out;
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdUnzip)) return out;
    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
        QuaZipFile f(&zip);
        if (!f.open(QIODevice::ReadOnly)) return {};
        out.emplace_back(zip.getCurrentFileName(), f.readAll());
    }
    return out;
}

QByteArray &entry(ZipEntries &e, const char *name)
{
    for (auto &[n, d] : e)
        if (n == QLatin1String(name)) return d;
    qFatal("no entry %s", name);
}

void dropEntry(ZipEntries &e, const char *name)
{
    std::erase_if(e, [name](const auto &p) { return p.first == QLatin1String(name); });
}

}  // namespace

class TestWalletBackup : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QByteArray keystore = pattern(3000, 1);
    QByteArray walletDb = pattern(3 << 20, 2) + QByteArray(1 << 20, 'x');  // 4 MiB: several chunks
    QByteArray nodeKeyBytes = pattern(32, 3);
    QByteArray config = QByteArray("rpcport=18555\n# a comment\n");
    QString snapshot;
    QString good;  // a valid devnet backup written once

    BackupSource source(Network network = Network::Devnet, bool withConfig = true)
    {
        BackupSource s;
        s.network = network;
        s.keystore = view(keystore);
        s.walletDbSnapshot = snapshot;
        s.nodeKey = view(nodeKeyBytes);
        if (withConfig) s.config = view(config);
        return s;
    }

    QString path(const QString &name) const { return tmp.filePath(name); }

    // Reads `zip` into a fresh work folder, expects the given failure, and checks that nothing was left.
    void refused(const QString &zip, ErrorCode code, const char *expected)
    {
        QTemporaryDir work;
        auto r = readBackup(zip, Network::Devnet, work.path());
        QVERIFY2(!r.ok(), qPrintable(zip));
        qInfo("%s", r.error().message.c_str());  // what a user would read (no secret is ever in these)
        QVERIFY2(r.error().code == code, r.error().message.c_str());
        QVERIFY2(r.error().message.find(expected) != std::string::npos, r.error().message.c_str());
        QVERIFY2(QDir(work.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty(),
                 "a failed read left a file in the work folder");
    }

    // The good backup's entries, changed by `edit`, written as a new zip.
    template <typename Edit>
    QString variant(const QString &name, Edit edit)
    {
        ZipEntries e = readZip(good);
        edit(e);
        const QString p = path(name);
        if (!writeZip(p, e)) qFatal("cannot write %s", qPrintable(p));
        return p;
    }

    // The manifest of the good backup as JSON, changed by `edit`.
    template <typename Edit>
    static void editManifest(ZipEntries &e, Edit edit)
    {
        QJsonObject m = QJsonDocument::fromJson(entry(e, "manifest.json")).object();
        edit(m);
        entry(e, "manifest.json") = QJsonDocument(m).toJson();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp.isValid());
        snapshot = path(QStringLiteral("wallet-snapshot.sqlite"));
        QVERIFY(writeFile(snapshot, walletDb));
        good = path(QStringLiteral("good.zip"));
        Status s = writeBackup(good, source());
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    }

    void roundTrip()
    {
        QTemporaryDir work;
        auto r = readBackup(good, Network::Devnet, work.path());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->manifest.formatVersion, 1);
        QCOMPARE(r->manifest.network, Network::Devnet);
        QVERIFY(!r->manifest.appVersion.empty());
        QVERIFY(qAbs(r->manifest.created.secsTo(QDateTime::currentDateTimeUtc())) < 600);
        QVERIFY(r->keystore == Bytes(keystore.begin(), keystore.end()));
        QVERIFY(r->nodeKey.equals(view(nodeKeyBytes)));
        QVERIFY(r->config && *r->config == Bytes(config.begin(), config.end()));
        QCOMPARE(readFile(r->walletDb.path()), walletDb);
        QVERIFY(r->walletDb.path().startsWith(work.path()));

        // moveTo puts it in place (replacing what is there) and the work folder is empty again.
        const QString dest = work.filePath(QStringLiteral("wallet.sqlite"));
        QVERIFY(writeFile(dest, "old"));
        const QString extracted = r->walletDb.path();
        Status moved = r->walletDb.moveTo(dest);
        QVERIFY2(moved.ok(), moved.ok() ? "" : moved.error().message.c_str());
        QVERIFY(!QFile::exists(extracted));
        QCOMPARE(readFile(dest), walletDb);
    }

    void writtenFile()
    {
        // Private (node.key is a secret in the clear), no temp file left beside it, a plain zip with these names.
        QCOMPARE(QFile::permissions(good) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        const QStringList names = QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden);
        for (const QString &n : names) QVERIFY2(!n.startsWith(QStringLiteral("good.zip.")), qPrintable(n));
        ZipEntries e = readZip(good);
        QStringList got;
        for (const auto &p : e) got << p.first;
        QCOMPARE(got, (QStringList{"keystore.blyw", "wallet.sqlite", "node.key", "blyan.conf", "manifest.json"}));
        const QJsonObject m = QJsonDocument::fromJson(entry(e, "manifest.json")).object();
        QCOMPARE(m.value("format").toString(), QStringLiteral("blyan-wallet-backup"));
        QCOMPARE(m.value("network").toString(), QStringLiteral("devnet"));
        QCOMPARE(m.value("entries").toArray().size(), 4);
    }

    void withoutConfig()
    {
        const QString p = path(QStringLiteral("noconf.zip"));
        QVERIFY(writeBackup(p, source(Network::Devnet, false)).ok());
        QTemporaryDir work;
        auto r = readBackup(p, Network::Devnet, work.path());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(!r->config);
    }

    void overwriteReplacesWholly()
    {
        const QString p = path(QStringLiteral("again.zip"));
        QVERIFY(writeBackup(p, source()).ok());
        // Even over a file someone made world-readable, the new backup is private.
        QVERIFY(QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther | QFile::ReadGroup));
        const QByteArray other = pattern(500, 9);
        BackupSource s = source();
        s.keystore = view(other);
        QVERIFY(writeBackup(p, s).ok());
        QCOMPARE(QFile::permissions(p) & ~(QFile::ReadUser | QFile::WriteUser), QFile::ReadOwner | QFile::WriteOwner);
        QTemporaryDir work;
        auto r = readBackup(p, Network::Devnet, work.path());
        QVERIFY(r.ok());
        QVERIFY(r->keystore == Bytes(other.begin(), other.end()));
    }

    void droppedRestoreLeavesNothing()
    {
        QTemporaryDir work;
        {
            auto r = readBackup(good, Network::Devnet, work.path());
            QVERIFY(r.ok());
            QVERIFY(QFile::exists(r->walletDb.path()));
        }
        QVERIFY(QDir(work.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
    }

    void writeRefusals()
    {
        const QString p = path(QStringLiteral("bad-write.zip"));
        QByteArray shortKey = pattern(31, 4);
        BackupSource s = source();
        s.nodeKey = view(shortKey);
        Status st = writeBackup(p, s);
        QVERIFY(!st.ok() && st.error().code == ErrorCode::InvalidArgument);

        s = source();
        s.walletDbSnapshot = path(QStringLiteral("no-such-snapshot"));
        st = writeBackup(p, s);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.find("snapshot") != std::string::npos, st.error().message.c_str());
        QVERIFY(!QFile::exists(p));  // a failed write leaves neither the zip nor its temp file
        for (const QString &n : QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden))
            QVERIFY2(!n.startsWith(QStringLiteral("bad-write.zip")), qPrintable(n));

        st = writeBackup(path(QStringLiteral("no/such/dir/b.zip")), source());
        QVERIFY(!st.ok() && st.error().code == ErrorCode::Io);
        QVERIFY2(st.error().message.find("cannot write the backup") != std::string::npos, st.error().message.c_str());
    }

    void notAZip()
    {
        const QString p = path(QStringLiteral("text.zip"));
        QVERIFY(writeFile(p, "this is a text file, not a zip\n"));
        refused(p, ErrorCode::Malformed, "is not a zip file");
        QVERIFY(writeFile(p, QByteArray()));
        refused(p, ErrorCode::Malformed, "is not a zip file");
        refused(path(QStringLiteral("missing.zip")), ErrorCode::NotFound, "no backup file");
    }

    void truncated()
    {
        const QByteArray all = readFile(good);
        for (int keep : {100, static_cast<int>(all.size() / 2), static_cast<int>(all.size() - 10)}) {
            const QString p = path(QStringLiteral("cut-%1.zip").arg(keep));
            QVERIFY(writeFile(p, all.left(keep)));
            refused(p, ErrorCode::Corrupt, "damaged or truncated");
        }
    }

    void tamperedEntry()
    {
        // Rewritten with a valid zip CRC: only the manifest's BLAKE2b-256 can tell.
        const QString p = variant(QStringLiteral("tampered.zip"), [](ZipEntries &e) { entry(e, "keystore.blyw")[100] ^= 1; });
        refused(p, ErrorCode::Corrupt, "does not match the hash in its manifest");
        const QString k = variant(QStringLiteral("tampered-key.zip"), [](ZipEntries &e) { entry(e, "node.key")[0] ^= 1; });
        refused(k, ErrorCode::Corrupt, "does not match the hash in its manifest");
        const QString db = variant(QStringLiteral("tampered-db.zip"), [](ZipEntries &e) { entry(e, "wallet.sqlite")[3'000'000] ^= 1; });
        refused(db, ErrorCode::Corrupt, "does not match the hash in its manifest");
    }

    void flippedByte()
    {
        // A bit flipped inside the compressed data: the zip's own CRC (or inflate) catches it.
        QByteArray all = readFile(good);
        all[200] = static_cast<char>(all[200] ^ 0x40);
        const QString p = path(QStringLiteral("flipped.zip"));
        QVERIFY(writeFile(p, all));
        refused(p, ErrorCode::Corrupt, "the backup");
    }

    void manifestProblems()
    {
        refused(variant(QStringLiteral("nomanifest.zip"), [](ZipEntries &e) { dropEntry(e, "manifest.json"); }),
                ErrorCode::Corrupt, "has no manifest.json");
        refused(variant(QStringLiteral("badjson.zip"), [](ZipEntries &e) { entry(e, "manifest.json") = "{not json"; }),
                ErrorCode::Corrupt, "manifest.json is invalid: not JSON");
        refused(variant(QStringLiteral("newer.zip"),
                        [](ZipEntries &e) { editManifest(e, [](QJsonObject &m) { m["version"] = 2; }); }),
                ErrorCode::Unavailable, "newer Blyan Desktop");
        refused(variant(QStringLiteral("unknownfield.zip"),
                        [](ZipEntries &e) { editManifest(e, [](QJsonObject &m) { m["extra"] = 1; }); }),
                ErrorCode::Corrupt, "unknown field \"extra\"");
        refused(variant(QStringLiteral("nocreated.zip"),
                        [](ZipEntries &e) { editManifest(e, [](QJsonObject &m) { m.remove("created"); }); }),
                ErrorCode::Corrupt, "lacks \"created\"");
        refused(variant(QStringLiteral("badsize.zip"),
                        [](ZipEntries &e) {
                            editManifest(e, [](QJsonObject &m) {
                                QJsonArray a = m["entries"].toArray();
                                QJsonObject o = a[0].toObject();
                                o["size"] = 1.5;
                                a[0] = o;
                                m["entries"] = a;
                            });
                        }),
                ErrorCode::Corrupt, "not a whole number");
        refused(variant(QStringLiteral("unknownnet.zip"),
                        [](ZipEntries &e) { editManifest(e, [](QJsonObject &m) { m["network"] = "mainnet"; }); }),
                ErrorCode::Unavailable, "'mainnet'");
    }

    void otherNetwork()
    {
        const QString p = path(QStringLiteral("testnet.zip"));
        QVERIFY(writeBackup(p, source(Network::Testnet)).ok());
        refused(p, ErrorCode::InvalidArgument, "belongs to testnet, but this node runs devnet");
        QTemporaryDir work;
        QVERIFY(readBackup(p, Network::Testnet, work.path()).ok());
    }

    void entriesMustMatchTheManifest()
    {
        refused(variant(QStringLiteral("lacks.zip"), [](ZipEntries &e) { dropEntry(e, "node.key"); }),
                ErrorCode::Corrupt, "lacks 'node.key'");
        refused(variant(QStringLiteral("extra.zip"), [](ZipEntries &e) { e.emplace_back("notes.txt", "hi"); }),
                ErrorCode::Corrupt, "unexpected entry 'notes.txt'");
        refused(variant(QStringLiteral("dup.zip"), [](ZipEntries &e) { e.emplace_back("keystore.blyw", "again"); }),
                ErrorCode::Corrupt, "twice");
        // blyan.conf present in the zip but taken out of the manifest.
        refused(variant(QStringLiteral("unlisted.zip"),
                        [](ZipEntries &e) {
                            editManifest(e, [](QJsonObject &m) {
                                QJsonArray a = m["entries"].toArray();
                                a.removeLast();
                                m["entries"] = a;
                            });
                        }),
                ErrorCode::Corrupt, "does not list");
    }

    void unsafeNames()
    {
        for (const char *name : {"../keystore.blyw", "/etc/passwd", "wallet/../../x", "C:\\evil", "a\\b"}) {
            const QString p = variant(QStringLiteral("unsafe.zip"), [name](ZipEntries &e) { e.emplace_back(name, "x"); });
            refused(p, ErrorCode::Corrupt, "unsafe path");
        }
    }

    void zipBombs()
    {
        // 2 MiB of zeros compresses to a few KiB but is over the keystore's 1 MiB: refused from the directory.
        refused(variant(QStringLiteral("bomb.zip"), [](ZipEntries &e) { entry(e, "keystore.blyw") = QByteArray(2 << 20, '\0'); }),
                ErrorCode::LimitExceeded, "zip bomb");
        refused(variant(QStringLiteral("bigkey.zip"), [](ZipEntries &e) { entry(e, "node.key") = QByteArray(33, 'k'); }),
                ErrorCode::Corrupt, "a node key is exactly 32");
        // A zip whose directory lies about the size: patch both size fields of keystore.blyw to 100 bytes while
        // 2 MiB are inside. The reader must never hand out more than it was told.
        const QString p = variant(QStringLiteral("liar.zip"), [](ZipEntries &e) {
            entry(e, "keystore.blyw") = QByteArray(2 << 20, '\0');
            editManifest(e, [](QJsonObject &m) {
                QJsonArray a = m["entries"].toArray();
                QJsonObject o = a[0].toObject();
                o["size"] = 100;
                a[0] = o;
                m["entries"] = a;
            });
        });
        QByteArray z = readFile(p);
        auto patch32 = [&z](qsizetype at, quint32 v) {
            for (int i = 0; i < 4; ++i) z[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
        };
        const qsizetype local = z.indexOf(QByteArray("PK\x03\x04", 4));        // the first entry's local header
        const qsizetype central = z.indexOf(QByteArray("PK\x01\x02", 4));      // and its directory record
        QVERIFY(local == 0 && central > 0);
        patch32(local + 22, 100);
        patch32(central + 24, 100);
        QVERIFY(writeFile(p, z));
        QTemporaryDir work;
        auto r = readBackup(p, Network::Devnet, work.path());
        QVERIFY(!r.ok());
        qInfo("%s", r.error().message.c_str());
        QVERIFY2(r.error().code == ErrorCode::Corrupt || r.error().code == ErrorCode::LimitExceeded,
                 r.error().message.c_str());
        QVERIFY(QDir(work.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWalletBackup)
#include "test_wallet_backup.moc"
