#include "wallet/wallet_paths.h"

namespace blyan::wallet {

QString walletDir(const QString &dataDir) { return dataDir + QStringLiteral("/wallet"); }
QString keystorePath(const QString &dataDir) { return walletDir(dataDir) + QStringLiteral("/keystore.blyw"); }
QString walletDbPath(const QString &dataDir) { return walletDir(dataDir) + QStringLiteral("/wallet.sqlite"); }

}  // namespace blyan::wallet
