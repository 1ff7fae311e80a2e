#include "node/node_wallet_rpc.h"

#include "crypto/secure_memory.h"
#include "node/node.h"
#include "node/node_rpc.h"
#include "node/node_wallet.h"
#include "node/rpc/rpc_table.h"

#include <QJsonObject>

namespace blyan::node {

namespace {

// Secrets go into secure memory at once and the temporary UTF-8 copy is wiped. (The QString inside
// the request itself cannot be wiped; it dies with the request.)
Expected<crypto::SecureBytes> secret(const QJsonArray &p, int i, const char *method, const char *name,
                                     bool optional = false)
{
    BLYAN_TRY(const QString s, textParam(p, i, method, name, optional));
    QByteArray utf8 = s.toUtf8();
    crypto::SecureBytes out = crypto::SecureBytes::copyOf(asBytes(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size()))));
    crypto::secureZero(utf8.data(), static_cast<std::size_t>(utf8.size()));
    return out;
}

using SyncRun = std::function<Expected<QJsonValue>(NodeWallet &, const QJsonArray &)>;

WalletMethod syncMethod(QString name, QString summary, QStringList params, int minParams, bool changes, SyncRun run)
{
    WalletMethod m;
    m.name = std::move(name);
    m.summary = std::move(summary);
    m.params = std::move(params);
    m.minParams = minParams;
    m.changesWallet = changes;
    m.run = std::move(run);
    return m;
}

std::vector<WalletMethod> makeMethods()
{
    std::vector<WalletMethod> m;
    m.push_back(syncMethod(QStringLiteral("getwalletinfo"), QStringLiteral("The wallet's state, balances, addresses and history size."), {}, 0, false,
                 [](NodeWallet &w, const QJsonArray &) { return w.getWalletInfo(); }));
    m.push_back(syncMethod(QStringLiteral("generatemnemonic"), QStringLiteral("A fresh 24-word recovery phrase (not stored; pass it to createwallet)."), {}, 0, false,
                 [](NodeWallet &w, const QJsonArray &) { return w.generateMnemonic(); }));
    m.push_back(syncMethod(QStringLiteral("validatemnemonic"), QStringLiteral("Checks a recovery phrase: {valid, words, error}."), {QStringLiteral("mnemonic")}, 1, false,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const auto phrase, secret(p, 0, "validatemnemonic", "mnemonic"));
                     return w.validateMnemonic(phrase);
                 }));
    m.push_back(syncMethod(QStringLiteral("createwallet"), QStringLiteral("Creates the wallet from a recovery phrase (new or restored), encrypted under the passphrase."),
                 {QStringLiteral("passphrase"), QStringLiteral("mnemonic"), QStringLiteral("bip39_passphrase")}, 2, true,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const auto pass, secret(p, 0, "createwallet", "passphrase"));
                     BLYAN_TRY(const auto phrase, secret(p, 1, "createwallet", "mnemonic"));
                     BLYAN_TRY(const auto extra, secret(p, 2, "createwallet", "bip39_passphrase", true));
                     return w.createWallet(pass, phrase, extra);
                 }));
    {
        WalletMethod unlock{QStringLiteral("walletpassphrase"),
                            QStringLiteral("Unlocks the wallet for timeout seconds; remember=true keeps the unlock key in the OS keychain."),
                            {QStringLiteral("passphrase"), QStringLiteral("timeout"), QStringLiteral("remember")}, 2, true, {}, {}};
        unlock.runOwner = [](std::unique_ptr<NodeWallet> &w, const QJsonArray &p, WalletReply reply) {
            auto pass = secret(p, 0, "walletpassphrase", "passphrase");
            if (!pass) return reply(pass.error());
            auto t = intParamOr(p, 1, "walletpassphrase", "timeout", 1, 86400, 0);
            if (!t) return reply(t.error());
            if (p.size() > 2 && !p[2].isNull() && !p[2].isBool())
                return reply(makeError(ErrorCode::InvalidArgument, "walletpassphrase: 'remember' must be true or false"));
            w->unlockAndRemember(*pass, *t, p.size() > 2 && p[2].toBool(), std::move(reply));
        };
        m.push_back(std::move(unlock));
        WalletMethod fromKeychain{QStringLiteral("walletunlockkeychain"),
                                  QStringLiteral("Unlocks for timeout seconds with the key kept in the OS keychain."),
                                  {QStringLiteral("timeout")}, 1, true, {}, {}};
        fromKeychain.runOwner = [](std::unique_ptr<NodeWallet> &w, const QJsonArray &p, WalletReply reply) {
            auto t = intParamOr(p, 0, "walletunlockkeychain", "timeout", 1, 86400, 0);
            if (!t) return reply(t.error());
            w->unlockFromKeychain(*t, std::move(reply));
        };
        m.push_back(std::move(fromKeychain));
        WalletMethod forget{QStringLiteral("walletforgetkeychain"),
                            QStringLiteral("Removes the wallet's unlock key from the OS keychain."), {}, 0, true, {}, {}};
        forget.runOwner = [](std::unique_ptr<NodeWallet> &w, const QJsonArray &, WalletReply reply) {
            w->forgetKeychain(std::move(reply));
        };
        m.push_back(std::move(forget));
        WalletMethod import{QStringLiteral("importbackup"),
                            QStringLiteral("Restores the wallet of a backup zip into this data dir (which has none)."),
                            {QStringLiteral("file"), QStringLiteral("passphrase")}, 2, true, {}, {}};
        import.runOwner = [](std::unique_ptr<NodeWallet> &w, const QJsonArray &p, WalletReply reply) {
            auto file = textParam(p, 0, "importbackup", "file");
            if (!file) return reply(file.error());
            auto pass = secret(p, 1, "importbackup", "passphrase");
            if (!pass) return reply(pass.error());
            reply(NodeWallet::importBackup(w, *file, *pass));
        };
        m.push_back(std::move(import));
    }
    m.push_back(syncMethod(QStringLiteral("backupwallet"), QStringLiteral("Writes a backup zip (encrypted keystore, wallet.sqlite, node key, blyan.conf)."),
                 {QStringLiteral("destination")}, 1, false,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString d, textParam(p, 0, "backupwallet", "destination"));
                     return w.backupWallet(d);
                 }));
    m.push_back(syncMethod(QStringLiteral("parsepaymenturi"), QStringLiteral("Reads a blyan: payment URI: {address, amount, label, message}."),
                 {QStringLiteral("uri")}, 1, false,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString u, textParam(p, 0, "parsepaymenturi", "uri"));
                     return w.parsePaymentUri(u);
                 }));
    m.push_back(syncMethod(QStringLiteral("makepaymenturi"), QStringLiteral("A blyan: payment URI for an address, optional amount and label."),
                 {QStringLiteral("address"), QStringLiteral("amount"), QStringLiteral("label")}, 1, false,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString a, textParam(p, 0, "makepaymenturi", "address"));
                     BLYAN_TRY(const QString amount, numberTextParam(p, 1, "makepaymenturi", "amount", true));
                     BLYAN_TRY(const QString label, textParam(p, 2, "makepaymenturi", "label", true));
                     return w.formatPaymentUri(a, amount, label);
                 }));
    m.push_back(syncMethod(QStringLiteral("walletlock"), QStringLiteral("Locks the wallet now (keys wiped from memory)."), {}, 0, true,
                 [](NodeWallet &w, const QJsonArray &) { return w.lock(); }));
    m.push_back(syncMethod(QStringLiteral("walletpassphrasechange"), QStringLiteral("Re-encrypts the wallet under a new passphrase."),
                 {QStringLiteral("oldpassphrase"), QStringLiteral("newpassphrase")}, 2, true,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const auto a, secret(p, 0, "walletpassphrasechange", "oldpassphrase"));
                     BLYAN_TRY(const auto b, secret(p, 1, "walletpassphrasechange", "newpassphrase"));
                     return w.changePassphrase(a, b);
                 }));
    m.push_back(syncMethod(QStringLiteral("showmnemonic"), QStringLiteral("The recovery phrase (needs the passphrase)."), {QStringLiteral("passphrase")}, 1, false,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const auto pass, secret(p, 0, "showmnemonic", "passphrase"));
                     return w.showMnemonic(pass);
                 }));
    m.push_back(syncMethod(QStringLiteral("getnewaddress"), QStringLiteral("A new receiving address."), {QStringLiteral("label")}, 0, true,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString label, textParam(p, 0, "getnewaddress", "label", true));
                     return w.getNewAddress(label);
                 }));
    m.push_back(syncMethod(QStringLiteral("validateaddress"), QStringLiteral("Checks an address for this network: {isvalid, address, ismine, error}."), {QStringLiteral("address")}, 1, false,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString a, textParam(p, 0, "validateaddress", "address"));
                     return w.validateAddress(a);
                 }));
    m.push_back(syncMethod(QStringLiteral("setlabel"), QStringLiteral("Labels a wallet address or an address-book entry."), {QStringLiteral("address"), QStringLiteral("label")}, 2, true,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString a, textParam(p, 0, "setlabel", "address"));
                     BLYAN_TRY(const QString l, textParam(p, 1, "setlabel", "label"));
                     return w.setLabel(a, l);
                 }));
    m.push_back(syncMethod(QStringLiteral("listaddressbook"), QStringLiteral("Address book entries and the wallet's own addresses."), {}, 0, false,
                 [](NodeWallet &w, const QJsonArray &) { return w.listAddressBook(); }));
    m.push_back(syncMethod(QStringLiteral("removeaddressbookentry"), QStringLiteral("Removes an address-book entry."), {QStringLiteral("address")}, 1, true,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString a, textParam(p, 0, "removeaddressbookentry", "address"));
                     return w.removeAddressBookEntry(a);
                 }));
    m.push_back(syncMethod(QStringLiteral("estimatefee"), QStringLiteral("The fee a transfer needs now."), {}, 0, false,
                 [](NodeWallet &w, const QJsonArray &) { return w.estimateFee(); }));
    m.push_back(syncMethod(QStringLiteral("sendtoaddress"), QStringLiteral("Sends BLY to an address; returns the txid."),
                 {QStringLiteral("address"), QStringLiteral("amount"), QStringLiteral("fee"), QStringLiteral("label")}, 2, true,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const QString a, textParam(p, 0, "sendtoaddress", "address"));
                     BLYAN_TRY(const QString amount, numberTextParam(p, 1, "sendtoaddress", "amount"));
                     BLYAN_TRY(const QString fee, numberTextParam(p, 2, "sendtoaddress", "fee", true));
                     BLYAN_TRY(const QString label, textParam(p, 3, "sendtoaddress", "label", true));
                     return w.sendToAddress(a, amount, fee, label);
                 }));
    for (const bool un : {false, true}) {
        const char *name = un ? "unstake" : "stake";
        m.push_back(syncMethod(QString::fromLatin1(name), un ? QStringLiteral("Returns staked BLY to the first address.") : QStringLiteral("Stakes BLY from the first address."),
                     {QStringLiteral("amount"), QStringLiteral("fee")}, 1, true,
                     [un, name](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                         BLYAN_TRY(const QString amount, numberTextParam(p, 0, name, "amount"));
                         BLYAN_TRY(const QString fee, numberTextParam(p, 1, name, "fee", true));
                         return w.stake(amount, fee, un);
                     }));
    }
    m.push_back(syncMethod(QStringLiteral("listtransactions"), QStringLiteral("The wallet's history, newest first, with filters."),
                 {QStringLiteral("count"), QStringLiteral("skip"), QStringLiteral("filter")}, 0, false,
                 [](NodeWallet &w, const QJsonArray &p) -> Expected<QJsonValue> {
                     BLYAN_TRY(const qint64 count, intParamOr(p, 0, "listtransactions", "count", 1, 10000, 100));
                     BLYAN_TRY(const qint64 skip, intParamOr(p, 1, "listtransactions", "skip", 0, 1'000'000'000, 0));
                     QJsonObject filter;
                     if (p.size() > 2 && !p[2].isNull()) {
                         if (!p[2].isObject())
                             return makeError(ErrorCode::InvalidArgument, "listtransactions: 'filter' must be an object");
                         filter = p[2].toObject();
                     }
                     return w.listTransactions(static_cast<int>(count), static_cast<int>(skip), filter);
                 }));
    appendGovernanceWalletMethods(m);
    return m;
}

}  // namespace

const std::vector<WalletMethod> &walletMethods()
{
    static const std::vector<WalletMethod> methods = makeMethods();
    return methods;
}

const WalletMethod *findWalletMethod(const QString &name)
{
    for (const auto &m : walletMethods())
        if (m.name == name) return &m;
    return nullptr;
}

Status checkWalletParams(const WalletMethod &m, const QJsonArray &params)
{
    return expectParamCount(params, m.minParams, static_cast<int>(m.params.size()));
}

void registerWalletRpcMethods(RpcTable &table, Node *node)
{
    for (const auto &m : walletMethods()) {
        const WalletMethod *method = &m;
        table.add({m.name, QStringLiteral("wallet"), m.summary, m.params,
                   [node, method](const QJsonArray &params) -> Expected<QJsonValue> {
                       BLYAN_CHECK(checkWalletParams(*method, params));
                       return node->callWalletBlocking(method->name, params);
                   }});
    }
}

}  // namespace blyan::node
