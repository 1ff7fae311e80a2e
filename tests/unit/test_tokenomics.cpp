// The BLY economics of DESIGN.md section 6: the compiled-in parameters, emission within the cap,
// fee burning, bucket budgets, reward rates and the scaling of over-cap claims.

#include "ledger/tokenomics.h"

#include <QRandomGenerator>
#include <QTest>

#include <numeric>

using namespace blyan;
using namespace blyan::ledger;
using chain::kCoin;

__extension__ typedef unsigned __int128 u128;

class TestTokenomics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsMatchTheDesign()
    {
        const TokenomicsParams &p = TokenomicsParams::defaults();
        QCOMPARE(p.supplyCap, 1'000'000'000ULL * kCoin);
        QCOMPARE(p.genesisSupply, 100'000'000ULL * kCoin);
        QCOMPARE(p.annualEmission, 100'000'000ULL * kCoin);  // 10 % of the cap
        QCOMPARE(p.bucketPercent[0], 45u);
        QCOMPARE(p.bucketPercent[1], 35u);
        QCOMPARE(p.bucketPercent[2], 10u);
        QCOMPARE(p.bucketPercent[3], 10u);
        QCOMPARE(p.feeBurnPercent, 50u);
    }

    void emissionOverAYearIsAtMostTheAnnualAmount()
    {
        const TokenomicsParams &p = TokenomicsParams::defaults();
        // One devnet slot (1 s): 10^16 * 1000 / 31'557'600'000 base units, rounded down.
        QCOMPARE(blockEmission(p, 1000, 0), Amount(316'880'878));
        // A year of 2 s slots, block by block, never exceeds the annual emission, and loses less
        // than one base unit per block to rounding.
        const std::uint64_t blocks = kMillisPerYear / 2000;
        Amount minted = 0;
        for (std::uint64_t i = 0; i < blocks; ++i) minted += blockEmission(p, 2000, minted);
        QVERIFY(minted <= p.annualEmission);
        QVERIFY(p.annualEmission - minted < blocks);
        // Skipped slots are paid in the next block: one block over 60 s = 60 blocks of 1 s (to rounding).
        QVERIFY(blockEmission(p, 60'000, 0) >= 60 * blockEmission(p, 1000, 0));
    }

    void emissionStopsAtTheCap()
    {
        const TokenomicsParams &p = TokenomicsParams::defaults();
        const Amount room = p.supplyCap - p.genesisSupply;
        QCOMPARE(blockEmission(p, kMillisPerYear, room - 5), Amount(5));
        QCOMPARE(blockEmission(p, kMillisPerYear, room), Amount(0));
        QCOMPARE(blockEmission(p, UINT64_MAX, 0), room);  // no overflow on absurd elapsed times
    }

    void feesAreSplitWithoutLosingAUnit()
    {
        const TokenomicsParams &p = TokenomicsParams::defaults();
        QRandomGenerator rng(42);
        for (int i = 0; i < 10000; ++i) {
            const Amount fee = rng.generate64() >> rng.bounded(64);
            const FeeSplit s = splitFee(p, fee);
            QCOMPARE(s.burned + s.toRewardPool, fee);
            QVERIFY(s.burned <= fee / 2 + 1);
        }
        QCOMPARE(splitFee(p, 3).burned, Amount(1));
        QCOMPARE(splitFee(p, UINT64_MAX).burned + splitFee(p, UINT64_MAX).toRewardPool, UINT64_MAX);
    }

    void bucketBudgetsShareADaysEmission()
    {
        const TokenomicsParams &p = TokenomicsParams::defaults();
        const Amount daily = static_cast<Amount>(static_cast<u128>(p.annualEmission) * kMillisPerDay / kMillisPerYear);
        Amount sum = 0;
        for (auto b : {RewardBucket::Inference, RewardBucket::Learning, RewardBucket::Validation, RewardBucket::Data})
            sum += dailyBucketBudget(p, b);
        QVERIFY(sum <= daily && daily - sum < 4);
        QCOMPARE(dailyBucketBudget(p, RewardBucket::Inference), daily * 45 / 100);
    }

    void rewardRates()
    {
        const TokenomicsParams &p = TokenomicsParams::defaults();
        QCOMPARE(inferenceReward(p, 1000).value(), 1 * kCoin);
        QCOMPARE(inferenceReward(p, 1).value(), kCoin / 1000);
        QCOMPARE(learningReward(p, 10'000).value(), 500 * kCoin);   // 1 %
        QCOMPARE(learningReward(p, 5'000).value(), 250 * kCoin);    // 0.5 %, the acceptance threshold
        QCOMPARE(validationReward(p, 3).value(), 30 * kCoin);
        QCOMPARE(dataReward(p, 1'000'000'000ULL, 1000).value(), 100 * kCoin);
        QCOMPARE(dataReward(p, 2'000'000'000ULL, 500).value(), 100 * kCoin);
        QVERIFY(!dataReward(p, 1, 1001).ok());
        QVERIFY(!validationReward(p, UINT64_MAX).ok());  // overflow is an error, never a wrap
        QVERIFY(!inferenceReward(p, UINT64_MAX).ok() || inferenceReward(p, UINT64_MAX).value() > 0);
    }

    void overCapClaimsAreScaledDown()
    {
        const std::vector<Amount> claims{600, 300, 100};
        QCOMPARE(scaleClaims(2000, claims), claims);  // under the cap: paid in full
        const auto scaled = scaleClaims(500, claims);
        QCOMPARE(scaled, (std::vector<Amount>{300, 150, 50}));
        QRandomGenerator rng(7);
        for (int i = 0; i < 2000; ++i) {
            std::vector<Amount> c(rng.bounded(1, 20));
            for (auto &x : c) x = rng.generate64() >> 8;
            const Amount budget = rng.generate64() >> 10;
            const auto out = scaleClaims(budget, c);
            u128 paid = 0;
            for (std::size_t k = 0; k < c.size(); ++k) {
                QVERIFY(out[k] <= c[k]);
                paid += out[k];
            }
            QVERIFY(paid <= std::max<u128>(budget, 0) ||
                    paid == std::accumulate(c.begin(), c.end(), static_cast<u128>(0)));
        }
    }

    void strictParameterFiles()
    {
        const std::string good = R"({"supply_cap_bly":1000,"genesis_supply_bly":100,"annual_emission_percent_of_cap":10,
            "buckets_percent":{"inference":45,"learning":35,"validation":10,"data":10},
            "rates":{"inference_bly_per_1000_tokens":1,"learning_bly_per_percent_improvement":500,
                     "validation_bly_per_evaluation":10,"data_bly_per_gb":100},"fee_burn_percent":50})";
        QVERIFY(TokenomicsParams::fromJson(good).ok());
        auto with = [&](const std::string &from, const std::string &to) {
            std::string s = good;
            s.replace(s.find(from), from.size(), to);
            return TokenomicsParams::fromJson(s);
        };
        auto sum = with("\"data\":10", "\"data\":11");
        QVERIFY(!sum.ok());
        QVERIFY(QString::fromStdString(sum.error().message).contains(QStringLiteral("101")));
        QVERIFY(!with("\"fee_burn_percent\":50", "\"fee_burn_percent\":50,\"bonus\":1").ok());  // unknown field
        QVERIFY(!with("\"genesis_supply_bly\":100", "\"genesis_supply_bly\":2000").ok());     // above the cap
        QVERIFY(!with("\"validation_bly_per_evaluation\":10", "\"validation_bly_per_evaluation\":1.5").ok());
        QVERIFY(!with("\"fee_burn_percent\":50", "\"fee_burn_percent\":-1").ok());
        QVERIFY(!with(",\"fee_burn_percent\":50", "").ok());  // missing
        QVERIFY(!TokenomicsParams::fromJson("[]").ok());
    }
};

QTEST_GUILESS_MAIN(TestTokenomics)
#include "test_tokenomics.moc"
