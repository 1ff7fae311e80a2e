// blyan: payment URIs (core/wallet/payment_uri.h): what parses, what is refused and with which message,
// and that formatting round-trips.

#include "chain/address.h"
#include "wallet/payment_uri.h"

#include <QtTest>

using namespace blyan;
using namespace blyan::wallet;

namespace {

std::string addressOf(Network n, std::uint8_t seedByte)
{
    crypto::SecureBytes seed(crypto::kEd25519SeedSize);
    for (std::size_t i = 0; i < seed.size(); ++i) seed.data()[i] = static_cast<std::uint8_t>(seedByte + i);
    return chain::formatAddress(n, crypto::KeyPair::fromSeed(seed).value().publicKey());
}

std::string upper(std::string s)
{
    for (char &c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

}  // namespace

class TestPaymentUri : public QObject {
    Q_OBJECT

    const std::string addr = addressOf(Network::Devnet, 1);

    void refused(const std::string &uri, const char *expected, ErrorCode code = ErrorCode::InvalidArgument)
    {
        auto r = parsePaymentUri(uri, Network::Devnet);
        QVERIFY2(!r.ok(), uri.c_str());
        QVERIFY2(r.error().code == code, (uri + " -> " + r.error().message).c_str());
        QVERIFY2(r.error().message.find(expected) != std::string::npos, (uri + " -> " + r.error().message).c_str());
    }

private Q_SLOTS:
    void plainAddress()
    {
        auto r = parsePaymentUri("blyan:" + addr, Network::Devnet);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->address, addr);
        QVERIFY(!r->amount);
        QVERIFY(r->label.empty() && r->message.empty());
    }

    void allParameters()
    {
        auto r = parsePaymentUri("blyan:" + addr + "?amount=12.5&label=Zo%C3%AB%20%26%20Co&message=a+b%2Fc", Network::Devnet);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(*r->amount, chain::Amount(12'5000'0000));
        QCOMPARE(r->label, std::string("Zo\xC3\xAB & Co"));
        QCOMPARE(r->message, std::string("a+b/c"));  // '+' is a plus sign in a URI, not a space
    }

    void schemeAndAddressCase()
    {
        // QR codes use upper case (alphanumeric mode); the address comes back canonical.
        auto r = parsePaymentUri("BLYAN:" + upper(addr) + "?amount=1", Network::Devnet);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->address, addr);
        QVERIFY(parsePaymentUri("Blyan:" + addr, Network::Devnet).ok());
    }

    void unknownParametersIgnored()
    {
        auto r = parsePaymentUri("blyan:" + addr + "?foo=bar&amount=0.00000001&x-y=%41", Network::Devnet);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(*r->amount, chain::Amount(1));
    }

    void schemeAndStructureRefused()
    {
        refused("bitcoin:" + addr, "must start with 'blyan:'");
        refused("blyan" + addr, "must start with 'blyan:'");
        refused("blyan", "must start with 'blyan:'");
        refused("blyan://" + addr, "without '//'");
        refused("blyan:", "no address");
        refused("blyan:?amount=1", "no address");
        refused("blyan:" + addr + "#x", "fragment");
        refused("blyan:" + addr + "?", "nothing follows '?'");
        refused("blyan:" + addr + "?amount=1&&label=a", "empty parameter");
        refused("blyan:" + addr + "?amount=1&", "empty parameter");
        refused("blyan:" + addr + "?amount", "name=value");
        refused("blyan:" + addr + "?=1", "name=value");
        refused("blyan:" + addr + "?amount=1&amount=2", "given twice");
        refused("blyan:" + addr + "?foo=1&foo=2", "given twice");
        refused("blyan:" + std::string(kMaxPaymentUriLength, 'a'), "at most", ErrorCode::LimitExceeded);
    }

    void addressRefused()
    {
        std::string typo = addr;
        typo[10] = typo[10] == 'q' ? 'p' : 'q';
        refused("blyan:" + typo, "invalid checksum", ErrorCode::Malformed);
        refused("blyan:" + addressOf(Network::Testnet, 1), "testnet");
        refused("blyan:" + addr + "%20", "invalid data character '%'", ErrorCode::Malformed);
    }

    void amountRefused()
    {
        for (const char *a : {"", "0", "0.0", "-1", "+1", "1e3", "1,5", "1.", ".5", "01", "1.123456789", "12.5%20BLY",
                              "12.5 BLY", "0x10", "18446744073709551616"})
            refused("blyan:" + addr + "?amount=" + a, "amount");
    }

    void reqParametersRefused()
    {
        refused("blyan:" + addr + "?req-expires=123", "requires 'req-expires'");
        refused("blyan:" + addr + "?amount=1&req-somethingnew=x", "does not support");
    }

    void textRefused()
    {
        refused("blyan:" + addr + "?label=%G1", "two hex digits");
        refused("blyan:" + addr + "?label=%4", "two hex digits");
        refused("blyan:" + addr + "?message=100%", "two hex digits");
        refused("blyan:" + addr + "?label=%C3%28", "not valid UTF-8");
        refused("blyan:" + addr + "?label=%FF", "not valid UTF-8");
        refused("blyan:" + addr + "?label=%ED%A0%80", "not valid UTF-8");  // a surrogate
        refused("blyan:" + addr + "?label=a%0Ab", "control or text-direction");
        refused("blyan:" + addr + "?label=a%00b", "control or text-direction");
        refused("blyan:" + addr + "?label=%C2%85", "control or text-direction");        // NEL (C1)
        refused("blyan:" + addr + "?label=Alice%E2%80%AEecilA", "control or text-direction");  // RLO
        refused("blyan:" + addr + "?message=%E2%81%A6x", "control or text-direction");  // LRI
        refused("blyan:" + addr + "?label=" + std::string(kMaxPaymentLabelBytes + 1, 'a'), "at most",
                ErrorCode::LimitExceeded);
        // Unknown parameters are not interpreted, but a broken escape is a broken URI.
        refused("blyan:" + addr + "?foo=%ZZ", "two hex digits");
    }

    void formatExact()
    {
        PaymentRequest r;
        r.address = addr;
        r.amount = chain::Amount(12'5000'0000);
        r.label = "Alice B";
        r.message = "Invoice #42 & more";
        auto uri = formatPaymentUri(r, Network::Devnet);
        QVERIFY2(uri.ok(), uri.ok() ? "" : uri.error().message.c_str());
        QCOMPARE(*uri, "blyan:" + addr + "?amount=12.5&label=Alice%20B&message=Invoice%20%2342%20%26%20more");
        auto plain = formatPaymentUri(PaymentRequest{addr, std::nullopt, "", ""}, Network::Devnet);
        QCOMPARE(*plain, "blyan:" + addr);
    }

    void roundTrip()
    {
        std::string everyPrintable;
        for (int c = 0x20; c < 0x7F; ++c) everyPrintable.push_back(static_cast<char>(c));
        const std::vector<PaymentRequest> cases = {
            {addr, std::nullopt, "", ""},
            {addr, chain::Amount(1), "", ""},
            {addr, chain::Amount(UINT64_MAX), "x", ""},
            {addr, std::nullopt, everyPrintable, "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x92\xB0 caf\xC3\xA9"},
            {addr, chain::Amount(100'000'000), "", "100% sure? a=b&c+d"},
        };
        for (const PaymentRequest &r : cases) {
            auto uri = formatPaymentUri(r, Network::Devnet);
            QVERIFY2(uri.ok(), uri.ok() ? "" : uri.error().message.c_str());
            auto back = parsePaymentUri(*uri, Network::Devnet);
            QVERIFY2(back.ok(), back.ok() ? "" : (back.error().message + " in " + *uri).c_str());
            QVERIFY2(*back == r, uri->c_str());
        }
        // An upper-case address is written canonical.
        auto uri = formatPaymentUri({upper(addr), std::nullopt, "", ""}, Network::Devnet);
        QCOMPARE(*uri, "blyan:" + addr);
    }

    void formatRefusesWhatParseRefuses()
    {
        QVERIFY(!formatPaymentUri({addr, chain::Amount(0), "", ""}, Network::Devnet).ok());
        QVERIFY(!formatPaymentUri({addr, std::nullopt, "a\nb", ""}, Network::Devnet).ok());
        QVERIFY(!formatPaymentUri({addr, std::nullopt, "", "\xFF"}, Network::Devnet).ok());
        QVERIFY(!formatPaymentUri({addressOf(Network::Testnet, 2), std::nullopt, "", ""}, Network::Devnet).ok());
        QVERIFY(!formatPaymentUri({addr, std::nullopt, "", std::string(kMaxPaymentMessageBytes + 1, 'm')},
                                  Network::Devnet).ok());
        // The longest label and message, each byte percent-encoded, still fit in a URI the parser takes.
        const PaymentRequest longest{addr, chain::Amount(UINT64_MAX), std::string(kMaxPaymentLabelBytes, '!'),
                                     std::string(kMaxPaymentMessageBytes, '!')};
        auto uri = formatPaymentUri(longest, Network::Devnet);
        QVERIFY2(uri.ok(), uri.ok() ? "" : uri.error().message.c_str());
        auto back = parsePaymentUri(*uri, Network::Devnet);
        QVERIFY2(back.ok() && *back == longest, uri->c_str());
    }
};

QTEST_APPLESS_MAIN(TestPaymentUri)
#include "test_payment_uri.moc"
