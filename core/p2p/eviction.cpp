#include "p2p/eviction.h"

#include "p2p/net_address.h"

#include <QCryptographicHash>

#include <algorithm>
#include <limits>
#include <map>

namespace blyan::p2p {

namespace {

constexpr std::size_t kProtectByNetGroup = 4;
constexpr std::size_t kProtectByPing = 8;
constexpr std::size_t kProtectByUsefulness = 4;

// Removes the first `n` candidates after sorting by `better` (best first).
template <typename Better>
void protect(std::vector<EvictionCandidate> &c, std::size_t n, Better better)
{
    std::sort(c.begin(), c.end(), better);
    c.erase(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(std::min(n, c.size())));
}

// Connection age: the earlier connected is older; in the same millisecond, the smaller id (ids grow with
// every new connection).
bool older(const EvictionCandidate &a, const EvictionCandidate &b)
{
    return a.connectedSinceMs != b.connectedSinceMs ? a.connectedSinceMs < b.connectedSinceMs : a.id < b.id;
}

std::uint64_t keyedGroup(const QByteArray &group, std::uint64_t salt)
{
    QByteArray data(reinterpret_cast<const char *>(&salt), sizeof salt);
    data += group;
    const QByteArray h = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(h[i]);
    return v;
}

}  // namespace

QByteArray netGroupOf(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ip4 = address.toIPv4Address(&v4);  // IPv4-mapped IPv6 too
    switch (scopeOf(address)) {
    case AddressScope::Loopback: return QByteArrayLiteral("loopback");
    case AddressScope::Lan: return QByteArrayLiteral("lan");
    default: break;
    }
    if (v4) {
        QByteArray g("4:");
        g += static_cast<char>((ip4 >> 24) & 0xFF);
        g += static_cast<char>((ip4 >> 16) & 0xFF);
        return g;
    }
    const Q_IPV6ADDR a = address.toIPv6Address();
    QByteArray g("6:");
    g.append(reinterpret_cast<const char *>(a.c), 4);
    return g;
}

std::optional<std::uint64_t> selectPeerToEvict(std::vector<EvictionCandidate> c, std::uint64_t salt)
{
    // Distinct network groups first: one peer per group, the groups in an order an attacker cannot predict.
    {
        std::sort(c.begin(), c.end(), [&](const auto &a, const auto &b) {
            const auto ka = keyedGroup(a.netGroup, salt), kb = keyedGroup(b.netGroup, salt);
            return ka != kb ? ka > kb : older(a, b);
        });
        std::vector<EvictionCandidate> rest;
        std::size_t kept = 0;
        QByteArray last;
        for (auto &x : c) {
            if (kept < kProtectByNetGroup && (kept == 0 || x.netGroup != last)) {
                last = x.netGroup;
                ++kept;
                continue;
            }
            rest.push_back(std::move(x));
        }
        c = std::move(rest);
    }
    protect(c, kProtectByPing, [](const auto &a, const auto &b) {
        const auto key = [](qint64 p) { return p < 0 ? std::numeric_limits<qint64>::max() : p; };
        return key(a.pingMs) != key(b.pingMs) ? key(a.pingMs) < key(b.pingMs) : older(a, b);  // ties: the older kept
    });
    // Only peers that did bring something: a peer that never did earns no protection by this rule.
    const auto useful = std::count_if(c.begin(), c.end(), [](const auto &x) { return x.lastUsefulMs > 0; });
    protect(c, std::min<std::size_t>(kProtectByUsefulness, static_cast<std::size_t>(useful)),
            [](const auto &a, const auto &b) { return a.lastUsefulMs != b.lastUsefulMs ? a.lastUsefulMs > b.lastUsefulMs : older(a, b); });
    protect(c, c.size() / 2, older);
    if (c.empty()) return std::nullopt;

    // The most represented group (ties: the one with the youngest connection) loses its youngest.
    std::map<QByteArray, std::vector<const EvictionCandidate *>> groups;
    for (const auto &x : c) groups[x.netGroup].push_back(&x);
    const EvictionCandidate *victim = nullptr;
    std::size_t biggest = 0;
    for (const auto &[group, members] : groups) {
        const auto *youngest = *std::max_element(members.begin(), members.end(),
                                                 [](const auto *a, const auto *b) { return older(*a, *b); });
        if (members.size() > biggest || (members.size() == biggest && older(*victim, *youngest))) {
            biggest = members.size();
            victim = youngest;
        }
    }
    return victim->id;
}

}  // namespace blyan::p2p
