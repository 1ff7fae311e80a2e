#include "wallet/payment_uri.h"

#include "chain/address.h"
#include "util/codec.h"

#include <set>

namespace blyan::wallet {

namespace {

constexpr std::string_view kScheme = "blyan";

Error bad(const std::string &what)
{
    return makeError(ErrorCode::InvalidArgument, "invalid blyan: payment URI: " + what);
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 percent-decoding. '+' is a plus sign here (form encoding's "+ means space" is not part of URIs).
Expected<std::string> percentDecode(std::string_view in, std::string_view name)
{
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out.push_back(in[i]);
            continue;
        }
        const bool twoFollow = i + 2 < in.size();
        const int hi = twoFollow ? hexValue(in[i + 1]) : -1;
        const int lo = twoFollow ? hexValue(in[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            return bad("'" + std::string(name) + "' has a '%' that is not followed by two hex digits");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

// Next code point of valid UTF-8 (checked before) at s[i]; advances i.
char32_t nextCodePoint(std::string_view s, std::size_t &i)
{
    const auto b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<std::size_t>(len);
    return cp;
}

// Characters that change how the rest of a line is shown (bidi overrides and isolates, directional marks)
// or are not text at all (C0/C1 controls): in a label they could make one payee read as another.
bool isDisguising(char32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

Status checkText(const std::string &text, std::string_view name, std::size_t maxBytes)
{
    if (!isValidUtf8(text)) return bad("'" + std::string(name) + "' is not valid UTF-8 after percent-decoding");
    if (text.size() > maxBytes)
        return makeError(ErrorCode::LimitExceeded, "invalid blyan: payment URI: '" + std::string(name) + "' is " +
                                                       std::to_string(text.size()) + " bytes, at most " +
                                                       std::to_string(maxBytes) + " are allowed");
    for (std::size_t i = 0; i < text.size();) {
        if (isDisguising(nextCodePoint(text, i)))
            return bad("'" + std::string(name) +
                       "' contains a control or text-direction character, which could disguise what is shown");
    }
    return {};
}

Expected<chain::Amount> parseUriAmount(const std::string &value)
{
    // chain::parseAmount also takes a " BLY" suffix; a URI carries the bare number (BIP-21).
    for (char c : value)
        if ((c < '0' || c > '9') && c != '.')
            return bad("amount '" + value + "' must be a plain decimal number of BLY, like 12.5");
    auto amount = chain::parseAmount(value);
    if (!amount) return amount.error().context("invalid blyan: payment URI");
    if (*amount == 0) return bad("amount is zero; leave it out to let the payer choose");
    return *amount;
}

bool startsWithIgnoringCase(std::string_view s, std::string_view prefix)
{
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

bool isUnreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

std::string percentEncode(std::string_view in)
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (isUnreserved(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0x0F]);
        }
    }
    return out;
}

Expected<std::string> canonicalAddress(std::string_view address, Network network)
{
    if (address.empty()) return bad("no address after 'blyan:'");
    auto key = chain::parseAddress(address, network);
    if (!key) return key.error().context("invalid blyan: payment URI");
    return chain::formatAddress(network, *key);
}

}  // namespace

Expected<PaymentRequest> parsePaymentUri(std::string_view uri, Network network)
{
    if (uri.size() > kMaxPaymentUriLength)
        return makeError(ErrorCode::LimitExceeded, "invalid blyan: payment URI: it is " + std::to_string(uri.size()) +
                                                       " characters long, at most " +
                                                       std::to_string(kMaxPaymentUriLength) + " are allowed");
    if (!startsWithIgnoringCase(uri, kScheme) || uri.size() == kScheme.size() || uri[kScheme.size()] != ':')
        return bad("it must start with 'blyan:'");
    std::string_view rest = uri.substr(kScheme.size() + 1);
    if (rest.starts_with("//")) return bad("write 'blyan:<address>' without '//'");
    if (rest.find('#') != std::string_view::npos) return bad("a '#' fragment is not allowed");

    const std::size_t q = rest.find('?');
    PaymentRequest r;
    BLYAN_TRY(r.address, canonicalAddress(rest.substr(0, q), network));
    if (q == std::string_view::npos) return r;

    std::string_view query = rest.substr(q + 1);
    if (query.empty()) return bad("nothing follows '?'");
    std::set<std::string, std::less<>> seen;
    while (true) {
        const std::size_t amp = query.find('&');
        const std::string_view param = query.substr(0, amp);
        if (param.empty()) return bad("an empty parameter (two '&' in a row, or one at an end)");
        const std::size_t eq = param.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return bad("parameter '" + std::string(param) + "' is not of the form name=value");
        const std::string name(param.substr(0, eq));
        if (!seen.insert(name).second) return bad("parameter '" + name + "' is given twice");
        BLYAN_TRY(std::string value, percentDecode(param.substr(eq + 1), name));

        if (name == "amount") {
            BLYAN_TRY(r.amount, parseUriAmount(value));
        } else if (name == "label") {
            BLYAN_CHECK(checkText(value, name, kMaxPaymentLabelBytes));
            r.label = std::move(value);
        } else if (name == "message") {
            BLYAN_CHECK(checkText(value, name, kMaxPaymentMessageBytes));
            r.message = std::move(value);
        } else if (name.starts_with("req-")) {
            return makeError(ErrorCode::InvalidArgument,
                             "this blyan: payment request requires '" + name +
                                 "', which Blyan Desktop does not support; ask the payee for a plain request");
        }  // other parameters are optional extensions: ignored, as BIP-21 says

        if (amp == std::string_view::npos) break;
        query = query.substr(amp + 1);
    }
    return r;
}

Expected<std::string> formatPaymentUri(const PaymentRequest &request, Network network)
{
    BLYAN_TRY(std::string address, canonicalAddress(request.address, network));  // written in lower case
    if (request.amount && *request.amount == 0) return bad("amount is zero; leave it out to let the payer choose");
    BLYAN_CHECK(checkText(request.label, "label", kMaxPaymentLabelBytes));
    BLYAN_CHECK(checkText(request.message, "message", kMaxPaymentMessageBytes));

    std::string uri = std::string(kScheme) + ":" + address;
    char sep = '?';
    auto add = [&](std::string_view name, std::string_view value) {
        uri += sep;
        uri += name;
        uri += '=';
        uri += value;
        sep = '&';
    };
    if (request.amount) add("amount", chain::formatAmount(*request.amount, false));
    if (!request.label.empty()) add("label", percentEncode(request.label));
    if (!request.message.empty()) add("message", percentEncode(request.message));
    if (uri.size() > kMaxPaymentUriLength)
        return makeError(ErrorCode::LimitExceeded, "the payment URI would be " + std::to_string(uri.size()) +
                                                       " characters, at most " + std::to_string(kMaxPaymentUriLength) +
                                                       " are allowed: shorten the label or message");
    return uri;
}

}  // namespace blyan::wallet
