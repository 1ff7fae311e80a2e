// The keystore file and the wallet's keys: round trip, wrong passphrase, every kind of damage reported as
// damage (and the file left as it was), another network refused, passphrase change, keypool growth, and
// addresses from the mnemonic equal to the published derivation.

#include "crypto/bip39.h"
#include "crypto/hash.h"
#include "crypto/slip10.h"
#include "storage/atomic_file.h"
#include "wallet/keystore.h"
#include "wallet/wallet_keys.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace blyan;
using namespace blyan::wallet;

namespace {

// Cheap Argon2id for tests (the product calibrates to ~0.5 s): 8 MiB, 1 pass.
const crypto::Argon2Params kFastKdf{1, 8 * 1024 * 1024};
const char *kPhrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
                      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
                      "abandon art";

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

void writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) qFatal("cannot write %s", qPrintable(path));
    f.write(data);
}

}  // namespace

class TestWalletKeys : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString path() const { return tmp_.filePath(QStringLiteral("keystore.blyw")); }

    WalletKeys createFresh()
    {
        QFile::remove(path());
        auto m = crypto::Mnemonic::parse(kPhrase);
        if (!m) qFatal("mnemonic");
        auto w = WalletKeys::create(path(), 7, *m, "", "correct horse", kFastKdf, 1000);
        if (!w) qFatal("%s", w.error().message.c_str());
        return std::move(*w);
    }

private Q_SLOTS:
    void createUnlockAndSign()
    {
        WalletKeys w = createFresh();
        QVERIFY(w.unlocked());
        QCOMPARE(w.keypoolSize(), kKeypoolSize);
        // Index 0 is the documented derivation of the phrase.
        auto m = crypto::Mnemonic::parse(kPhrase);
        auto seed = m->seed();
        auto expected = crypto::deriveBlyanKeyPair(seed->view(), 0, 0);
        QCOMPARE(w.publicKey(0), expected->publicKey());
        QCOMPARE(w.keyPair(5)->publicKey(), w.publicKey(5));
        QCOMPARE(QFile::permissions(path()) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());

        w.lock();
        QVERIFY(!w.unlocked());
        QCOMPARE(w.keyPair(0).error().code, ErrorCode::WalletLocked);

        auto loaded = WalletKeys::load(path(), 7);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->publicKey(3), w.publicKey(3));  // addresses while locked
        const Status wrong = loaded->unlock("wrong horse");
        QCOMPARE(wrong.error().code, ErrorCode::WrongPassphrase);
        QVERIFY(loaded->unlock("correct horse").ok());
        QCOMPARE(QString::fromStdString(std::string(reinterpret_cast<const char *>(loaded->revealMnemonic("correct horse")->data()),
                                                    loaded->revealMnemonic("correct horse")->size())),
                 QString::fromLatin1(kPhrase));
        QCOMPARE(loaded->revealMnemonic("nope").error().code, ErrorCode::WrongPassphrase);
        // The keychain path: the stored key opens it without Argon2id.
        auto key = loaded->unlockKey();
        loaded->lock();
        QVERIFY(loaded->unlockWithKey(*key).ok());
    }

    void refusesExistingAndShortPassphrase()
    {
        createFresh();
        auto m = crypto::Mnemonic::parse(kPhrase);
        auto again = WalletKeys::create(path(), 7, *m, "", "correct horse", kFastKdf, 1);
        QCOMPARE(again.error().code, ErrorCode::AlreadyExists);
        QFile::remove(path());
        auto weak = WalletKeys::create(path(), 7, *m, "", "short", kFastKdf, 1);
        QCOMPARE(weak.error().code, ErrorCode::InvalidArgument);
        QVERIFY(!QFile::exists(path()));
    }

    void otherNetworkRefused()
    {
        createFresh();
        auto other = WalletKeys::load(path(), 8);
        QVERIFY(!other.ok());
        QVERIFY(other.error().message.find("another network") != std::string::npos);
    }

    void damageIsReportedAsDamage_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("truncated by one byte") << 0;
        QTest::newRow("truncated to half") << 1;
        QTest::newRow("bit flip in the ciphertext") << 2;
        QTest::newRow("bit flip in a public key") << 3;
        QTest::newRow("appended byte") << 4;
        QTest::newRow("empty file") << 5;
    }

    void damageIsReportedAsDamage()
    {
        QFETCH(int, mode);
        createFresh();
        QByteArray bytes = readAll(path());
        switch (mode) {
        case 0: bytes.chop(1); break;
        case 1: bytes.truncate(bytes.size() / 2); break;
        case 2: bytes[bytes.size() - 40] = static_cast<char>(bytes[bytes.size() - 40] ^ 1); break;
        case 3: bytes[60] = static_cast<char>(bytes[60] ^ 0x10); break;
        case 4: bytes.append('x'); break;
        case 5: bytes.clear(); break;
        }
        writeAll(path(), bytes);
        auto loaded = WalletKeys::load(path(), 7);
        QVERIFY(!loaded.ok());
        const std::string msg = loaded.error().message;
        QVERIFY2(msg.find("damaged") != std::string::npos || msg.find("not a Blyan wallet keystore") != std::string::npos,
                 msg.c_str());
        QVERIFY2(msg.find("passphrase") == std::string::npos, msg.c_str());
        QCOMPARE(readAll(path()), bytes);  // nothing rewritten
    }

    void tamperedHeaderFailsAtUnlock()
    {
        // Someone who rewrites a public key *and* fixes the checksum still cannot pass the unlock: the
        // header is the AEAD's associated data.
        createFresh();
        auto ks = Keystore::load(path());
        KeystoreHeader h = ks->header();
        h.keypool[1][0] ^= 1;
        Bytes file = ks->encode();
        // Re-encode with the swapped key by decoding a patched copy: find and patch the key bytes.
        const auto pos = std::search(file.begin(), file.end(), ks->header().keypool[1].begin(), ks->header().keypool[1].end());
        QVERIFY(pos != file.end());
        *pos ^= 1;
        file.resize(file.size() - 32);
        const auto sum = crypto::blake2b256(file);
        file.insert(file.end(), sum.begin(), sum.end());
        QVERIFY(storage::writeFileAtomic(path(), file).ok());
        auto loaded = WalletKeys::load(path(), 7);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->publicKey(1), h.keypool[1]);
        QCOMPARE(loaded->unlock("correct horse").error().code, ErrorCode::WrongPassphrase);
    }

    void changePassphraseAndGrowKeypool()
    {
        WalletKeys w = createFresh();
        QCOMPARE(w.changePassphrase("not it", "new passphrase here").error().code, ErrorCode::WrongPassphrase);
        QVERIFY(w.changePassphrase("correct horse", "new passphrase here").ok());
        QVERIFY(w.extendKeypool(kKeypoolSize + 10).ok());
        auto loaded = WalletKeys::load(path(), 7);
        QCOMPARE(loaded->keypoolSize(), kKeypoolSize + 10);
        QCOMPARE(loaded->unlock("correct horse").error().code, ErrorCode::WrongPassphrase);
        QVERIFY(loaded->unlock("new passphrase here").ok());
        QCOMPARE(loaded->keyPair(kKeypoolSize + 9)->publicKey(), loaded->publicKey(kKeypoolSize + 9));
        loaded->lock();
        QCOMPARE(loaded->extendKeypool(kKeypoolSize + 20).error().code, ErrorCode::WalletLocked);
    }
};

QTEST_GUILESS_MAIN(TestWalletKeys)
#include "test_wallet_keys.moc"
