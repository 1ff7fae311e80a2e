// The strict codec: round trips over thousands of random values and sequences, and rejection of
// every kind of malformed input (truncated, overlong/non-minimal varints, oversized lengths,
// trailing bytes, invalid booleans and UTF-8).

#include "util/codec.h"

#include <QRandomGenerator>
#include <QTest>

#include <limits>
#include <variant>

using namespace blyan;

namespace {

// One field of a random record: the test encodes a random list of these and decodes it back.
using Field = std::variant<std::uint8_t, std::uint16_t, std::uint32_t, std::uint64_t, bool, Bytes, std::string,
                           std::pair<std::uint64_t, bool> /* varint */>;

constexpr std::size_t kMaxLen = 4096;

std::uint64_t randomVarintValue(QRandomGenerator &rng)
{
    // Spread over every encoded length (1..10 bytes), including the edges.
    const int bits = rng.bounded(65);
    if (bits == 0) return 0;
    std::uint64_t v = rng.generate64();
    if (bits < 64) v &= (std::uint64_t(1) << bits) - 1;
    return v;
}

std::string randomUtf8(QRandomGenerator &rng)
{
    static const char *pieces[] = {"a", "Z", " ", "é", "한", "中", "😀", "\n", "ß", "ع"};
    std::string s;
    const int n = rng.bounded(20);
    for (int i = 0; i < n; ++i) s += pieces[rng.bounded(10)];
    return s;
}

Field randomField(QRandomGenerator &rng)
{
    switch (rng.bounded(8)) {
    case 0: return static_cast<std::uint8_t>(rng.bounded(256));
    case 1: return static_cast<std::uint16_t>(rng.bounded(65536));
    case 2: return static_cast<std::uint32_t>(rng.generate());
    case 3: return rng.generate64();
    case 4: return rng.bounded(2) == 1;
    case 5: {
        Bytes b(rng.bounded(64));
        for (auto &x : b) x = static_cast<std::uint8_t>(rng.bounded(256));
        return b;
    }
    case 6: return randomUtf8(rng);
    default: return std::make_pair(randomVarintValue(rng), true);
    }
}

void encode(Writer &w, const Field &f)
{
    std::visit([&](const auto &v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::uint8_t>) w.u8(v);
        else if constexpr (std::is_same_v<T, std::uint16_t>) w.u16(v);
        else if constexpr (std::is_same_v<T, std::uint32_t>) w.u32(v);
        else if constexpr (std::is_same_v<T, std::uint64_t>) w.u64(v);
        else if constexpr (std::is_same_v<T, bool>) w.boolean(v);
        else if constexpr (std::is_same_v<T, Bytes>) w.bytes(v);
        else if constexpr (std::is_same_v<T, std::string>) w.string(v);
        else w.varint(v.first);
    }, f);
}

// Decodes one field of the same kind; returns an error or whether the value matched.
Expected<bool> decodeMatches(Reader &r, const Field &f)
{
    return std::visit([&](const auto &v) -> Expected<bool> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::uint8_t>) { BLYAN_TRY(auto x, r.u8()); return x == v; }
        else if constexpr (std::is_same_v<T, std::uint16_t>) { BLYAN_TRY(auto x, r.u16()); return x == v; }
        else if constexpr (std::is_same_v<T, std::uint32_t>) { BLYAN_TRY(auto x, r.u32()); return x == v; }
        else if constexpr (std::is_same_v<T, std::uint64_t>) { BLYAN_TRY(auto x, r.u64()); return x == v; }
        else if constexpr (std::is_same_v<T, bool>) { BLYAN_TRY(auto x, r.boolean()); return x == v; }
        else if constexpr (std::is_same_v<T, Bytes>) { BLYAN_TRY(auto x, r.bytes(kMaxLen)); return x == v; }
        else if constexpr (std::is_same_v<T, std::string>) { BLYAN_TRY(auto x, r.string(kMaxLen)); return x == v; }
        else { BLYAN_TRY(auto x, r.varint()); return x == v.first; }
    }, f);
}

Status decodeAll(ByteView data, const std::vector<Field> &fields)
{
    Reader r(data);
    for (const Field &f : fields) {
        BLYAN_TRY(bool same, decodeMatches(r, f));
        if (!same) return makeError(ErrorCode::Internal, "value mismatch");
    }
    return r.finish();
}

Bytes bytesOf(std::initializer_list<int> v)
{
    Bytes b;
    for (int x : v) b.push_back(static_cast<std::uint8_t>(x));
    return b;
}

}  // namespace

class TestCodec : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixedWidthIsLittleEndian()
    {
        Writer w;
        w.u16(0x0102);
        w.u32(0x03040506);
        w.u64(0x0708090a0b0c0d0eULL);
        QCOMPARE(toHex(w.data()), std::string("0201060504030e0d0c0b0a090807"));
    }

    void varintKnownEncodings()
    {
        const std::pair<std::uint64_t, const char *> cases[] = {
            {0, "00"}, {1, "01"}, {127, "7f"}, {128, "8001"}, {300, "ac02"}, {16383, "ff7f"}, {16384, "808001"},
            {std::numeric_limits<std::uint64_t>::max(), "ffffffffffffffffff01"},
        };
        for (const auto &[value, hex] : cases) {
            Writer w;
            w.varint(value);
            QCOMPARE(toHex(w.data()), std::string(hex));
            Reader r(w.data());
            auto back = r.varint();
            QVERIFY(back.ok());
            QCOMPARE(back.value(), value);
            QVERIFY(r.finish().ok());
        }
    }

    void randomRoundTrips()
    {
        QRandomGenerator rng(20261125);
        for (int iteration = 0; iteration < 5000; ++iteration) {
            std::vector<Field> fields(rng.bounded(1, 12));
            for (auto &f : fields) f = randomField(rng);
            Writer w;
            for (const auto &f : fields) encode(w, f);
            const Bytes data = w.data();
            const Status whole = decodeAll(data, fields);
            QVERIFY2(whole.ok(), whole.ok() ? "" : whole.error().message.c_str());

            // Every strict prefix must fail (truncated), never crash or succeed.
            const std::size_t cut = rng.bounded(static_cast<quint32>(data.size()));
            QVERIFY(!decodeAll(ByteView(data.data(), cut), fields).ok());

            // Any extra byte must be rejected as trailing.
            Bytes longer = data;
            longer.push_back(static_cast<std::uint8_t>(rng.bounded(256)));
            const Status trailing = decodeAll(longer, fields);
            QVERIFY(!trailing.ok());
            QCOMPARE(trailing.error().code, ErrorCode::Malformed);
        }
    }

    void randomGarbageNeverCrashes()
    {
        // Decoding random bytes with random field plans must end in a value or an error, and a
        // declared length must never be allocated before it is checked against what is there.
        QRandomGenerator rng(7);
        for (int iteration = 0; iteration < 5000; ++iteration) {
            Bytes junk(rng.bounded(48));
            for (auto &x : junk) x = static_cast<std::uint8_t>(rng.bounded(256));
            Reader r(junk);
            for (int k = 0; k < 8; ++k) {
                bool ok = false;
                switch (rng.bounded(5)) {
                case 0: ok = r.varint().ok(); break;
                case 1: ok = r.bytes(1 << 30).ok(); break;
                case 2: ok = r.string(1 << 30).ok(); break;
                case 3: ok = r.boolean().ok(); break;
                default: ok = r.u32().ok(); break;
                }
                if (!ok) break;
            }
            QVERIFY(r.position() <= junk.size());
        }
    }

    void truncatedInputs()
    {
        const Bytes r1Input = bytesOf({0x01, 0x02, 0x03});
        Reader r1(r1Input);
        QVERIFY(!r1.u32().ok());
        const Bytes r2Input = bytesOf({0x80});
        Reader r2(r2Input);
        auto v = r2.varint();
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code, ErrorCode::Malformed);
        QVERIFY(QString::fromStdString(v.error().message).contains(QStringLiteral("truncated")));
        const Bytes r3Input = bytesOf({0x05, 'a', 'b'});
        Reader r3(r3Input);  // says 5 bytes, has 2
        QVERIFY(!r3.bytes(100).ok());
    }

    void nonMinimalAndOverlongVarints()
    {
        // 0 written as two bytes, 1 as three: same value, second encoding -> rejected.
        for (const Bytes &b : {bytesOf({0x80, 0x00}), bytesOf({0x81, 0x80, 0x00}), bytesOf({0xff, 0x00})}) {
            Reader r(b);
            auto v = r.varint();
            QVERIFY(!v.ok());
            QVERIFY(QString::fromStdString(v.error().message).contains(QStringLiteral("not minimal")));
        }
        // 11 bytes long.
        const Bytes r11Input = bytesOf({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01});
        Reader r11(r11Input);
        QVERIFY(!r11.varint().ok());
        // 10th byte carries more than the top bit of a u64: overflow.
        const Bytes roInput = bytesOf({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02});
        Reader ro(roInput);
        auto v = ro.varint();
        QVERIFY(!v.ok());
        QVERIFY(QString::fromStdString(v.error().message).contains(QStringLiteral("overflows")));
    }

    void oversizedLengths()
    {
        Writer w;
        w.bytes(Bytes(100, 7));
        Reader r(w.data());
        auto b = r.bytes(99);
        QVERIFY(!b.ok());
        QCOMPARE(b.error().code, ErrorCode::LimitExceeded);

        // A huge declared length with a generous limit: rejected as truncated, nothing allocated.
        Writer big;
        big.varint(std::uint64_t(1) << 40);
        Reader rb(big.data());
        auto hb = rb.bytes(std::numeric_limits<std::size_t>::max());
        QVERIFY(!hb.ok());
        QCOMPARE(hb.error().code, ErrorCode::Malformed);

        Writer count;
        count.varint(1001);
        Reader rc(count.data());
        auto c = rc.varint(1000, "input count");
        QVERIFY(!c.ok());
        QVERIFY(QString::fromStdString(c.error().message).contains(QStringLiteral("input count")));
    }

    void trailingBytes()
    {
        Writer w;
        w.u8(1);
        w.u8(2);
        Reader r(w.data());
        QVERIFY(r.u8().ok());
        const Status s = r.finish();
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.error().message).contains(QStringLiteral("trailing")));
    }

    void booleansAreZeroOrOne()
    {
        const Bytes rInput = bytesOf({2});
        Reader r(rInput);
        QVERIFY(!r.boolean().ok());
    }

    void stringsMustBeUtf8()
    {
        const Bytes bad[] = {
            bytesOf({0x01, 0xff}),                    // invalid byte
            bytesOf({0x02, 0xc0, 0x80}),              // overlong NUL
            bytesOf({0x03, 0xed, 0xa0, 0x80}),        // surrogate
            bytesOf({0x04, 0xf4, 0x90, 0x80, 0x80}),  // above U+10FFFF
            bytesOf({0x02, 0xe4, 0xb8}),              // cut multi-byte sequence
        };
        for (const Bytes &b : bad) {
            Reader r(b);
            QVERIFY(!r.string(100).ok());
        }
        QVERIFY(isValidUtf8("héllo 中文 😀"));
    }

    void hexIsStrict()
    {
        QVERIFY(fromHex("0aFf").ok());
        QVERIFY(!fromHex("abc").ok());
        QVERIFY(!fromHex("zz").ok());
        QCOMPARE(toHex(fromHex("00ff10").value()), std::string("00ff10"));
    }
};

QTEST_GUILESS_MAIN(TestCodec)
#include "test_codec.moc"
