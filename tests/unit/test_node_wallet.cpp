// The wallet inside a node, on a real devnet chain in SQLite (no processes): create from a phrase, devnet
// funding, history rows from pending to final, sends and stakes, filters, locking (manual, wrong
// passphrase, unlock timeout), restore of the same phrase into another data dir finding the history, and
// no secret in the log file.

#include "chain/address.h"
#include "node/node_chain.h"
#include "node/node_storage.h"
#include "node/node_wallet.h"
#include "storage/database.h"
#include "storage/object_store.h"
#include "util/log.h"
#include "wallet/keychain.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace blyan;
using namespace blyan::node;

namespace {

crypto::SecureBytes secret(const char *s) { return crypto::SecureBytes::copyOf(asBytes(std::string_view(s))); }
crypto::SecureBytes secret(const QString &s)
{
    const QByteArray u = s.toUtf8();
    return crypto::SecureBytes::copyOf(asBytes(std::string_view(u.constData(), static_cast<std::size_t>(u.size()))));
}

const char *kPass = "Tr0ub4dor&3-horse";

QJsonArray rows(NodeWallet &w, const QJsonObject &filter = {})
{
    auto r = w.listTransactions(100, 0, filter);
    if (!r) qFatal("%s", r.error().message.c_str());
    return r->toArray();
}

// The OS keychain as a map (a real Secret Service round trip is tests/integration/test_keychain). It
// answers synchronously, which the wallet must handle as well as a later answer.
class FakeKeychain : public wallet::SecretStore {
public:
    std::map<QString, Bytes> entries;
    void write(const QString &key, crypto::SecureBytes secret, StatusCallback done) override
    {
        entries[key] = Bytes(secret.view().begin(), secret.view().end());
        done({});
    }
    void read(const QString &key, ReadCallback done) override
    {
        auto it = entries.find(key);
        if (it == entries.end()) return done(makeError(ErrorCode::NotFound, "no entry"));
        done(crypto::SecureBytes::copyOf(it->second));
    }
    void remove(const QString &key, StatusCallback done) override
    {
        entries.erase(key);
        done({});
    }
    bool available() const override { return true; }
};

Expected<QJsonValue> await(const std::function<void(WalletReply)> &call)
{
    std::optional<Expected<QJsonValue>> out;
    call([&](Expected<QJsonValue> r) { out = std::move(r); });
    if (!out) qFatal("no reply");
    return std::move(*out);
}

}  // namespace

class TestNodeWallet : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    std::optional<NodeStorage> store_;
    std::unique_ptr<NodeChain> chain_;
    std::int64_t clock_ = 0;

    // A block as the slot timer would make it (the clock moves one slot per call).
    void produce()
    {
        clock_ += 1000;
        QVERIFY(chain_->maybeProduceBlock(clock_));
    }

private Q_SLOTS:
    void initTestCase()
    {
        initLogging(LogOptions{false, tmp_.filePath(QStringLiteral("logs")), 10 << 20});
        const QString dir = tmp_.filePath(QStringLiteral("node"));
        QVERIFY(QDir().mkpath(dir));
        auto store = openNodeStorage(Network::Devnet, dir);
        QVERIFY(store.ok());
        store_ = std::move(*store);
        auto c = NodeChain::open(Network::Devnet, dir, *store_->db, *store_->objects);
        QVERIFY(c.ok());
        chain_ = std::move(*c);
        clock_ = QDateTime::currentMSecsSinceEpoch();
    }

    void endToEnd()
    {
        const QString dir = tmp_.filePath(QStringLiteral("node"));
        auto opened = NodeWallet::open(Network::Devnet, dir, chain_.get());
        QVERIFY(opened.ok());
        NodeWallet &w = **opened;
        QCOMPARE(w.getWalletInfo()->toObject().value(QStringLiteral("state")).toString(), QStringLiteral("none"));
        QCOMPARE(w.sendToAddress(QStringLiteral("x"), QStringLiteral("1"), {}, {}).error().code, ErrorCode::NoWallet);

        const QString phrase = w.generateMnemonic()->toString();
        QCOMPARE(phrase.split(QLatin1Char(' ')).size(), 24);
        QVERIFY(!w.validateMnemonic(secret("abandon abandon"))->toObject().value(QStringLiteral("valid")).toBool());
        auto created = w.createWallet(secret(kPass), secret(phrase), secret(""));
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        QCOMPARE(created->toObject().value(QStringLiteral("state")).toString(), QStringLiteral("unlocked"));
        QCOMPARE(w.createWallet(secret(kPass), secret(phrase), secret("")).error().code, ErrorCode::AlreadyExists);

        // The devnet funding: pending until a block takes it, then final.
        QCOMPARE(created->toObject().value(QStringLiteral("balance")).toObject().value(QStringLiteral("pending_in"))
                     .toObject().value(QStringLiteral("bly")).toString(), QStringLiteral("10000 BLY"));
        produce();
        QVERIFY(w.sync());
        QJsonArray h = rows(w);
        QCOMPARE(h.size(), 1);
        QCOMPARE(h[0].toObject().value(QStringLiteral("direction")).toString(), QStringLiteral("received"));
        QCOMPARE(h[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("final"));

        // To a second own address: a "self" row, pending then final; only the fee leaves the wallet.
        const QString second = w.getNewAddress(QStringLiteral("Savings"))->toString();
        QVERIFY(w.validateAddress(second)->toObject().value(QStringLiteral("ismine")).toBool());
        const QString txid = w.sendToAddress(second, QStringLiteral("12.5"), {}, {})->toString();
        QCOMPARE(rows(w, {{QStringLiteral("status"), QStringLiteral("pending")}}).size(), 1);
        produce();
        w.sync();
        const QJsonArray self = rows(w, {{QStringLiteral("direction"), QStringLiteral("self")}});
        QCOMPARE(self.size(), 1);
        QCOMPARE(self[0].toObject().value(QStringLiteral("txid")).toString(), txid);
        QCOMPARE(self[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("final"));
        QCOMPARE(self[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("Savings"));
        const chain::Amount fee = self[0].toObject().value(QStringLiteral("fee")).toObject().value(QStringLiteral("units")).toString().toULongLong();
        QVERIFY(fee > 0);
        auto info = w.getWalletInfo()->toObject();
        QCOMPARE(info.value(QStringLiteral("balance")).toObject().value(QStringLiteral("available")).toObject()
                     .value(QStringLiteral("units")).toString().toULongLong(),
                 kDevnetWalletFunding - fee);

        // To someone else, with a label that goes into the address book; search finds it by label.
        const QString other = QString::fromStdString(chain::formatAddress(Network::Devnet, crypto::KeyPair::generate().publicKey()));
        QVERIFY(w.sendToAddress(other, QStringLiteral("1 BLY"), QStringLiteral("0.001"), QStringLiteral("Alice")).ok());
        QVERIFY(w.stake(QStringLiteral("100"), {}, false).ok());
        produce();
        w.sync();
        const QJsonArray alice = rows(w, {{QStringLiteral("search"), QStringLiteral("alic")}});
        QCOMPARE(alice.size(), 1);
        QCOMPARE(alice[0].toObject().value(QStringLiteral("direction")).toString(), QStringLiteral("sent"));
        QCOMPARE(alice[0].toObject().value(QStringLiteral("fee")).toObject().value(QStringLiteral("bly")).toString(),
                 QStringLiteral("0.001 BLY"));
        QCOMPARE(rows(w, {{QStringLiteral("kind"), QStringLiteral("stake")}}).size(), 1);
        QCOMPARE(w.getWalletInfo()->toObject().value(QStringLiteral("balance")).toObject().value(QStringLiteral("staked"))
                     .toObject().value(QStringLiteral("bly")).toString(), QStringLiteral("100 BLY"));

        // Errors a user meets.
        QVERIFY(w.sendToAddress(other, QStringLiteral("1000000"), {}, {}).error().message.find("insufficient funds") !=
                std::string::npos);
        QCOMPARE(w.sendToAddress(QStringLiteral("tbly1qqqq"), QStringLiteral("1"), {}, {}).ok(), false);
        QVERIFY(w.listTransactions(10, 0, {{QStringLiteral("status"), QStringLiteral("lost")}}).error().message.find(
                    "filter.status") != std::string::npos);

        // Locking.
        QVERIFY(w.lock().ok());
        QCOMPARE(w.sendToAddress(other, QStringLiteral("1"), {}, {}).error().code, ErrorCode::WalletLocked);
        QCOMPARE(w.unlock(secret("wrong passphrase"), 60).error().code, ErrorCode::WrongPassphrase);
        QVERIFY(w.getNewAddress({}).ok());  // from the keypool, locked
        QVERIFY(w.unlock(secret(kPass), 1).ok());
        QVERIFY(!w.tick(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(w.tick(QDateTime::currentMSecsSinceEpoch() + 1500));
        QCOMPARE(w.getWalletInfo()->toObject().value(QStringLiteral("state")).toString(), QStringLiteral("locked"));

        // The recovery phrase needs the passphrase; the passphrase can change.
        QCOMPARE(w.showMnemonic(secret("nope")).error().code, ErrorCode::WrongPassphrase);
        QCOMPARE(w.showMnemonic(secret(kPass))->toString(), phrase);
        QVERIFY(w.changePassphrase(secret(kPass), secret("a brand new passphrase")).ok());
        QVERIFY(w.unlock(secret("a brand new passphrase"), 60).ok());

        // The OS keychain keeps the unlock key when asked; it then unlocks without the passphrase, and a
        // passphrase change makes the stored key useless (reported, not silently ignored).
        FakeKeychain keychain;
        w.setKeychain(&keychain);
        QVERIFY(w.lock().ok());
        QCOMPARE(await([&](WalletReply r) { w.unlockFromKeychain(60, r); }).error().code, ErrorCode::NotFound);
        QVERIFY(await([&](WalletReply r) { w.unlockAndRemember(secret("a brand new passphrase"), 60, true, r); }).ok());
        QCOMPARE(keychain.entries.size(), std::size_t(1));
        QVERIFY(w.getWalletInfo()->toObject().value(QStringLiteral("keychain")).toBool());
        QVERIFY(w.lock().ok());
        QVERIFY(await([&](WalletReply r) { w.unlockFromKeychain(60, r); }).ok());
        QCOMPARE(w.getWalletInfo()->toObject().value(QStringLiteral("state")).toString(), QStringLiteral("unlocked"));
        QVERIFY(w.changePassphrase(secret("a brand new passphrase"), secret("and another one")).ok());
        QVERIFY(w.lock().ok());
        QCOMPARE(await([&](WalletReply r) { w.unlockFromKeychain(60, r); }).error().code, ErrorCode::WrongPassphrase);
        QVERIFY(await([&](WalletReply r) { w.forgetKeychain(r); }).ok());
        QVERIFY(keychain.entries.empty());
        QVERIFY(w.unlock(secret("and another one"), 60).ok());

        // Payment URIs both ways.
        const QString uri = w.formatPaymentUri(second, QStringLiteral("2.5"), QStringLiteral("Tea"))->toString();
        QVERIFY(uri.startsWith(QStringLiteral("blyan:") + second));
        const QJsonObject parsed = w.parsePaymentUri(uri)->toObject();
        QCOMPARE(parsed.value(QStringLiteral("amount")).toString(), QStringLiteral("2.5 BLY"));
        QCOMPARE(parsed.value(QStringLiteral("label")).toString(), QStringLiteral("Tea"));
        QVERIFY(!w.parsePaymentUri(QStringLiteral("blyan:") + second + QStringLiteral("?amount=-1")).ok());

        // Backup, then import into a fresh data dir: the wrong passphrase changes nothing there.
        const QString zip = tmp_.filePath(QStringLiteral("backup.zip"));
        QCOMPARE(w.backupWallet(zip)->toString(), zip);
        QVERIFY(!w.backupWallet(dir + QStringLiteral("/inside.zip")).ok());
        const QString dir3 = tmp_.filePath(QStringLiteral("imported"));
        QVERIFY(QDir().mkpath(dir3));
        {
            auto imp = NodeWallet::open(Network::Devnet, dir3, chain_.get());
            QVERIFY(imp.ok());
            std::unique_ptr<NodeWallet> iw = std::move(*imp);
            QCOMPARE(NodeWallet::importBackup(iw, zip, secret("wrong one")).error().code, ErrorCode::WrongPassphrase);
            QVERIFY(!iw->hasWallet());
            auto done = NodeWallet::importBackup(iw, zip, secret("and another one"));
            QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
            QVERIFY(iw->hasWallet());
            QCOMPARE(rows(*iw, {{QStringLiteral("search"), QStringLiteral("alice")}}).size(), 1);  // book came along
            QVERIFY(QFile::exists(dir3 + QStringLiteral("/node.key.from-backup")));
            QCOMPARE(NodeWallet::importBackup(iw, zip, secret("and another one")).error().code, ErrorCode::AlreadyExists);
        }

        // Restore: the same phrase in another data dir finds the whole history on the chain.
        const QString dir2 = tmp_.filePath(QStringLiteral("restored"));
        QVERIFY(QDir().mkpath(dir2));
        auto restoredOpen = NodeWallet::open(Network::Devnet, dir2, chain_.get());
        QVERIFY(restoredOpen.ok());
        NodeWallet &r = **restoredOpen;
        QVERIFY(r.createWallet(secret("restored passphrase"), secret(phrase), secret("")).ok());
        const QJsonArray restored = rows(r, {{QStringLiteral("status"), QStringLiteral("final")}});
        QCOMPARE(restored.size(), 4);  // funding, self transfer, Alice, stake
        QCOMPARE(rows(r, {{QStringLiteral("direction"), QStringLiteral("self")}}).size(), 2);
        // The second address was found on the chain and counts as handed out again.
        QVERIFY(r.getWalletInfo()->toObject().value(QStringLiteral("addresses")).toArray().size() >= 2);

        // No secret in the log.
        shutdownLogging();
        QFile log(tmp_.filePath(QStringLiteral("logs/blyan.log")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray text = log.readAll();
        QVERIFY(text.contains("wallet created"));
        QVERIFY(!text.contains(kPass));
        QVERIFY(!text.contains("brand new passphrase"));
        QVERIFY(!text.contains("and another one"));
        // Single phrase words are ordinary English ("first" is one); a leak shows as consecutive words.
        const QStringList words = phrase.split(QLatin1Char(' '));
        for (int i = 0; i + 1 < words.size(); ++i)
            QVERIFY2(!text.contains((words[i] + QLatin1Char(' ') + words[i + 1]).toUtf8()), qPrintable(words[i]));
    }
};

QTEST_GUILESS_MAIN(TestNodeWallet)
#include "test_node_wallet.moc"
