#include "ledger/tokenomics.h"

#include "util/embedded.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>

namespace blyan::ledger {

namespace {

__extension__ typedef unsigned __int128 u128;  // GCC/Clang: exact 64x64-bit products

Expected<Amount> fromU128(u128 v, const char *what)
{
    if (v > static_cast<u128>(UINT64_MAX))
        return makeError(ErrorCode::LimitExceeded, std::string(what) + " overflows the amount range");
    return static_cast<Amount>(v);
}

Status expectKeys(const QJsonObject &o, const QStringList &keys, const std::string &where)
{
    for (const QString &k : keys)
        if (!o.contains(k)) return makeError(ErrorCode::InvalidArgument, where + ": missing '" + k.toStdString() + "'");
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!keys.contains(it.key()) && it.key() != QStringLiteral("comment"))
            return makeError(ErrorCode::InvalidArgument, where + ": unknown field '" + it.key().toStdString() + "'");
    return {};
}

// A whole, non-negative number small enough for a double to hold exactly.
Expected<std::uint64_t> wholeNumber(const QJsonObject &o, const QString &key, const std::string &where)
{
    const QJsonValue v = o.value(key);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d > 9.0e15 || d != static_cast<double>(static_cast<std::uint64_t>(d)))
        return makeError(ErrorCode::InvalidArgument, where + ": '" + key.toStdString() + "' must be a whole number >= 0");
    return static_cast<std::uint64_t>(d);
}

Expected<Amount> bly(const QJsonObject &o, const QString &key, const std::string &where)
{
    BLYAN_TRY(auto n, wholeNumber(o, key, where));
    return chain::checkedMul(n, chain::kCoin, key.toStdString());
}

}  // namespace

const char *rewardBucketName(RewardBucket b)
{
    switch (b) {
    case RewardBucket::Inference: return "inference";
    case RewardBucket::Learning: return "learning";
    case RewardBucket::Validation: return "validation";
    case RewardBucket::Data: return "data";
    }
    return "?";
}

Expected<TokenomicsParams> TokenomicsParams::fromJson(std::string_view json)
{
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json.data(), static_cast<qsizetype>(json.size())), &perr);
    if (!doc.isObject())
        return makeError(ErrorCode::Malformed, "tokenomics: not a JSON object (" + perr.errorString().toStdString() + ")");
    const QJsonObject root = doc.object();
    BLYAN_CHECK(expectKeys(root,
                           {QStringLiteral("supply_cap_bly"), QStringLiteral("genesis_supply_bly"),
                            QStringLiteral("annual_emission_percent_of_cap"), QStringLiteral("buckets_percent"),
                            QStringLiteral("rates"), QStringLiteral("fee_burn_percent")},
                           "tokenomics"));
    TokenomicsParams p;
    BLYAN_TRY(p.supplyCap, bly(root, QStringLiteral("supply_cap_bly"), "tokenomics"));
    BLYAN_TRY(p.genesisSupply, bly(root, QStringLiteral("genesis_supply_bly"), "tokenomics"));
    if (p.genesisSupply > p.supplyCap)
        return makeError(ErrorCode::InvalidArgument, "tokenomics: genesis supply is above the supply cap");
    BLYAN_TRY(auto emissionPercent, wholeNumber(root, QStringLiteral("annual_emission_percent_of_cap"), "tokenomics"));
    if (emissionPercent > 100)
        return makeError(ErrorCode::InvalidArgument, "tokenomics: annual_emission_percent_of_cap must be 0..100");
    p.annualEmission = static_cast<Amount>(static_cast<u128>(p.supplyCap) * emissionPercent / 100);

    const QJsonObject buckets = root.value(QStringLiteral("buckets_percent")).toObject();
    const QStringList bucketKeys{QStringLiteral("inference"), QStringLiteral("learning"), QStringLiteral("validation"),
                                 QStringLiteral("data")};
    BLYAN_CHECK(expectKeys(buckets, bucketKeys, "tokenomics.buckets_percent"));
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < kRewardBucketCount; ++i) {
        BLYAN_TRY(auto v, wholeNumber(buckets, bucketKeys[static_cast<qsizetype>(i)], "tokenomics.buckets_percent"));
        if (v > 100) return makeError(ErrorCode::InvalidArgument, "tokenomics.buckets_percent: each share must be 0..100");
        p.bucketPercent[i] = static_cast<std::uint32_t>(v);
        sum += v;
    }
    if (sum != 100)
        return makeError(ErrorCode::InvalidArgument,
                         "tokenomics.buckets_percent: shares add up to " + std::to_string(sum) + ", not 100");

    const QJsonObject rates = root.value(QStringLiteral("rates")).toObject();
    BLYAN_CHECK(expectKeys(rates,
                           {QStringLiteral("inference_bly_per_1000_tokens"), QStringLiteral("learning_bly_per_percent_improvement"),
                            QStringLiteral("validation_bly_per_evaluation"), QStringLiteral("data_bly_per_gb")},
                           "tokenomics.rates"));
    BLYAN_TRY(p.inferencePer1000Tokens, bly(rates, QStringLiteral("inference_bly_per_1000_tokens"), "tokenomics.rates"));
    BLYAN_TRY(p.learningPerPercent, bly(rates, QStringLiteral("learning_bly_per_percent_improvement"), "tokenomics.rates"));
    BLYAN_TRY(p.validationPerEvaluation, bly(rates, QStringLiteral("validation_bly_per_evaluation"), "tokenomics.rates"));
    BLYAN_TRY(p.dataPerGb, bly(rates, QStringLiteral("data_bly_per_gb"), "tokenomics.rates"));

    BLYAN_TRY(auto burn, wholeNumber(root, QStringLiteral("fee_burn_percent"), "tokenomics"));
    if (burn > 100) return makeError(ErrorCode::InvalidArgument, "tokenomics: fee_burn_percent must be 0..100");
    p.feeBurnPercent = static_cast<std::uint32_t>(burn);
    return p;
}

const TokenomicsParams &TokenomicsParams::defaults()
{
    static const TokenomicsParams p = [] {
        auto parsed = fromJson(embeddedFile("tokenomics.json"));
        // The file is part of the build and covered by the unit tests: a broken one is a build defect.
        if (!parsed.ok()) throw std::runtime_error("config/tokenomics.json: " + parsed.error().message);
        return parsed.value();
    }();
    return p;
}

Amount blockEmission(const TokenomicsParams &p, std::uint64_t elapsedMs, Amount mintedSoFar)
{
    const u128 issued = static_cast<u128>(p.genesisSupply) + mintedSoFar;
    if (issued >= p.supplyCap) return 0;
    const u128 room = static_cast<u128>(p.supplyCap) - issued;
    // annualEmission < 2^64 and elapsedMs < 2^64: the product fits in 128 bits.
    const u128 due = static_cast<u128>(p.annualEmission) * elapsedMs / kMillisPerYear;
    return static_cast<Amount>(due < room ? due : room);
}

FeeSplit splitFee(const TokenomicsParams &p, Amount fee)
{
    FeeSplit s;
    s.burned = static_cast<Amount>(static_cast<u128>(fee) * p.feeBurnPercent / 100);
    s.toRewardPool = fee - s.burned;
    return s;
}

Amount dailyBucketBudget(const TokenomicsParams &p, RewardBucket bucket)
{
    const u128 daily = static_cast<u128>(p.annualEmission) * kMillisPerDay / kMillisPerYear;
    return static_cast<Amount>(daily * p.bucketPercent[static_cast<std::size_t>(bucket)] / 100);
}

Expected<Amount> inferenceReward(const TokenomicsParams &p, std::uint64_t tokensServed)
{
    return fromU128(static_cast<u128>(tokensServed) * p.inferencePer1000Tokens / 1000, "inference reward");
}

Expected<Amount> learningReward(const TokenomicsParams &p, std::uint64_t improvementPpm)
{
    // 1 % = 10'000 ppm earns learningPerPercent.
    return fromU128(static_cast<u128>(improvementPpm) * p.learningPerPercent / 10'000, "learning reward");
}

Expected<Amount> validationReward(const TokenomicsParams &p, std::uint64_t evaluations)
{
    return fromU128(static_cast<u128>(evaluations) * p.validationPerEvaluation, "validation reward");
}

Expected<Amount> dataReward(const TokenomicsParams &p, std::uint64_t bytes, std::uint32_t qualityPermille)
{
    if (qualityPermille > 1000)
        return makeError(ErrorCode::InvalidArgument, "data quality must be 0..1000 permille, got " + std::to_string(qualityPermille));
    // bytes < 2^64, a rate of a few hundred BLY < 2^40 base units, quality < 2^10: fits in 128 bits.
    const u128 scaled = static_cast<u128>(bytes) * p.dataPerGb * qualityPermille;
    return fromU128(scaled / (static_cast<u128>(1000) * 1'000'000'000ULL), "data reward");
}

std::vector<Amount> scaleClaims(Amount remaining, std::span<const Amount> claims)
{
    u128 total = 0;
    for (Amount c : claims) total += c;
    std::vector<Amount> out(claims.begin(), claims.end());
    if (total <= remaining) return out;
    for (Amount &c : out) c = static_cast<Amount>(static_cast<u128>(c) * remaining / total);
    return out;
}

}  // namespace blyan::ledger
