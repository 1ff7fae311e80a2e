#pragma once
// Inbound eviction: when every inbound slot is taken, a new inbound connection may replace one peer, so
// that an attacker who fills the slots first cannot make the node unreachable. The choice follows Bitcoin
// Core's: peers an attacker cannot cheaply imitate are protected (distinct network groups, the lowest
// pings, the last to bring a new block or transaction, then the longest connected half of the rest), and
// among the others the youngest connection of the most represented network group goes. When protection
// covers everyone, nobody is evicted and the newcomer is refused.

#include <QByteArray>
#include <QHostAddress>

#include <cstdint>
#include <optional>
#include <vector>

namespace blyan::p2p {

struct EvictionCandidate {
    std::uint64_t id = 0;
    qint64 connectedSinceMs = 0;
    qint64 pingMs = -1;        // -1: not measured yet (ranks as the slowest)
    qint64 lastUsefulMs = 0;   // the last new block or transaction it brought; 0: never
    QByteArray netGroup;       // netGroupOf(its address)
};

// IPv4 /16, IPv6 /32 (IPv4-mapped addresses as IPv4); loopback and LAN addresses form one group each.
QByteArray netGroupOf(const QHostAddress &ip);

// `salt` orders the network groups for the diversity protection unpredictably (a per-node secret).
std::optional<std::uint64_t> selectPeerToEvict(std::vector<EvictionCandidate> candidates, std::uint64_t salt);

}  // namespace blyan::p2p
