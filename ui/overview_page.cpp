#include "ui/overview_page.h"

#include "node/node.h"
#include "ui/card.h"
#include "ui/client_model.h"
#include "ui/format.h"
#include "ui/wallet/amount.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
QString yesNoAvailable(bool available)
{
    return available ? OverviewPage::tr("Available") : OverviewPage::tr("Not available in this build yet");
}
}  // namespace

OverviewPage::OverviewPage(ClientModel *model, QWidget *parent) : QWidget(parent), model_(model)
{
    setObjectName(QStringLiteral("OverviewPage"));
    auto *content = new QWidget;
    auto *col = new QVBoxLayout(content);
    col->setSpacing(18);
    col->addWidget(makePageHeader(tr("Overview"), tr("Your Blyan node at a glance. Everything on this page is live.")));

    // Hero: the one thing a user wants to know first — is my node OK?
    auto *hero = new Card(tr("Node"));
    auto *heroRow = new QHBoxLayout;
    heroRow->setSpacing(12);
    heroDot_ = new QLabel;
    heroDot_->setFixedSize(14, 14);
    heroState_ = new QLabel;
    heroState_->setObjectName(QStringLiteral("FieldValue"));
    heroState_->setProperty("field", QStringLiteral("state"));
    QFont big = heroState_->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setWeight(QFont::DemiBold);
    heroState_->setFont(big);
    heroDetail_ = new QLabel;
    heroDetail_->setObjectName(QStringLiteral("Muted"));
    heroDetail_->setWordWrap(true);
    heroRow->addWidget(heroDot_, 0, Qt::AlignVCenter);
    heroRow->addWidget(heroState_, 0, Qt::AlignVCenter);
    heroRow->addSpacing(8);
    heroRow->addWidget(heroDetail_, 1, Qt::AlignVCenter);
    hero->body()->insertLayout(1, heroRow);
    hero->body()->insertSpacing(2, 4);
    hero->setFieldColumns(2);
    hero->addField(tr("Sync"), QStringLiteral("sync"));
    hero->addField(tr("Network"), QStringLiteral("network"));
    hero->addField(tr("Version"), QStringLiteral("version"));
    hero->addField(tr("Uptime"), QStringLiteral("uptime"));
    hero->addField(tr("Data directory"), QStringLiteral("dataDir"));
    col->addWidget(hero);

    auto *grid = new QGridLayout;
    grid->setSpacing(18);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);

    auto *wallet = new Card(tr("Wallet"));
    wallet->addField(tr("Available"), QStringLiteral("balance"));
    wallet->addField(tr("Staked"), QStringLiteral("staked"));
    wallet->addField(tr("Incoming"), QStringLiteral("pendingIn"));
    wallet->addField(tr("Wallet"), QStringLiteral("walletState"));
    grid->addWidget(wallet, 0, 0);
    grid->addWidget(buildModelCard(), 0, 1);

    // What changed lately comes right after the balances: it is what people open the app to see.
    grid->addWidget(buildActivity(), 1, 0, 1, 2);

    auto *chain = new Card(tr("Chain and peers"));
    chain->addField(tr("Chain"), QStringLiteral("chain"));
    chain->addField(tr("Height"), QStringLiteral("height"));
    chain->addField(tr("Best block"), QStringLiteral("bestBlock"));
    chain->addField(tr("Mempool"), QStringLiteral("mempool"));
    chain->addField(tr("Peer-to-peer"), QStringLiteral("p2p"));
    grid->addWidget(chain, 2, 0);

    auto *storage = new Card(tr("Storage and compute"));
    storage->addField(tr("Objects"), QStringLiteral("objectCount"));
    storage->addField(tr("Object data"), QStringLiteral("objectBytes"));
    storage->addField(tr("Disk free"), QStringLiteral("diskFree"));
    storage->addField(tr("Backend"), QStringLiteral("computeBackend"));
    storage->addField(tr("Devices"), QStringLiteral("computeDevices"));
    storage->addField(tr("CUDA"), QStringLiteral("cuda"));
    grid->addWidget(storage, 2, 1);

    auto *rpc = new Card(tr("Local RPC"));
    rpc->setFieldColumns(2);
    rpc->addField(tr("Endpoint"), QStringLiteral("rpcEndpoint"));
    rpc->addField(tr("Requests served"), QStringLiteral("rpcRequests"));
    rpc->addNote(tr("JSON-RPC on loopback with cookie authentication, as used by blyan-cli."));
    grid->addWidget(rpc, 3, 0, 1, 2);

    col->addLayout(grid);
    col->addStretch(1);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(makeScrollPage(content));

    for (QLabel *l : findChildren<QLabel *>()) {
        if (l->property("field").isValid()) {
            l->setTextFormat(Qt::RichText);
            l->setTextInteractionFlags(Qt::TextBrowserInteraction);
            connect(l, &QLabel::linkActivated, this, &OverviewPage::linkActivated);
        }
    }
    coalesce_.setSingleShot(true);
    coalesce_.setInterval(ClientModel::kDefaultThrottleMs);
    connect(&coalesce_, &QTimer::timeout, this, &OverviewPage::fetch);
    poll_.setInterval(5000);
    // Only a loaded model's cache moves between events; reading an unloaded model's spec costs a parse of
    // its payload (the tokenizer included) for nothing.
    connect(&poll_, &QTimer::timeout, this, [this] {
        if (isVisible() && modelLoaded_) want(ModelFeed);
    });
    poll_.start();
    node::Node *node = model_->node();
    connect(node, &node::Node::walletChanged, this, [this] { want(WalletFeed); }, Qt::QueuedConnection);
    connect(node, &node::Node::modelImportProgress, this, [this] { want(ModelFeed); }, Qt::QueuedConnection);
    connect(model_, &ClientModel::statusUpdated, this, &OverviewPage::update);
    update(model_->status());
}

QLabel *OverviewPage::field(const QString &name) const
{
    for (QLabel *l : findChildren<QLabel *>())
        if (l->property("field").toString() == name) return l;
    return nullptr;
}

void OverviewPage::setDarkTheme(bool dark)
{
    dark_ = dark;
    update(model_->status());
}

void OverviewPage::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    want(ModelFeed | BlocksFeed | WalletFeed);
}

void OverviewPage::update(const node::NodeStatus &s)
{
    const QLocale loc;
    // Field labels are rich text (some carry links): plain values are escaped.
    const auto set = [this](const QString &name, const QString &text) {
        const QString html = text.toHtmlEscaped();
        if (QLabel *l = field(name); l && l->text() != html) l->setText(html);
    };
    const QColor c = stateColor(s.state, dark_);
    heroDot_->setStyleSheet(QStringLiteral("background:%1; border-radius:7px;").arg(c.name()));
    set(QStringLiteral("state"), stateText(s.state));
    QString detail;
    switch (s.state) {
    case node::NodeState::Starting: detail = tr("Opening the data directory and starting services…"); break;
    case node::NodeState::Running: detail = tr("All local services are up."); break;
    case node::NodeState::Stopping: detail = tr("Finishing work and closing files…"); break;
    case node::NodeState::Stopped: detail = tr("The node is not running."); break;
    case node::NodeState::Failed: detail = s.error; break;
    }
    heroDetail_->setText(detail);

    const QString dash = QStringLiteral("—");
    const bool running = s.state == node::NodeState::Running;
    // A devnet's node is its only validator: it is the chain's newest state by definition. Elsewhere the
    // node knows only what its peers sent; without peers it says so rather than claiming to be in sync.
    const int peers = s.peersInbound + s.peersOutbound;
    const QString at = loc.toString(qulonglong(s.chainHeight));
    QString sync = dash;
    if (running && s.chainAvailable && s.network == QLatin1String("devnet"))
        sync = tr("Up to date at height %1: this node makes the devnet's blocks itself").arg(at);
    else if (running && s.chainAvailable && peers > 0)
        sync = tr("At height %1, following %n peer(s)", nullptr, peers).arg(at);
    else if (running && s.chainAvailable)
        sync = tr("At height %1; no peer connected, so newer blocks cannot arrive yet").arg(at);
    else if (running)
        sync = s.chainStatus.isEmpty() ? tr("The chain is not available") : s.chainStatus;
    set(QStringLiteral("sync"), sync);
    set(QStringLiteral("network"), s.network.isEmpty() ? model_->networkName() : s.network);
    set(QStringLiteral("version"), s.version.isEmpty() ? dash : s.version);
    set(QStringLiteral("uptime"), running ? formatDuration(s.uptimeSeconds) : dash);
    set(QStringLiteral("dataDir"), s.dataDir.isEmpty() ? model_->dataDir() : s.dataDir);
    set(QStringLiteral("rpcEndpoint"), s.rpcEndpoint.isEmpty() ? tr("Off") : s.rpcEndpoint);
    set(QStringLiteral("rpcRequests"), loc.toString(s.rpcRequests));
    set(QStringLiteral("objectCount"), loc.toString(qulonglong(s.objectCount)));
    set(QStringLiteral("objectBytes"), formatBytes(s.objectBytes));
    set(QStringLiteral("diskFree"), s.diskFreeBytes ? formatBytes(s.diskFreeBytes) : dash);
    set(QStringLiteral("computeBackend"), s.computeBackend.isEmpty() ? dash : s.computeBackend);
    set(QStringLiteral("computeDevices"), s.computeDevices.isEmpty() ? dash : s.computeDevices);
    set(QStringLiteral("cuda"), s.cudaAvailable ? tr("Available") : tr("Not available on this machine"));
    set(QStringLiteral("chain"), s.chainAvailable || s.chainStatus.isEmpty() ? yesNoAvailable(s.chainAvailable)
                                                                            : s.chainStatus);
    set(QStringLiteral("height"), s.chainAvailable ? loc.toString(qulonglong(s.chainHeight)) : dash);
    if (QLabel *l = field(QStringLiteral("bestBlock")))
        l->setText(s.chainAvailable && !s.bestBlockHash.isEmpty()
                       ? QStringLiteral("<a href=\"block:%1\">%2…</a>").arg(s.bestBlockHash, s.bestBlockHash.left(16))
                       : dash);
    set(QStringLiteral("mempool"), s.chainAvailable ? tr("%n transaction(s)", nullptr, int(s.mempoolSize)) : dash);
    set(QStringLiteral("p2p"), s.p2pAvailable ? tr("%n peer(s) connected", nullptr, peers) +
                                                    tr(" (%1 in, %2 out)").arg(s.peersInbound).arg(s.peersOutbound)
                               : s.p2pStatus.isEmpty() ? yesNoAvailable(false) : s.p2pStatus);
    updateWallet(s);
    lastState_ = s.state;
    if (running && s.chainAvailable && (!sawHeight_ || s.chainHeight != lastHeight_)) {
        sawHeight_ = true;
        lastHeight_ = s.chainHeight;
        want(BlocksFeed | WalletFeed | ModelFeed);  // a block may carry the wallet's or the model's objects
    }
}

void OverviewPage::updateWallet(const node::NodeStatus &s)
{
    const bool none = s.walletState == QLatin1String("none");
    const QString dash = QStringLiteral("—");
    field(QStringLiteral("balance"))->setText(none ? dash : displayBly(s.walletAvailableUnits));
    field(QStringLiteral("staked"))->setText(none ? dash : displayBly(s.walletStakedUnits));
    field(QStringLiteral("pendingIn"))->setText(none ? dash : displayBly(s.walletPendingUnits));
    QString state;
    if (none) state = tr("No wallet yet: <a href=\"panel:wallet\">create or restore one</a>");
    else if (s.walletState == QLatin1String("locked")) state = tr("Locked (<a href=\"panel:wallet\">open the wallet</a>)");
    else state = tr("Unlocked (<a href=\"panel:wallet\">open the wallet</a>)");
    field(QStringLiteral("walletState"))->setText(state);
}

}  // namespace blyan::ui
