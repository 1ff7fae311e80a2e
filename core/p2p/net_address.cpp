#include "p2p/net_address.h"

#include <QRegularExpression>

namespace blyan::p2p {

QHostAddress normalizeIp(const QHostAddress &ip)
{
    bool v4 = false;
    const quint32 a = ip.toIPv4Address(&v4);  // also true for ::ffff:a.b.c.d
    if (v4) return QHostAddress(a);
    QHostAddress out(ip);
    out.setScopeId(QString());
    return out;
}

PeerAddress toPeerAddress(const QHostAddress &ip, std::uint16_t port)
{
    PeerAddress out;
    out.port = port;
    const QHostAddress n = normalizeIp(ip);
    if (n.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 v = n.toIPv4Address();
        out.ip[10] = 0xff;
        out.ip[11] = 0xff;
        out.ip[12] = static_cast<std::uint8_t>(v >> 24);
        out.ip[13] = static_cast<std::uint8_t>(v >> 16);
        out.ip[14] = static_cast<std::uint8_t>(v >> 8);
        out.ip[15] = static_cast<std::uint8_t>(v);
    } else if (n.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR v6 = n.toIPv6Address();
        for (int i = 0; i < 16; ++i) out.ip[static_cast<std::size_t>(i)] = v6[i];
    }
    return out;
}

QHostAddress hostOf(const PeerAddress &a)
{
    Q_IPV6ADDR v6;
    for (int i = 0; i < 16; ++i) v6[i] = a.ip[static_cast<std::size_t>(i)];
    return normalizeIp(QHostAddress(v6));
}

QString formatEndpoint(const QHostAddress &ip, std::uint16_t port)
{
    const QHostAddress n = normalizeIp(ip);
    if (n.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(n.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(n.toString()).arg(port);
}

AddressScope scopeOf(const QHostAddress &raw)
{
    const QHostAddress ip = normalizeIp(raw);
    if (ip.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 v = ip.toIPv4Address();
        const auto in = [v](quint32 net, int bits) { return (v >> (32 - bits)) == (net >> (32 - bits)); };
        if (in(0x00000000, 8) || in(0xE0000000, 4) || in(0xF0000000, 4)) return AddressScope::Invalid;  // 0/8, multicast, 240/4 + broadcast
        if (in(0x7F000000, 8)) return AddressScope::Loopback;
        if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0xA9FE0000, 16) || in(0x64400000, 10))
            return AddressScope::Lan;  // RFC 1918, link-local, carrier-grade NAT
        return AddressScope::Public;
    }
    if (ip.protocol() != QAbstractSocket::IPv6Protocol) return AddressScope::Invalid;
    if (ip.isLoopback()) return AddressScope::Loopback;
    const Q_IPV6ADDR v6 = ip.toIPv6Address();
    bool zero = true;
    for (int i = 0; i < 16; ++i) zero = zero && v6[i] == 0;
    if (zero || v6[0] == 0xff) return AddressScope::Invalid;                                // ::, multicast
    if ((v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80) || (v6[0] & 0xfe) == 0xfc) return AddressScope::Lan;  // fe80::/10, fc00::/7
    return AddressScope::Public;
}

bool shareable(const PeerAddress &a, AddressScope peerScope)
{
    const AddressScope s = scopeOf(a);
    return a.port != 0 && s != AddressScope::Invalid && peerScope != AddressScope::Invalid &&
           static_cast<int>(peerScope) <= static_cast<int>(s);
}

QString HostPort::text() const
{
    return host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                                           : QStringLiteral("%1:%2").arg(host).arg(port);
}

Expected<HostPort> parseHostPort(const QString &text, std::uint16_t defaultPort)
{
    const auto bad = [&](const std::string &why) {
        return makeError(ErrorCode::InvalidArgument,
                         "'" + text.toStdString() + "' is not a peer address (" + why + "); use HOST:PORT, e.g. 192.0.2.7:4321 or [2001:db8::7]:4321");
    };
    if (text.isEmpty() || text.size() > 300) return bad("empty or too long");
    QString host, port;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QLatin1Char(']'));
        if (close < 0) return bad("no closing ]");
        host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':'))) return bad("expected : after ]");
            port = rest.mid(1);
        }
        if (QHostAddress(host).protocol() != QAbstractSocket::IPv6Protocol) return bad("not an IPv6 address inside []");
    } else {
        const qsizetype colons = text.count(QLatin1Char(':'));
        if (colons > 1) return bad("an IPv6 address needs brackets");
        if (colons == 1) {
            host = text.section(QLatin1Char(':'), 0, 0);
            port = text.section(QLatin1Char(':'), 1, 1);
        } else {
            host = text;
        }
        static const QRegularExpression hostChars(QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$"));
        if (!hostChars.match(host).hasMatch()) return bad("the host may hold letters, digits, '.' and '-'");
    }
    HostPort out;
    out.host = host;
    if (port.isNull()) {
        if (defaultPort == 0) return bad("no port");
        out.port = defaultPort;
    } else {
        bool ok = false;
        const uint p = port.toUInt(&ok);
        if (!ok || p == 0 || p > 65535 || port.startsWith(QLatin1Char('+'))) return bad("the port must be 1 to 65535");
        out.port = static_cast<std::uint16_t>(p);
    }
    return out;
}

Expected<QHostAddress> parseIp(const QString &text)
{
    // Dotted quads only for IPv4: Qt, like inet_aton, would read "10.1" as 10.0.0.1.
    static const QRegularExpression quad(QStringLiteral("^\\d{1,3}(\\.\\d{1,3}){3}$"));
    QHostAddress ip;
    const bool v6 = text.contains(QLatin1Char(':'));
    if (text.contains(QLatin1Char('/')) || text.contains(QLatin1Char('%')) || (!v6 && !quad.match(text).hasMatch()) ||
        !ip.setAddress(text))
        return makeError(ErrorCode::InvalidArgument,
                         "'" + text.toStdString() + "' is not an IP address; give one IPv4 or IPv6 address (subnets are not supported)");
    return normalizeIp(ip);
}

}  // namespace blyan::p2p
