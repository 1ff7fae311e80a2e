#include "ui/overview_page.h"

#include "ui/card.h"
#include "ui/client_model.h"
#include "ui/format.h"

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
    hero->addField(tr("Network"), QStringLiteral("network"));
    hero->addField(tr("Version"), QStringLiteral("version"));
    hero->addField(tr("Uptime"), QStringLiteral("uptime"));
    hero->addField(tr("Data directory"), QStringLiteral("dataDir"));
    col->addWidget(hero);

    auto *grid = new QGridLayout;
    grid->setSpacing(18);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);

    auto *rpc = new Card(tr("Local RPC"));
    rpc->addField(tr("Endpoint"), QStringLiteral("rpcEndpoint"));
    rpc->addField(tr("Requests served"), QStringLiteral("rpcRequests"));
    rpc->addNote(tr("JSON-RPC on loopback with cookie authentication, as used by blyan-cli."));
    grid->addWidget(rpc, 0, 0);

    auto *storage = new Card(tr("Storage"));
    storage->addField(tr("Objects"), QStringLiteral("objectCount"));
    storage->addField(tr("Object data"), QStringLiteral("objectBytes"));
    storage->addField(tr("Disk free"), QStringLiteral("diskFree"));
    grid->addWidget(storage, 0, 1);

    auto *compute = new Card(tr("Compute"));
    compute->addField(tr("Backend"), QStringLiteral("computeBackend"));
    compute->addField(tr("Devices"), QStringLiteral("computeDevices"));
    compute->addField(tr("CUDA"), QStringLiteral("cuda"));
    grid->addWidget(compute, 1, 0);

    auto *chain = new Card(tr("Chain and peers"));
    chain->addField(tr("Chain"), QStringLiteral("chain"));
    chain->addField(tr("Height"), QStringLiteral("height"));
    chain->addField(tr("Best block"), QStringLiteral("bestBlock"));
    chain->addField(tr("Mempool"), QStringLiteral("mempool"));
    chain->addField(tr("Peer-to-peer"), QStringLiteral("p2p"));
    chain->addNote(tr("A devnet runs its own chain here: this node is its only validator and every block is "
                      "final at once. Peer connections arrive with a later build."));
    grid->addWidget(chain, 1, 1);

    col->addLayout(grid);
    col->addStretch(1);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(makeScrollPage(content));

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

void OverviewPage::update(const node::NodeStatus &s)
{
    const QLocale loc;
    const auto set = [this](const QString &name, const QString &text) {
        if (QLabel *l = field(name); l && l->text() != text) l->setText(text);
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
    set(QStringLiteral("network"), s.network.isEmpty() ? model_->networkName() : s.network);
    set(QStringLiteral("version"), s.version.isEmpty() ? dash : s.version);
    set(QStringLiteral("uptime"), s.state == node::NodeState::Running ? formatDuration(s.uptimeSeconds) : dash);
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
    set(QStringLiteral("bestBlock"), s.chainAvailable ? s.bestBlockHash.left(16) + QStringLiteral("…") : dash);
    set(QStringLiteral("mempool"), s.chainAvailable ? tr("%n transaction(s)", nullptr, int(s.mempoolSize)) : dash);
    set(QStringLiteral("p2p"), yesNoAvailable(s.p2pAvailable));
    lastState_ = s.state;
}

}  // namespace blyan::ui
