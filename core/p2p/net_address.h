#pragma once
// Peer addresses: conversions between the wire form (PeerAddress: 16-byte IPv6, IPv4 mapped as
// ::ffff:a.b.c.d) and QHostAddress, parsing of HOST:PORT as users type it, and the scope rules that
// decide which addresses may be learned from or told to which peer (docs/protocol.md "Address gossip").

#include "p2p/messages.h"

#include <QHostAddress>
#include <QString>

namespace blyan::p2p {

// How far an address reaches. Ordered: an address may be told to, or learned from, a peer whose own
// scope is at most the address's (a loopback address means something only to a peer on this machine,
// a LAN address only to peers on the machine or the LAN; a public one to everybody).
enum class AddressScope { Invalid = 0, Loopback = 1, Lan = 2, Public = 3 };

// IPv4-mapped IPv6 becomes plain IPv4 and the IPv6 scope id is dropped, so one host has one form
// (ban lists, duplicate checks and "same IP" all compare these).
QHostAddress normalizeIp(const QHostAddress &ip);
PeerAddress toPeerAddress(const QHostAddress &ip, std::uint16_t port);
QHostAddress hostOf(const PeerAddress &a);
// "1.2.3.4:4321", "[2001:db8::1]:4321".
QString formatEndpoint(const QHostAddress &ip, std::uint16_t port);
inline QString formatEndpoint(const PeerAddress &a) { return formatEndpoint(hostOf(a), a.port); }

// Unspecified, multicast, broadcast and reserved ranges are Invalid: nobody can be dialled there.
AddressScope scopeOf(const QHostAddress &ip);
inline AddressScope scopeOf(const PeerAddress &a) { return scopeOf(hostOf(a)); }
// A dialable address (valid scope, port not 0) that a peer of `peerScope` may learn or tell us.
bool shareable(const PeerAddress &a, AddressScope peerScope);

// "host:port", "1.2.3.4:port", "[v6]:port"; a bare host takes defaultPort (0: the port is required).
// Host names are checked for their characters only and resolved when dialled.
struct HostPort {
    QString host;
    std::uint16_t port = 0;
    QString text() const;
    bool operator==(const HostPort &) const = default;
};
Expected<HostPort> parseHostPort(const QString &text, std::uint16_t defaultPort = 0);
// One IP address as typed (setban): IPv4 or IPv6, no port, no subnet.
Expected<QHostAddress> parseIp(const QString &text);

}  // namespace blyan::p2p
