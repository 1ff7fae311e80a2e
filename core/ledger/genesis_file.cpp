#include "ledger/genesis_file.h"

#include "chain/address.h"
#include "ledger/schema.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

namespace blyan::ledger {

namespace {

Error fieldError(const std::string &field, const std::string &what)
{
    return Error{ErrorCode::InvalidArgument, "genesis file: " + field + " " + what};
}

Status onlyKeys(const QJsonObject &o, const QSet<QString> &allowed, const std::string &where)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!allowed.contains(it.key()))
            return fieldError(where, "has an unknown key '" + it.key().toStdString() + "'; remove it");
    return {};
}

}  // namespace

Expected<GenesisSpec> parseGenesisFile(const QByteArray &json, Network network, const chain::ObjectRecord &pact)
{
    if (json.size() > 16 * 1024 * 1024)
        return makeError(ErrorCode::InvalidArgument, "genesis file: larger than 16 MiB; is this the right file?");
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (perr.error != QJsonParseError::NoError)
        return makeError(ErrorCode::InvalidArgument, "genesis file: not valid JSON at byte " +
                                                         std::to_string(perr.offset) + ": " +
                                                         perr.errorString().toStdString());
    if (!doc.isObject()) return makeError(ErrorCode::InvalidArgument, "genesis file: the top level must be an object");
    const QJsonObject o = doc.object();
    BLYAN_CHECK(onlyKeys(o, {QStringLiteral("network"), QStringLiteral("time_ms"), QStringLiteral("allocations"),
                             QStringLiteral("validators")},
                         "the top-level object"));

    const QJsonValue net = o.value(QStringLiteral("network"));
    if (!net.isString()) return fieldError("'network'", "must be the network's name as a string");
    if (net.toString() != networkName(network))
        return fieldError("'network'", "is '" + net.toString().toStdString() + "' but this node runs the " +
                                           networkName(network).toStdString() +
                                           "; start with --network " + net.toString().toStdString() +
                                           " or use that network's file");

    GenesisSpec spec;
    const QJsonValue time = o.value(QStringLiteral("time_ms"));
    // JSON numbers are doubles: an integer above 2^53 could not be read exactly, and no sane clock is there.
    if (!time.isDouble() || time.toDouble() < 0 || time.toDouble() > 9007199254740991.0 ||
        time.toDouble() != static_cast<double>(static_cast<std::uint64_t>(time.toDouble())))
        return fieldError("'time_ms'", "must be a whole number of milliseconds since 1970 (the genesis block's time)");
    spec.timeMs = static_cast<std::uint64_t>(time.toDouble());

    // Allocations (balances) and validators (stakes) share one address-amount reader.
    QSet<QString> seen;
    auto readEntries = [&](const QString &field, const QString &amountKey, bool required,
                           std::vector<std::pair<PublicKey, Amount>> &out) -> Status {
        const QJsonValue list = o.value(field);
        const std::string name = "'" + field.toStdString() + "'";
        if (list.isUndefined() && !required) return {};
        if (!list.isArray() || (required && list.toArray().isEmpty()))
            return fieldError(name, "must be a non-empty array of {\"address\", \"" + amountKey.toStdString() + "\"}");
        int index = 0;
        for (const QJsonValue &entry : list.toArray()) {
            const std::string where = field.toStdString() + "[" + std::to_string(index++) + "]";
            if (!entry.isObject())
                return fieldError(where, "must be an object with \"address\" and \"" + amountKey.toStdString() + "\"");
            const QJsonObject a = entry.toObject();
            BLYAN_CHECK(onlyKeys(a, {QStringLiteral("address"), amountKey}, where));
            if (!a.value(QStringLiteral("address")).isString()) return fieldError(where + ".address", "must be a string");
            if (!a.value(amountKey).isString())
                return fieldError(where + "." + amountKey.toStdString(), "must be a string such as \"1000 BLY\" (not a JSON number)");
            const QString addr = a.value(QStringLiteral("address")).toString();
            auto key = chain::parseAddress(addr.toStdString(), network);
            if (!key) return fieldError(where + ".address", key.error().message);
            if (seen.contains(addr + field))
                return fieldError(where + ".address", addr.toStdString() + " is listed twice in " + name);
            seen.insert(addr + field);
            auto amount = chain::parseAmount(a.value(amountKey).toString().toStdString());
            if (!amount) return fieldError(where + "." + amountKey.toStdString(), amount.error().message);
            if (*amount == 0) return fieldError(where + "." + amountKey.toStdString(), "must be more than 0");
            out.emplace_back(*key, *amount);
        }
        return {};
    };
    BLYAN_CHECK(readEntries(QStringLiteral("allocations"), QStringLiteral("amount"), true, spec.allocations));
    BLYAN_CHECK(readEntries(QStringLiteral("validators"), QStringLiteral("stake"), false, spec.stakes));
    spec.pact = pact;
    return spec;
}

QByteArray formatGenesisFile(const GenesisSpec &spec, Network network)
{
    QJsonArray allocs;
    for (const auto &[key, amount] : spec.allocations)
        allocs.append(QJsonObject{
            {QStringLiteral("address"), QString::fromStdString(chain::formatAddress(network, key))},
            {QStringLiteral("amount"), QString::fromStdString(chain::formatAmount(amount))}});
    QJsonObject o{{QStringLiteral("network"), networkName(network)},
                  {QStringLiteral("time_ms"), static_cast<double>(spec.timeMs)},
                  {QStringLiteral("allocations"), allocs}};
    if (!spec.stakes.empty()) {
        QJsonArray validators;
        for (const auto &[key, amount] : spec.stakes)
            validators.append(QJsonObject{
                {QStringLiteral("address"), QString::fromStdString(chain::formatAddress(network, key))},
                {QStringLiteral("stake"), QString::fromStdString(chain::formatAmount(amount))}});
        o.insert(QStringLiteral("validators"), validators);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Expected<BlockId> genesisBlockId(const GenesisSpec &spec, const LedgerOptions &options)
{
    BLYAN_TRY(storage::Database scratch, storage::Database::open(QStringLiteral(":memory:")));
    const auto migrations = ledgerMigrations();
    BLYAN_CHECK(storage::migrate(scratch, migrations));
    BLYAN_TRY(Ledger ledger, Ledger::open(scratch, options));  // NOLINT: same options as the node's
    BLYAN_TRY(const BlockResult r, ledger.applyGenesis(spec));
    return r.id;
}

}  // namespace blyan::ledger
