// core/crypto tests. Every known-answer vector below is copied from its published source (named
// at each test); a wrapper that passes its own round trips but disagrees with these would not
// interoperate with anything else.

#include "crypto/aead.h"
#include "crypto/bech32.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/secure_memory.h"
#include "crypto/x25519.h"

#include <QtTest>

#include <string>
#include <string_view>
#include <utility>

using namespace blyan;
using namespace blyan::crypto;

namespace {

Bytes hx(std::string_view hex)
{
    auto b = fromHex(hex);
    if (!b) qFatal("bad hex in test vector: %s", b.error().message.c_str());
    return std::move(b).value();
}

template <std::size_t N>
std::array<std::uint8_t, N> arr(std::string_view hex)
{
    const Bytes b = hx(hex);
    if (b.size() != N) qFatal("test vector has %zu bytes, expected %zu", b.size(), N);
    std::array<std::uint8_t, N> a{};
    std::copy(b.begin(), b.end(), a.begin());
    return a;
}

SecureBytes sec(std::string_view hex) { return SecureBytes::copyOf(hx(hex)); }

QString h(ByteView v) { return QString::fromStdString(toHex(v)); }
template <std::size_t N>
QString h(const std::array<std::uint8_t, N> &a) { return h(ByteView(a.data(), a.size())); }
QString msg(const Error &e) { return QString::fromStdString(e.message); }

// RFC 8032 section 7.1, TEST 1024: the 1023-byte message.
constexpr std::string_view kMsg1024 =
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
    "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
    "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
    "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
    "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
    "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
    "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
    "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
    "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
    "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
    "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
    "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
    "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
    "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
    "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
    "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
    "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
    "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
    "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
    "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
    "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
    "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0";

}  // namespace

class TestCrypto : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- BLAKE2b ----
    void blake2bRfc7693()
    {
        // RFC 7693 Appendix A: BLAKE2b-512("abc").
        auto d = blake2b(asBytes("abc"), 64);
        QVERIFY(d.ok());
        QCOMPARE(h(*d), QStringLiteral("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                                       "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"));
        QVERIFY(!blake2b(asBytes("abc"), 15).ok());
        QVERIFY(!blake2b(asBytes("abc"), 65).ok());
    }

    void blake2b256Vectors()
    {
        QCOMPARE(h(blake2b256(asBytes(""))),
                 QStringLiteral("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
        QCOMPARE(h(blake2b256(asBytes("abc"))),
                 QStringLiteral("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
        auto generic = blake2b(asBytes("abc"), 32);
        QVERIFY(generic.ok());
        QCOMPARE(h(*generic), h(blake2b256(asBytes("abc"))));
    }

    void blake2bStreamEqualsOneShot()
    {
        const Bytes data = hx(kMsg1024);
        for (std::size_t piece : {std::size_t(1), std::size_t(7), std::size_t(128), std::size_t(1000)}) {
            Blake2b256Stream s;
            for (std::size_t i = 0; i < data.size(); i += piece)
                s.update(ByteView(data).subspan(i, std::min(piece, data.size() - i)));
            QCOMPARE(h(s.finish()), h(blake2b256(data)));
        }
        Blake2b256Stream empty;
        QCOMPARE(h(empty.finish()), QStringLiteral("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, empty.finish());
        QCOMPARE(h(*hashFromHex(hashToHex(blake2b256(data)))), h(blake2b256(data)));
        QVERIFY(!hashFromHex("abcd").ok());
    }

    // ---- secure memory ----
    void secureBytesBasics()
    {
        SecureBytes z(16);
        QCOMPARE(z.size(), std::size_t(16));
        for (std::uint8_t b : z.view()) QCOMPARE(b, std::uint8_t(0));
        SecureBytes a = SecureBytes::copyOf(hx("00112233"));
        QVERIFY(a.equals(hx("00112233")));
        QVERIFY(!a.equals(hx("00112234")));
        QVERIFY(!a.equals(hx("001122")));  // different length
        QVERIFY(SecureBytes().equals(ByteView()));
        QVERIFY(SecureBytes().empty());
        std::uint8_t buf[4] = {1, 2, 3, 4};
        secureZero(buf, sizeof buf);
        for (std::uint8_t b : buf) QCOMPARE(b, std::uint8_t(0));
    }

    void secureBytesMove()
    {
        SecureBytes a = SecureBytes::copyOf(hx("deadbeef"));
        const std::uint8_t *p = a.data();
        SecureBytes b(std::move(a));
        QCOMPARE(b.data(), p);  // ownership moved, not copied
        QVERIFY(b.equals(hx("deadbeef")));
        QVERIFY(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
        QVERIFY(a.data() == nullptr);
        SecureBytes c = SecureBytes::copyOf(hx("01"));
        c = std::move(b);  // frees c's old buffer, takes b's
        QCOMPARE(c.data(), p);
        QVERIFY(b.empty());
        c.reset();
        QVERIFY(c.empty());
        static_assert(!std::is_copy_constructible_v<SecureBytes>);
        static_assert(!std::is_copy_assignable_v<SecureBytes>);
        static_assert(std::is_nothrow_move_constructible_v<SecureBytes>);
    }

    void randomness()
    {
        const Bytes r1 = randomBytes(32), r2 = randomBytes(32);
        QCOMPARE(r1.size(), std::size_t(32));
        QVERIFY(r1 != r2);  // 2^-256 chance of a false failure
        SecureBytes s = randomSecureBytes(32);
        QCOMPARE(s.size(), std::size_t(32));
        QVERIFY(!s.equals(Bytes(32, 0)));
    }

    // ---- Ed25519 ----
    void ed25519Rfc8032_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("pub");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("signature");
        // RFC 8032 section 7.1.
        QTest::newRow("TEST 1") << "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
                                << "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" << ""
                                << "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        QTest::newRow("TEST 2") << "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
                                << "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c" << "72"
                                << "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
        QTest::newRow("TEST 3") << "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"
                                << "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025" << "af82"
                                << "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a";
        QTest::newRow("TEST 1024") << "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5"
                                   << "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e"
                                   << QString::fromLatin1(kMsg1024.data(), qsizetype(kMsg1024.size()))
                                   << "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03";
        QTest::newRow("TEST SHA(abc)")
            << "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42"
            << "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf"
            << "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            << "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704";
    }

    void ed25519Rfc8032()
    {
        QFETCH(QString, secret);
        QFETCH(QString, pub);
        QFETCH(QString, message);
        QFETCH(QString, signature);
        const Bytes m = hx(message.toStdString());
        if (QTest::currentDataTag() == QLatin1String("TEST 1024")) QCOMPARE(m.size(), std::size_t(1023));

        auto kp = KeyPair::fromSeed(sec(secret.toStdString()));
        QVERIFY(kp.ok());
        QCOMPARE(h(kp->publicKey()), pub);
        QCOMPARE(h(kp->secretKey().publicKey()), pub);
        QVERIFY(kp->secretKey().seed().equals(hx(secret.toStdString())));
        const Signature sig = kp->sign(m);
        QCOMPARE(h(sig), signature);
        QCOMPARE(h(sign(kp->secretKey(), m)), signature);

        auto pk = publicKeyFromBytes(hx(pub.toStdString()));
        QVERIFY(pk.ok());
        auto parsed = signatureFromBytes(hx(signature.toStdString()));
        QVERIFY(parsed.ok());
        QVERIFY(verify(*pk, m, *parsed));

        // Any flipped bit in message, signature or key must fail.
        Bytes m2 = m;
        if (m2.empty()) m2.push_back(0); else m2[m2.size() / 2] ^= 0x01;
        QVERIFY(!verify(*pk, m2, sig));
        Signature s2 = sig;
        s2[10] ^= 0x01;
        QVERIFY(!verify(*pk, m, s2));
        s2 = sig;
        s2[40] ^= 0x80;
        QVERIFY(!verify(*pk, m, s2));
        QVERIFY(!verify(KeyPair::generate().publicKey(), m, sig));
    }

    void ed25519Keys()
    {
        const KeyPair a = KeyPair::generate(), b = KeyPair::generate();
        QVERIFY(a.publicKey() != b.publicKey());
        const Signature s = a.sign(asBytes("transfer 5 BLY"));
        QVERIFY(verify(a.publicKey(), asBytes("transfer 5 BLY"), s));
        QVERIFY(!verify(b.publicKey(), asBytes("transfer 5 BLY"), s));

        // Round trip through the 64-byte secret key, and rejection of inconsistent halves.
        auto sk = SecretKey::fromBytes(SecureBytes::copyOf(a.secretKey().bytes().view()));
        QVERIFY(sk.ok());
        const KeyPair a2 = KeyPair::fromSecretKey(std::move(*sk));
        QCOMPARE(h(a2.publicKey()), h(a.publicKey()));
        QCOMPARE(h(a2.sign(asBytes("x"))), h(a.sign(asBytes("x"))));
        SecureBytes bad = SecureBytes::copyOf(a.secretKey().bytes().view());
        bad.data()[63] ^= 1;
        auto badSk = SecretKey::fromBytes(std::move(bad));
        QVERIFY(!badSk.ok());
        QCOMPARE(badSk.error().code, ErrorCode::Crypto);
    }

    void ed25519WrongLengths()
    {
        auto seed = KeyPair::fromSeed(SecureBytes(31));
        QVERIFY(!seed.ok());
        QVERIFY2(msg(seed.error()).contains("32 bytes; got 31"), qPrintable(msg(seed.error())));
        auto sk = SecretKey::fromBytes(SecureBytes(63));
        QVERIFY(!sk.ok());
        QVERIFY(msg(sk.error()).contains("64 bytes; got 63"));
        auto pk = publicKeyFromBytes(Bytes(33, 1));
        QVERIFY(!pk.ok());
        QCOMPARE(pk.error().code, ErrorCode::Malformed);
        QVERIFY(msg(pk.error()).contains("32 bytes; got 33"));
        auto sig = signatureFromBytes(Bytes(63, 1));
        QVERIFY(!sig.ok());
        QVERIFY(msg(sig.error()).contains("64 bytes; got 63"));
        // Right length, not a curve point / small order: the all-zero and identity encodings.
        QVERIFY(!publicKeyFromBytes(Bytes(32, 0)).ok());
        QVERIFY(!publicKeyFromBytes(hx("0100000000000000000000000000000000000000000000000000000000000000")).ok());
    }

    // ---- Bech32 / Bech32m ----
    void bech32Valid_data()
    {
        QTest::addColumn<QString>("str");
        QTest::addColumn<bool>("isBech32m");
        // BIP-173 valid Bech32 strings.
        for (const char *s : {"A12UEL5L", "a12uel5l",
                              "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
                              "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
                              "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
                              "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl"})
            QTest::newRow(s) << QString::fromLatin1(s) << false;
        // BIP-350 valid Bech32m strings.
        for (const char *s : {"A1LQFN3A", "a1lqfn3a",
                              "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
                              "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
                              "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
                              "split1checkupstagehandshakeupstreamerranterredcaperredlc445v", "?1v759aa"})
            QTest::newRow(s) << QString::fromLatin1(s) << true;
    }

    void bech32Valid()
    {
        QFETCH(QString, str);
        QFETCH(bool, isBech32m);
        const std::string s = str.toStdString();
        const Bech32Variant v = isBech32m ? Bech32Variant::Bech32m : Bech32Variant::Bech32;
        const Bech32Variant other = isBech32m ? Bech32Variant::Bech32 : Bech32Variant::Bech32m;
        auto d = bech32Decode(s);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().message.c_str());
        QVERIFY(d->variant == v);
        QVERIFY(bech32Decode(s, v).ok());
        // No string is valid in both variants (BIP-350), so the other one must be refused.
        auto wrong = bech32Decode(s, other);
        QVERIFY(!wrong.ok());
        QVERIFY2(msg(wrong.error()).contains("variant mismatch"), qPrintable(msg(wrong.error())));
        // Re-encoding gives the lower-case form back.
        auto again = bech32Encode(d->hrp, d->data, v);
        QVERIFY(again.ok());
        QCOMPARE(QString::fromStdString(*again), str.toLower());
    }

    void bech32KnownData()
    {
        // BIP-173 / BIP-350: these two carry the data values 0..31 and 31..0.
        auto a = bech32Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", Bech32Variant::Bech32);
        QVERIFY(a.ok());
        QCOMPARE(QString::fromStdString(a->hrp), QStringLiteral("abcdef"));
        QCOMPARE(a->data.size(), std::size_t(32));
        for (std::size_t i = 0; i < 32; ++i) QCOMPARE(a->data[i], std::uint8_t(i));
        auto b = bech32Decode("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", Bech32Variant::Bech32m);
        QVERIFY(b.ok());
        for (std::size_t i = 0; i < 32; ++i) QCOMPARE(b->data[i], std::uint8_t(31 - i));
    }

    void bech32mInvalid_data()
    {
        QTest::addColumn<QByteArray>("str");
        QTest::addColumn<QString>("reason");  // what our error message must say
        // BIP-350 invalid Bech32m strings, with the BIP's reason in the row name.
        QTest::newRow("HRP character out of range (0x20)") << QByteArray("\x20" "1xj0phk") << "invalid character";
        QTest::newRow("HRP character out of range (0x7F)") << QByteArray("\x7f" "1g6xzxy") << "invalid character";
        QTest::newRow("HRP character out of range (0x80)") << QByteArray("\x80" "1vctc34") << "invalid character";
        QTest::newRow("overall max length exceeded")
            << QByteArray("an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4")
            << "limit is 90";
        QTest::newRow("no separator character") << QByteArray("qyrz8wqd2c9m") << "no separator";
        QTest::newRow("empty HRP (1qyrz8wqd2c9m)") << QByteArray("1qyrz8wqd2c9m") << "empty human-readable part";
        QTest::newRow("invalid data character (y1b0jsk6g)") << QByteArray("y1b0jsk6g") << "invalid data character 'b'";
        QTest::newRow("invalid data character (lt1igcx5c0)") << QByteArray("lt1igcx5c0") << "invalid data character 'i'";
        QTest::newRow("too short checksum") << QByteArray("in1muywd") << "checksum too short";
        QTest::newRow("invalid character in checksum (mm1crxm3i)") << QByteArray("mm1crxm3i") << "invalid data character 'i'";
        QTest::newRow("invalid character in checksum (au1s5cgom)") << QByteArray("au1s5cgom") << "invalid data character 'o'";
        QTest::newRow("checksum calculated with uppercase HRP") << QByteArray("M1VUXWEZ") << "invalid checksum";
        QTest::newRow("empty HRP (16plkw9)") << QByteArray("16plkw9") << "empty human-readable part";
        QTest::newRow("empty HRP (1p2gdwpf)") << QByteArray("1p2gdwpf") << "empty human-readable part";
        // Mixed case (BIP-173 rule; BIP-350 segwit vector tb1p...47Zagq).
        QTest::newRow("mixed case")
            << QByteArray("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq") << "mixed upper and lower case";
    }

    void bech32mInvalid()
    {
        QFETCH(QByteArray, str);
        QFETCH(QString, reason);
        auto d = bech32Decode(std::string_view(str.constData(), std::size_t(str.size())), Bech32Variant::Bech32m);
        QVERIFY(!d.ok());
        QVERIFY2(msg(d.error()).contains(reason), qPrintable(msg(d.error())));
        QVERIFY(!decodeAddress(std::string_view(str.constData(), std::size_t(str.size()))).ok());
    }

    void bech32VariantMismatchVectors()
    {
        // BIP-350 segwit vectors whose checksum is the wrong variant for their witness version.
        for (const char *s : {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
                              "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
                              "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL"}) {
            auto d = bech32Decode(s, Bech32Variant::Bech32m);  // they are Bech32
            QVERIFY(!d.ok());
            QVERIFY(msg(d.error()).contains("variant mismatch"));
        }
        for (const char *s : {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
                              "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47"}) {
            auto d = bech32Decode(s, Bech32Variant::Bech32);  // they are Bech32m
            QVERIFY(!d.ok());
            QVERIFY(msg(d.error()).contains("variant mismatch"));
        }
        // Invalid character in checksum.
        QVERIFY(!bech32Decode("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4").ok());
    }

    void convertBitsSegwitVectors_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("scriptPubKey");
        // BIP-350 valid segwit addresses: data = [version] + convertBits(program, 8 -> 5).
        QTest::newRow("v0 20") << "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"
                               << "0014751e76e8199196d454941c45d1b3a323f1433bd6";
        QTest::newRow("v0 32") << "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"
                               << "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262";
        QTest::newRow("v1 40") << "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y"
                               << "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6";
        QTest::newRow("v16 2") << "BC1SW50QGDZ25J" << "6002751e";
        QTest::newRow("v2 16") << "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs" << "5210751e76e8199196d454941c45d1b3a323";
        QTest::newRow("v1 taproot") << "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
                                    << "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    }

    void convertBitsSegwitVectors()
    {
        QFETCH(QString, address);
        QFETCH(QString, scriptPubKey);
        auto d = bech32Decode(address.toStdString());
        QVERIFY(d.ok());
        QVERIFY(!d->data.empty());
        const Bytes spk = hx(scriptPubKey.toStdString());
        const int version = d->data[0];
        QCOMPARE(int(spk[0]), version == 0 ? 0 : version + 0x50);
        QVERIFY(d->variant == (version == 0 ? Bech32Variant::Bech32 : Bech32Variant::Bech32m));
        auto program = fromFiveBit(ByteView(d->data).subspan(1));
        QVERIFY(program.ok());
        QCOMPARE(h(*program), h(ByteView(spk).subspan(2)));
        // And back: 8 -> 5 reproduces the data part.
        QCOMPARE(h(toFiveBit(*program)), h(ByteView(d->data).subspan(1)));
    }

    void convertBitsStrictPadding()
    {
        // BIP-350: "zero padding of more than 4 bits" and "non-zero padding in 8-to-5 conversion".
        auto a = bech32Decode("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf");
        QVERIFY(a.ok());
        auto pa = fromFiveBit(ByteView(a->data).subspan(1));
        QVERIFY(!pa.ok());
        QVERIFY2(msg(pa.error()).contains("more than 4 bits of padding"), qPrintable(msg(pa.error())));
        auto b = bech32Decode("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j");
        QVERIFY(b.ok());
        auto pb = fromFiveBit(ByteView(b->data).subspan(1));
        QVERIFY(!pb.ok());
        QVERIFY(msg(pb.error()).contains("non-zero padding"));
        QVERIFY(!convertBits(hx("20"), 5, 8, false).ok());  // 32 is not a 5-bit value
    }

    void addresses()
    {
        const KeyPair kp = KeyPair::generate();
        auto addr = encodeAddress("bly", kp.publicKey());
        QVERIFY(addr.ok());
        QVERIFY(QString::fromStdString(*addr).startsWith("bly1"));
        auto back = decodeAddress(*addr, "bly");
        QVERIFY(back.ok());
        QCOMPARE(h(*back), h(kp.publicKey()));
        // Upper case is the same address; the wrong network is refused.
        QVERIFY(decodeAddress(QString::fromStdString(*addr).toUpper().toStdString(), "BLY").ok());
        auto wrongNet = decodeAddress(*addr, "tbly");
        QVERIFY(!wrongNet.ok());
        QVERIFY(msg(wrongNet.error()).contains("another network"));
        // One typo is always caught.
        std::string typo = *addr;
        typo[10] = typo[10] == 'q' ? 'p' : 'q';
        auto t = decodeAddress(typo, "bly");
        QVERIFY(!t.ok());
        QVERIFY(msg(t.error()).contains("invalid checksum"));
        // A Bech32 (not m) string is not an address.
        auto v0 = bech32Encode("bly", toFiveBit(kp.publicKey()), Bech32Variant::Bech32);
        QVERIFY(v0.ok());
        QVERIFY(!decodeAddress(*v0, "bly").ok());
        // Limits and empty payloads.
        QVERIFY(!encodeAddress("bly", Bytes()).ok());
        auto tooLong = encodeAddress("bly", Bytes(60, 7));
        QVERIFY(!tooLong.ok());
        QCOMPARE(tooLong.error().code, ErrorCode::LimitExceeded);
        QVERIFY(!bech32Encode("", Bytes(), Bech32Variant::Bech32m).ok());
        QVERIFY(!bech32Encode("a b", Bytes(), Bech32Variant::Bech32m).ok());
        QVERIFY(!bech32Encode("a", hx("20"), Bech32Variant::Bech32m).ok());
        QVERIFY(!decodeAddress("a1lqfn3a").ok());  // valid Bech32m, but carries no payload
    }

    // ---- X25519 ----
    void x25519Rfc7748()
    {
        // RFC 7748 section 5.2, the two single scalar multiplications.
        auto r1 = x25519(sec("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                         arr<32>("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
        QVERIFY(r1.ok());
        QCOMPARE(h(r1->view()), QStringLiteral("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
        auto r2 = x25519(sec("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                         arr<32>("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
        QVERIFY(r2.ok());
        QCOMPARE(h(r2->view()), QStringLiteral("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"));
    }

    void x25519Rfc7748Iterated()
    {
        // RFC 7748 section 5.2: k = u = 9; repeat k, u = X25519(k, u), k. After 1 and 1,000 rounds.
        SecureBytes k = sec("0900000000000000000000000000000000000000000000000000000000000000");
        X25519PublicKey u = arr<32>("0900000000000000000000000000000000000000000000000000000000000000");
        for (int i = 1; i <= 1000; ++i) {
            auto r = x25519(k, u);
            QVERIFY(r.ok());
            std::copy(k.data(), k.data() + 32, u.begin());
            k = std::move(*r);
            if (i == 1)
                QCOMPARE(h(k.view()), QStringLiteral("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"));
        }
        QCOMPARE(h(k.view()), QStringLiteral("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"));
    }

    void x25519Rfc7748DiffieHellman()
    {
        // RFC 7748 section 6.1.
        auto alice = X25519KeyPair::fromSecret(sec("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        auto bob = X25519KeyPair::fromSecret(sec("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        QVERIFY(alice.ok() && bob.ok());
        QCOMPARE(h(alice->publicKey), QStringLiteral("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        QCOMPARE(h(bob->publicKey), QStringLiteral("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
        auto ab = x25519(alice->secretKey, bob->publicKey);
        auto ba = x25519(bob->secretKey, alice->publicKey);
        QVERIFY(ab.ok() && ba.ok());
        const QString shared = QStringLiteral("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        QCOMPARE(h(ab->view()), shared);
        QCOMPARE(h(ba->view()), shared);
    }

    void x25519Rejections()
    {
        const X25519KeyPair kp = X25519KeyPair::generate();
        // Low-order points force an all-zero shared secret: u = 0 and u = 1.
        for (const char *u : {"0000000000000000000000000000000000000000000000000000000000000000",
                              "0100000000000000000000000000000000000000000000000000000000000000"}) {
            auto r = x25519(kp.secretKey, arr<32>(u));
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, ErrorCode::Crypto);
            QVERIFY(msg(r.error()).contains("all-zero"));
            QVERIFY(!clientSessionKeys(kp, arr<32>(u)).ok());
            QVERIFY(!serverSessionKeys(kp, arr<32>(u)).ok());
        }
        QVERIFY(!x25519(SecureBytes(31), kp.publicKey).ok());
        QVERIFY(!X25519KeyPair::fromSecret(SecureBytes(33)).ok());
        auto pk = x25519PublicKeyFromBytes(Bytes(31, 9));
        QVERIFY(!pk.ok());
        QVERIFY(msg(pk.error()).contains("32 bytes; got 31"));
        QVERIFY(x25519PublicKeyFromBytes(kp.publicKey).ok());
    }

    void sessionKeys()
    {
        const X25519KeyPair client = X25519KeyPair::generate(), server = X25519KeyPair::generate();
        auto c = clientSessionKeys(client, server.publicKey);
        auto s = serverSessionKeys(server, client.publicKey);
        QVERIFY(c.ok() && s.ok());
        QCOMPARE(c->tx.size(), kSessionKeySize);
        QVERIFY(c->tx.equals(s->rx));
        QVERIFY(c->rx.equals(s->tx));
        QVERIFY(!c->rx.equals(c->tx));  // one key per direction
        // A third party gets different keys.
        const X25519KeyPair eve = X25519KeyPair::generate();
        auto e = serverSessionKeys(eve, client.publicKey);
        QVERIFY(e.ok());
        QVERIFY(!e->rx.equals(c->tx));
    }

    // ---- XChaCha20-Poly1305 ----
    void aeadDraftVector()
    {
        // draft-irtf-cfrg-xchacha-03 section A.3.1.
        const AeadKey key = arr<32>("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        const AeadNonce nonce = arr<24>("404142434445464748494a4b4c4d4e4f5051525354555657");
        const Bytes ad = hx("50515253c0c1c2c3c4c5c6c7");
        const std::string_view pt =
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
            "sunscreen would be it.";
        const QString expected = QStringLiteral(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
            "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
            "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
            "21f9664c97637da9768812f615c68b13b52e"
            "c0875924c1c7987947deafd8780acf49");  // tag
        auto ct = aeadEncrypt(key, nonce, asBytes(pt), ad);
        QVERIFY(ct.ok());
        QCOMPARE(h(*ct), expected);
        const SecureBytes skey = SecureBytes::copyOf(key);
        auto ct2 = aeadEncrypt(skey, nonce, asBytes(pt), ad);
        QVERIFY(ct2.ok());
        QCOMPARE(h(*ct2), expected);

        auto back = aeadDecrypt(key, nonce, *ct, ad);
        QVERIFY(back.ok());
        QCOMPARE(h(*back), h(asBytes(pt)));
        auto backSecret = aeadDecryptSecret(skey, nonce, *ct, ad);
        QVERIFY(backSecret.ok());
        QVERIFY(backSecret->equals(asBytes(pt)));
    }

    void aeadRejections()
    {
        const SecureBytes key = randomSecureBytes(kAeadKeySize);
        const AeadNonce nonce = randomAeadNonce();
        const Bytes ad = hx("0102");
        auto ct = aeadEncrypt(key, nonce, asBytes("wallet seed words"), ad);
        QVERIFY(ct.ok());
        QCOMPARE(ct->size(), std::size_t(17) + kAeadTagSize);

        const QString authFailed =
            QStringLiteral("authentication failed: data was tampered with or the key is wrong");
        auto expectAuthFailure = [&](const Expected<Bytes> &r) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, ErrorCode::Crypto);
            QCOMPARE(msg(r.error()), authFailed);
        };
        for (std::size_t i : {std::size_t(0), ct->size() / 2, ct->size() - 1}) {  // body and tag
            Bytes t = *ct;
            t[i] ^= 0x01;
            expectAuthFailure(aeadDecrypt(key, nonce, t, ad));
        }
        expectAuthFailure(aeadDecrypt(randomSecureBytes(kAeadKeySize), nonce, *ct, ad));  // wrong key
        expectAuthFailure(aeadDecrypt(key, randomAeadNonce(), *ct, ad));                  // wrong nonce
        expectAuthFailure(aeadDecrypt(key, nonce, *ct, hx("0103")));                      // wrong ad
        expectAuthFailure(aeadDecrypt(key, nonce, *ct));                                  // missing ad
        expectAuthFailure(aeadDecrypt(key, nonce, ByteView(*ct).first(ct->size() - 1), ad));  // truncated
        QVERIFY(!aeadDecryptSecret(randomSecureBytes(kAeadKeySize), nonce, *ct, ad).ok());

        // Wrong lengths.
        auto shortCt = aeadDecrypt(key, nonce, Bytes(15, 0), ad);
        QVERIFY(!shortCt.ok());
        QCOMPARE(shortCt.error().code, ErrorCode::Malformed);
        auto badKey = aeadEncrypt(SecureBytes(16), nonce, asBytes("x"));
        QVERIFY(!badKey.ok());
        QVERIFY(msg(badKey.error()).contains("32 bytes; got 16"));
        QVERIFY(!aeadDecrypt(SecureBytes(33), nonce, *ct, ad).ok());
        auto badNonce = aeadNonceFromBytes(Bytes(12, 0));
        QVERIFY(!badNonce.ok());
        QVERIFY(msg(badNonce.error()).contains("24 bytes; got 12"));
        QVERIFY(aeadNonceFromBytes(nonce).ok());

        // Empty plaintext still authenticates.
        auto empty = aeadEncrypt(key, nonce, ByteView(), ad);
        QVERIFY(empty.ok());
        QCOMPARE(empty->size(), kAeadTagSize);
        auto emptyBack = aeadDecrypt(key, nonce, *empty, ad);
        QVERIFY(emptyBack.ok());
        QVERIFY(emptyBack->empty());
        QVERIFY(randomAeadNonce() != randomAeadNonce());
    }
};

QTEST_APPLESS_MAIN(TestCrypto)
#include "test_crypto.moc"
