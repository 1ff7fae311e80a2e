#include "ledger/governance/config.h"

#include "util/embedded.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>

namespace blyan::ledger {

namespace {

Error bad(const std::string &where, const std::string &what)
{
    return makeError(ErrorCode::InvalidArgument, "governance.json: " + where + ": " + what);
}

Status expectKeys(const QJsonObject &o, const QStringList &keys, const std::string &where)
{
    for (const QString &k : keys)
        if (!o.contains(k)) return bad(where, "missing '" + k.toStdString() + "'");
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!keys.contains(it.key()) && it.key() != QStringLiteral("comment"))
            return bad(where, "unknown field '" + it.key().toStdString() + "'");
    return {};
}

Expected<std::uint64_t> whole(const QJsonObject &o, const char *key, const std::string &where, std::uint64_t max)
{
    const QJsonValue v = o.value(QLatin1String(key));
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d > static_cast<double>(max) || d != static_cast<double>(static_cast<std::uint64_t>(d)))
        return bad(where, std::string("'") + key + "' must be a whole number from 0 to " + std::to_string(max));
    return static_cast<std::uint64_t>(d);
}

Expected<QJsonObject> object(const QJsonObject &o, const char *key, const std::string &where)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isObject()) return bad(where, std::string("'") + key + "' must be an object");
    return v.toObject();
}

Expected<NetworkGovernance> networkRules(const QJsonObject &o, const std::string &where)
{
    BLYAN_CHECK(expectKeys(o, {QStringLiteral("voting_period_seconds"), QStringLiteral("pact_review_seconds"),
                               QStringLiteral("proposal_deposit_bly")}, where));
    NetworkGovernance n;
    constexpr std::uint64_t kTenYears = 10ULL * 366 * 86400;
    BLYAN_TRY(n.votingPeriodSeconds, whole(o, "voting_period_seconds", where, kTenYears));
    BLYAN_TRY(n.pactReviewSeconds, whole(o, "pact_review_seconds", where, kTenYears));
    if (n.votingPeriodSeconds == 0 || n.pactReviewSeconds == 0) return bad(where, "voting periods must be at least 1 s");
    BLYAN_TRY(const std::uint64_t deposit, whole(o, "proposal_deposit_bly", where, 1'000'000));
    const chain::GovParamInfo *p = chain::findGovParam(static_cast<std::uint8_t>(chain::GovParam::ProposalDepositBly));
    if (deposit < p->min || deposit > p->max)
        return bad(where, "proposal_deposit_bly must be within its governance bounds " + std::to_string(p->min) + ".." +
                              std::to_string(p->max));
    n.proposalDeposit = deposit * chain::kCoin;
    return n;
}

}  // namespace

std::uint64_t GovernanceConfig::votingBlocks(Network n, chain::ProposalKind k) const
{
    const NetworkGovernance &g = network(n);
    const std::uint64_t seconds = k == chain::ProposalKind::PactAmendment ? g.pactReviewSeconds : g.votingPeriodSeconds;
    const auto slotMs = static_cast<std::uint64_t>(networkParams(n).slotMs);
    return (seconds * 1000 + slotMs - 1) / slotMs;  // seconds <= ten years: no overflow
}

const DatasetTier *GovernanceConfig::tier(std::uint8_t t) const
{
    for (const auto &x : tiers)
        if (x.tier == t) return &x;
    return nullptr;
}

Expected<GovernanceConfig> GovernanceConfig::fromJson(std::string_view json)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json.data(), static_cast<qsizetype>(json.size())), &perr);
    if (!doc.isObject()) return bad("root", "not a JSON object (" + perr.errorString().toStdString() + ")");
    const QJsonObject root = doc.object();
    BLYAN_CHECK(expectKeys(root, {QStringLiteral("veto_percent"), QStringLiteral("kinds"), QStringLiteral("networks"),
                                  QStringLiteral("dataset_tiers")}, "root"));
    GovernanceConfig c;
    BLYAN_TRY(const std::uint64_t veto, whole(root, "veto_percent", "root", 100));
    if (veto < 1 || veto > 99) return bad("root", "veto_percent must be 1..99");
    c.vetoPercent = static_cast<std::uint32_t>(veto);

    BLYAN_TRY(const QJsonObject kinds, object(root, "kinds", "root"));
    QStringList names;
    for (std::uint8_t k = 1; k <= chain::kProposalKindCount; ++k)
        names << QString::fromLatin1(chain::proposalKindName(static_cast<chain::ProposalKind>(k)).data());
    BLYAN_CHECK(expectKeys(kinds, names, "kinds"));
    for (std::uint8_t k = 1; k <= chain::kProposalKindCount; ++k) {
        const std::string where = "kinds." + names[k - 1].toStdString();
        BLYAN_TRY(const QJsonObject r, object(kinds, names[k - 1].toLatin1().constData(), "kinds"));
        BLYAN_CHECK(expectKeys(r, {QStringLiteral("quorum_percent"), QStringLiteral("threshold_percent")}, where));
        BLYAN_TRY(const std::uint64_t quorum, whole(r, "quorum_percent", where, 100));
        BLYAN_TRY(const std::uint64_t threshold, whole(r, "threshold_percent", where, 100));
        if (quorum < 1) return bad(where, "quorum_percent must be 1..100");
        if (threshold < 50) return bad(where, "threshold_percent must be 50..100 (a minority must never pass a proposal)");
        c.rules[k] = KindRule{static_cast<std::uint32_t>(quorum), static_cast<std::uint32_t>(threshold)};
    }

    BLYAN_TRY(const QJsonObject networks, object(root, "networks", "root"));
    BLYAN_CHECK(expectKeys(networks, {QStringLiteral("devnet"), QStringLiteral("testnet")}, "networks"));
    BLYAN_TRY(const QJsonObject dev, object(networks, "devnet", "networks"));
    BLYAN_TRY(c.devnet, networkRules(dev, "networks.devnet"));
    BLYAN_TRY(const QJsonObject test, object(networks, "testnet", "networks"));
    BLYAN_TRY(c.testnet, networkRules(test, "networks.testnet"));

    const QJsonValue tiers = root.value(QStringLiteral("dataset_tiers"));
    if (!tiers.isArray() || tiers.toArray().size() != chain::kMaxDatasetTier)
        return bad("dataset_tiers", "must be an array of " + std::to_string(chain::kMaxDatasetTier) + " tiers");
    for (qsizetype i = 0; i < tiers.toArray().size(); ++i) {
        const std::string where = "dataset_tiers[" + std::to_string(i) + "]";
        if (!tiers.toArray()[i].isObject()) return bad(where, "must be an object");
        const QJsonObject t = tiers.toArray()[i].toObject();
        BLYAN_CHECK(expectKeys(t, {QStringLiteral("tier"), QStringLiteral("name"), QStringLiteral("quality_permille"),
                                   QStringLiteral("description")}, where));
        DatasetTier d;
        BLYAN_TRY(const std::uint64_t n, whole(t, "tier", where, 255));
        if (n != static_cast<std::uint64_t>(i + 1)) return bad(where, "tiers must be numbered 1, 2, 3 in order");
        d.tier = static_cast<std::uint8_t>(n);
        BLYAN_TRY(const std::uint64_t q, whole(t, "quality_permille", where, 1000));
        d.qualityPermille = static_cast<std::uint32_t>(q);
        if (!t.value(QStringLiteral("name")).isString() || t.value(QStringLiteral("name")).toString().isEmpty() ||
            !t.value(QStringLiteral("description")).isString())
            return bad(where, "'name' must be a non-empty string and 'description' a string");
        d.name = t.value(QStringLiteral("name")).toString().toStdString();
        d.description = t.value(QStringLiteral("description")).toString().toStdString();
        c.tiers.push_back(std::move(d));
    }
    return c;
}

const GovernanceConfig &GovernanceConfig::defaults()
{
    static const GovernanceConfig c = [] {
        auto parsed = fromJson(embeddedFile("governance.json"));
        // Part of the build and covered by test_governance: a broken file is a build defect.
        if (!parsed.ok()) throw std::runtime_error("config/governance.json: " + parsed.error().message);
        return parsed.value();
    }();
    return c;
}

}  // namespace blyan::ledger
