#include "util/network.h"

#include "util/embedded.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace blyan {

Expected<Network> parseNetwork(const QString &name)
{
    if (name == QStringLiteral("devnet")) return Network::Devnet;
    if (name == QStringLiteral("testnet")) return Network::Testnet;
    return makeError(ErrorCode::InvalidArgument,
                     "unknown network '" + name.toStdString() + "'; use devnet or testnet");
}

QString networkName(Network n) { return n == Network::Devnet ? QStringLiteral("devnet") : QStringLiteral("testnet"); }

static NetworkParams loadParams(Network n)
{
    const std::string file = networkName(n).toStdString() + ".json";
    const std::string_view text = embeddedFile(file);
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), &perr);
    // The files are part of the build; a broken one is a build defect, caught by the unit tests.
    if (!doc.isObject()) throw std::runtime_error("config/networks/" + file + " is not a JSON object");
    const QJsonObject o = doc.object();
    NetworkParams p;
    p.network = n;
    p.name = o.value(QStringLiteral("name")).toString();
    p.description = o.value(QStringLiteral("description")).toString();
    bool ok = false;
    p.networkId = o.value(QStringLiteral("network_id")).toString().toUInt(&ok, 16);
    p.p2pPort = static_cast<std::uint16_t>(o.value(QStringLiteral("p2p_port")).toInt());
    p.rpcPort = static_cast<std::uint16_t>(o.value(QStringLiteral("rpc_port")).toInt());
    p.slotMs = o.value(QStringLiteral("slot_ms")).toInt();
    p.addressHrp = o.value(QStringLiteral("address_hrp")).toString();
    // Seeds: strings, parsed as HOST:PORT when the node starts its peer layer (node_p2p.cpp).
    const QJsonValue seeds = o.value(QStringLiteral("seeds"));
    if (!seeds.isArray()) throw std::runtime_error("config/networks/" + file + ": 'seeds' must be an array");
    for (const QJsonValue &s : seeds.toArray()) {
        if (!s.isString()) throw std::runtime_error("config/networks/" + file + ": every seed must be a \"host:port\" string");
        p.seeds.append(s.toString());
    }
    p.epochSlots = static_cast<std::uint64_t>(o.value(QStringLiteral("epoch_slots")).toInteger());
    p.minValidatorStakeBly = static_cast<std::uint64_t>(o.value(QStringLiteral("min_validator_stake_bly")).toInteger());
    const QJsonValue unbonding = o.value(QStringLiteral("unbonding_epochs"));
    if (!unbonding.isDouble() || unbonding.toInteger(-1) < 0 || unbonding.toInteger() > 1000)
        throw std::runtime_error("config/networks/" + file + ": 'unbonding_epochs' must be a whole number from 0 to 1000");
    p.unbondingEpochs = static_cast<std::uint64_t>(unbonding.toInteger());
    if (!ok || p.epochSlots == 0 || p.minValidatorStakeBly == 0 || p.name != networkName(n) || p.p2pPort == 0 || p.rpcPort == 0 || p.slotMs <= 0 || p.addressHrp.isEmpty())
        throw std::runtime_error("config/networks/" + file + " is missing or has invalid fields");
    return p;
}

const NetworkParams &networkParams(Network n)
{
    static std::once_flag once;
    static std::map<Network, NetworkParams> params;
    std::call_once(once, [] {
        params[Network::Devnet] = loadParams(Network::Devnet);
        params[Network::Testnet] = loadParams(Network::Testnet);
    });
    return params.at(n);
}

}  // namespace blyan
