#include "create_testnet.h"

#include "chain/address.h"
#include "ledger/genesis_file.h"
#include "ledger/tokenomics.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace blyan::app {

namespace {

int fail(const std::string &what)
{
    std::fprintf(stderr, "blyan-cli createtestnet: %s\n", what.c_str());
    return 1;
}

// The node key file format of node/node_chain.h: the raw 32-byte seed, owner-only.
bool writeKey(const QString &path, const crypto::KeyPair &key)
{
    const crypto::SecureBytes seed = key.secretKey().seed();
    const int fd = ::open(path.toStdString().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    const bool ok = ::write(fd, seed.data(), seed.size()) == static_cast<ssize_t>(seed.size()) && ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

int createTestnet(const QString &dir, int validators, const QString &stakeText, const QString &balanceText)
{
    if (validators < 1 || validators > 100) return fail("the validator count must be from 1 to 100");
    auto stake = chain::parseAmount(stakeText.toStdString());
    if (!stake) return fail("stake: " + stake.error().message);
    auto balance = chain::parseAmount(balanceText.toStdString());
    if (!balance) return fail("balance: " + balance.error().message);
    const chain::Amount minimum = networkParams(Network::Testnet).minValidatorStakeBly * chain::kCoin;
    if (*stake < minimum) return fail("each validator must stake at least " + chain::formatAmount(minimum));
    const chain::Amount supply = ledger::TokenomicsParams::defaults().genesisSupply;
    auto perValidator = chain::checkedAdd(*stake, *balance, "stake plus balance");
    auto usedTotal = perValidator ? chain::checkedMul(*perValidator, static_cast<chain::Amount>(validators), "all validators") : perValidator;
    if (!usedTotal || *usedTotal >= supply) return fail("stakes and balances add up to more than the genesis supply of " + chain::formatAmount(supply));
    QDir root(dir);
    if (root.exists() && !root.entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty())
        return fail(dir.toStdString() + " exists and is not empty; choose a new directory");
    if (!QDir().mkpath(dir)) return fail("cannot create " + dir.toStdString());

    ledger::GenesisSpec spec;
    // Whole seconds from now: slot 0 starts when the file is made.
    spec.timeMs = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch() / 1000 * 1000);
    QJsonArray summary;
    for (int i = 1; i <= validators; ++i) {
        const QString sub = root.filePath(QStringLiteral("validator%1").arg(i));
        if (!QDir().mkpath(sub)) return fail("cannot create " + sub.toStdString());
        const crypto::KeyPair key = crypto::KeyPair::generate();
        if (!writeKey(sub + QStringLiteral("/node.key"), key)) return fail("cannot write " + sub.toStdString() + "/node.key");
        spec.stakes.emplace_back(key.publicKey(), *stake);
        if (*balance) spec.allocations.emplace_back(key.publicKey(), *balance);
        summary.append(QJsonObject{{QStringLiteral("datadir"), sub},
                                   {QStringLiteral("address"), QString::fromStdString(chain::formatAddress(Network::Testnet, key.publicKey()))}});
    }
    const QString faucetDir = root.filePath(QStringLiteral("faucet"));
    if (!QDir().mkpath(faucetDir)) return fail("cannot create " + faucetDir.toStdString());
    const crypto::KeyPair faucet = crypto::KeyPair::generate();
    if (!writeKey(faucetDir + QStringLiteral("/node.key"), faucet)) return fail("cannot write the faucet key");
    spec.allocations.emplace_back(faucet.publicKey(), supply - *usedTotal);

    const QString genesisPath = root.filePath(QStringLiteral("genesis.json"));
    QFile f(genesisPath);
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly) || f.write(ledger::formatGenesisFile(spec, Network::Testnet)) < 0 || !f.flush())
        return fail("cannot write " + genesisPath.toStdString());
    f.close();
    const QJsonObject out{{QStringLiteral("genesis"), genesisPath},
                          {QStringLiteral("validators"), summary},
                          {QStringLiteral("faucet"), QJsonObject{{QStringLiteral("datadir"), faucetDir},
                                                                 {QStringLiteral("address"), QString::fromStdString(chain::formatAddress(Network::Testnet, faucet.publicKey()))}}}};
    std::printf("%s", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

}  // namespace blyan::app
