#pragma once
// BLY economics (DESIGN.md section 6) as pure, deterministic integer functions. Every node must
// compute the same numbers, so there is no floating point here: products go through 128-bit
// integers and round down, and anything that could overflow returns an Error.
//
// Parameters come from config/tokenomics.json (compiled in); governance may change them later,
// which is why every function takes them as an argument.

#include "chain/amount.h"
#include "util/error.h"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace blyan::ledger {

using chain::Amount;

enum class RewardBucket { Inference = 0, Learning = 1, Validation = 2, Data = 3 };
inline constexpr std::size_t kRewardBucketCount = 4;
const char *rewardBucketName(RewardBucket b);

// 365.25 days: emission is defined per year of wall-clock time, spread over elapsed slot time.
inline constexpr std::uint64_t kMillisPerYear = 31'557'600'000ULL;
inline constexpr std::uint64_t kMillisPerDay = 86'400'000ULL;

struct TokenomicsParams {
    Amount supplyCap = 0;          // base units; genesis + minted never exceeds it
    Amount genesisSupply = 0;
    Amount annualEmission = 0;     // at most this much is minted per year
    std::array<std::uint32_t, kRewardBucketCount> bucketPercent{};  // sums to 100
    Amount inferencePer1000Tokens = 0;
    Amount learningPerPercent = 0; // per 1 % relative loss improvement
    Amount validationPerEvaluation = 0;
    Amount dataPerGb = 0;          // per 10^9 bytes at full quality
    std::uint32_t feeBurnPercent = 0;

    // Strict: every field present, no unknown field, whole BLY numbers, percentages that add up.
    static Expected<TokenomicsParams> fromJson(std::string_view json);
    // The compiled-in config/tokenomics.json.
    static const TokenomicsParams &defaults();
};

// New supply for a block that covers `elapsedMs` of slot time since its parent, given what was
// minted before. Rounds down, and never lets genesis + minted pass the cap.
Amount blockEmission(const TokenomicsParams &p, std::uint64_t elapsedMs, Amount mintedSoFar);

struct FeeSplit {
    Amount burned = 0;
    Amount toRewardPool = 0;  // burned + toRewardPool == fee
};
FeeSplit splitFee(const TokenomicsParams &p, Amount fee);

// What one bucket may pay out per day: its share of a day's emission.
Amount dailyBucketBudget(const TokenomicsParams &p, RewardBucket bucket);

// Rewards earned for a piece of work, before bucket caps.
Expected<Amount> inferenceReward(const TokenomicsParams &p, std::uint64_t tokensServed);
// improvementPpm: relative loss improvement in millionths (1 % = 10'000).
Expected<Amount> learningReward(const TokenomicsParams &p, std::uint64_t improvementPpm);
Expected<Amount> validationReward(const TokenomicsParams &p, std::uint64_t evaluations);
// qualityPermille: 0..1000.
Expected<Amount> dataReward(const TokenomicsParams &p, std::uint64_t bytes, std::uint32_t qualityPermille);

// Over-cap claims are scaled down: when the claims exceed what is left of a bucket's budget, each
// is paid claim * remaining / total, rounded down (the dust stays in the pool). Otherwise paid in full.
std::vector<Amount> scaleClaims(Amount remaining, std::span<const Amount> claims);

}  // namespace blyan::ledger
