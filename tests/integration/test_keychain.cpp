// QtKeychainStore against a real Secret Service (gnome-keyring-daemon on a private D-Bus session that
// tests/integration/keychain.cmake starts), and without any session bus, where it must fail fast and clearly.
//
// The two setups need different processes (a D-Bus connection, once made, lasts for the process), so CTest runs
// this executable twice: "test_keychain" with the real-service functions, "test_keychain_nobus" with noSessionBus.

#include "wallet/keychain.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace blyan;
using namespace blyan::wallet;

namespace {

const char *kNoBus = "unix:path=/nonexistent";

bool noSessionBus() { return qgetenv("DBUS_SESSION_BUS_ADDRESS") == kNoBus; }

crypto::SecureBytes secretOf(std::uint8_t fill, std::size_t size = 32)
{
    crypto::SecureBytes s(size);
    for (std::size_t i = 0; i < size; ++i) s.data()[i] = static_cast<std::uint8_t>(fill + i);
    return s;
}

// Runs the event loop until the callback has delivered, for at most `ms`.
template <typename T>
std::optional<T> await(std::optional<T> &slot, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!slot && t.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return std::move(slot);
}

Status writeSync(SecretStore &store, const QString &key, crypto::SecureBytes secret, int ms = 30'000)
{
    std::optional<Status> r;
    store.write(key, std::move(secret), [&r](Status s) { r = std::move(s); });
    auto got = await(r, ms);
    return got ? *got : Status(makeError(ErrorCode::Internal, "write: no answer within the test's wait"));
}

Expected<crypto::SecureBytes> readSync(SecretStore &store, const QString &key, int ms = 30'000)
{
    std::optional<Expected<crypto::SecureBytes>> r;
    store.read(key, [&r](Expected<crypto::SecureBytes> s) { r.emplace(std::move(s)); });
    auto got = await(r, ms);
    if (!got) return makeError(ErrorCode::Internal, "read: no answer within the test's wait");
    return std::move(*got);
}

Status removeSync(SecretStore &store, const QString &key, int ms = 30'000)
{
    std::optional<Status> r;
    store.remove(key, [&r](Status s) { r = std::move(s); });
    auto got = await(r, ms);
    return got ? *got : Status(makeError(ErrorCode::Internal, "remove: no answer within the test's wait"));
}

Status probeSync(SecretStore &store, int ms = 30'000)
{
    std::optional<Status> r;
    probeSecretStore(store, [&r](Status s) { r = std::move(s); });
    auto got = await(r, ms);
    return got ? *got : Status(makeError(ErrorCode::Internal, "probe: no answer within the test's wait"));
}

#define REQUIRE_OK(expr)                                                          \
    do {                                                                          \
        const auto &r_ = (expr);                                                  \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str());             \
    } while (0)

}  // namespace

class TestKeychain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no DBUS_SESSION_BUS_ADDRESS: run through CTest (test_keychain starts dbus-run-session and "
                  "gnome-keyring-daemon; test_keychain_nobus sets unix:path=/nonexistent)");
    }

    void roundTrip()
    {
        if (noSessionBus()) QSKIP("needs a Secret Service (CTest's test_keychain provides one)");
        QTemporaryDir dir;
        QtKeychainStore store(Network::Devnet, dir.path());
        const QString key = QStringLiteral("wallet-unlock-key");

        REQUIRE_OK(writeSync(store, key, secretOf(1)));
        auto first = readSync(store, key);
        REQUIRE_OK(first);
        QVERIFY(first->equals(secretOf(1)));
        QVERIFY(store.available());

        // Overwrite with a secret of another length: the old bytes must not survive anywhere in the answer.
        REQUIRE_OK(writeSync(store, key, secretOf(0x80, 48)));
        auto second = readSync(store, key);
        REQUIRE_OK(second);
        QVERIFY(second->equals(secretOf(0x80, 48)));

        REQUIRE_OK(removeSync(store, key));
        auto gone = readSync(store, key);
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
        QVERIFY2(gone.error().message.find("passphrase") != std::string::npos, gone.error().message.c_str());
        // Removing what is not there is not an error: the caller wanted it gone.
        REQUIRE_OK(removeSync(store, key));
        QVERIFY(store.available());
    }

    void binarySecretsSurvive()
    {
        if (noSessionBus()) QSKIP("needs a Secret Service (CTest's test_keychain provides one)");
        QTemporaryDir dir;
        QtKeychainStore store(Network::Devnet, dir.path());
        crypto::SecureBytes all(256);  // every byte value, NULs included
        for (std::size_t i = 0; i < 256; ++i) all.data()[i] = static_cast<std::uint8_t>(i);
        REQUIRE_OK(writeSync(store, QStringLiteral("bytes"), crypto::SecureBytes::copyOf(all.view())));
        auto back = readSync(store, QStringLiteral("bytes"));
        REQUIRE_OK(back);
        QVERIFY(back->equals(all));
        REQUIRE_OK(removeSync(store, QStringLiteral("bytes")));
    }

    void dataDirsAndNetworksDoNotCollide()
    {
        if (noSessionBus()) QSKIP("needs a Secret Service (CTest's test_keychain provides one)");
        QTemporaryDir a, b;
        QtKeychainStore devA(Network::Devnet, a.path()), devB(Network::Devnet, b.path());
        QtKeychainStore testA(Network::Testnet, a.path());
        QVERIFY(devA.entryName(QStringLiteral("k")) != devB.entryName(QStringLiteral("k")));
        QVERIFY(devA.entryName(QStringLiteral("k")) != testA.entryName(QStringLiteral("k")));
        QVERIFY(devA.entryName(QStringLiteral("k")).startsWith(QStringLiteral("devnet/")));
        // The same directory reached through another spelling is the same entry.
        QtKeychainStore devA2(Network::Devnet, a.path() + QStringLiteral("/./"));
        QCOMPARE(devA2.entryName(QStringLiteral("k")), devA.entryName(QStringLiteral("k")));

        const QString key = QStringLiteral("wallet-unlock-key");
        REQUIRE_OK(writeSync(devA, key, secretOf(7)));
        auto other = readSync(devB, key);
        QVERIFY(!other.ok());
        QCOMPARE(other.error().code, ErrorCode::NotFound);
        auto otherNet = readSync(testA, key);
        QVERIFY(!otherNet.ok());
        QCOMPARE(otherNet.error().code, ErrorCode::NotFound);
        REQUIRE_OK(removeSync(devA, key));
    }

    void probeFindsTheService()
    {
        if (noSessionBus()) QSKIP("needs a Secret Service (CTest's test_keychain provides one)");
        QTemporaryDir dir;
        QtKeychainStore store(Network::Devnet, dir.path());
        REQUIRE_OK(probeSync(store));
        QVERIFY(store.available());
    }

    // A destroyed store drops its pending callbacks instead of calling into a dead owner.
    void destroyedStoreDropsCallbacks()
    {
        if (noSessionBus()) QSKIP("needs a Secret Service (CTest's test_keychain provides one)");
        QTemporaryDir dir;
        bool called = false;
        {
            QtKeychainStore store(Network::Devnet, dir.path());
            store.read(QStringLiteral("nothing"), [&called](Expected<crypto::SecureBytes>) { called = true; });
        }
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 1500) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QVERIFY(!called);
    }

    // No session bus at all: every operation fails quickly with the message the user sees, none hangs.
    void noSessionBusFailsFast()
    {
        if (!noSessionBus()) QSKIP("needs DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent (CTest's test_keychain_nobus)");
        QTemporaryDir dir;
        QtKeychainStore store(Network::Devnet, dir.path());
        QVERIFY(store.available());  // optimistic until asked

        QElapsedTimer t;
        t.start();
        Status w = writeSync(store, QStringLiteral("wallet-unlock-key"), secretOf(3), 10'000);
        QVERIFY(!w.ok());
        qInfo("what the user sees: %s", w.error().message.c_str());
        QVERIFY2(w.error().code == ErrorCode::Unavailable, w.error().message.c_str());
        QVERIFY2(w.error().message.find("the OS keychain is not available") == 0, w.error().message.c_str());
        QVERIFY2(w.error().message.find("still works with its passphrase") != std::string::npos,
                 w.error().message.c_str());
        QVERIFY(!store.available());

        auto r = readSync(store, QStringLiteral("wallet-unlock-key"), 10'000);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Unavailable);
        Status p = probeSync(store, 10'000);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().code, ErrorCode::Unavailable);
        QVERIFY2(t.elapsed() < 10'000, qPrintable(QStringLiteral("took %1 ms").arg(t.elapsed())));
    }

    // The store's own deadline: a keychain that never answers becomes an error, not a wait for ever.
    void timeoutAnswersOnce()
    {
        if (!noSessionBus()) QSKIP("runs in test_keychain_nobus");
        QTemporaryDir dir;
        QtKeychainStore store(Network::Devnet, dir.path());
        store.setTimeoutMs(0);  // expires before the job can answer
        int calls = 0;
        std::optional<Status> r;
        store.remove(QStringLiteral("k"), [&](Status s) {
            ++calls;
            r = std::move(s);
        });
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 2000) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QCOMPARE(calls, 1);
        QVERIFY(r && !r->ok());
        QVERIFY2(r->error().message.find("did not answer") != std::string::npos, r->error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "test_keychain.moc"
