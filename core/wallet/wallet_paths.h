#pragma once
// Where the wallet keeps its files inside a data dir (DESIGN.md section 11): <datadir>/wallet/.

#include <QString>

namespace blyan::wallet {

QString walletDir(const QString &dataDir);         // <datadir>/wallet
QString keystorePath(const QString &dataDir);      // <datadir>/wallet/keystore.blyw (encrypted secrets)
QString walletDbPath(const QString &dataDir);      // <datadir>/wallet/wallet.sqlite (no secrets)

}  // namespace blyan::wallet
