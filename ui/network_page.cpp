#include "ui/network_page.h"

#include "ui/card.h"
#include "ui/client_model.h"

#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace blyan::ui {

NetworkPage::NetworkPage(ClientModel *model, QWidget *parent) : QWidget(parent), model_(model)
{
    auto *content = new QWidget;
    auto *col = new QVBoxLayout(content);
    col->setSpacing(18);
    col->addWidget(makePageHeader(tr("Network"), tr("How this node talks to programs on this computer and to other nodes.")));

    auto *rpc = new Card(tr("Local RPC"));
    endpoint_ = rpc->addField(tr("Endpoint"), QStringLiteral("netRpcEndpoint"));
    requests_ = rpc->addField(tr("Requests served"), QStringLiteral("netRpcRequests"));
    rpc->addNote(tr("Reachable from this computer only. Programs authenticate with the cookie file in the data directory."));
    col->addWidget(rpc);

    auto *p2p = new Card(tr("Peer-to-peer"));
    p2p_ = p2p->addField(tr("Status"), QStringLiteral("netP2p"));
    p2pNote_ = p2p->addNote(QString());
    col->addWidget(p2p);
    col->addStretch(1);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(makeScrollPage(content));

    connect(model_, &ClientModel::statusUpdated, this, &NetworkPage::update);
    update(model_->status());
}

void NetworkPage::update(const node::NodeStatus &s)
{
    endpoint_->setText(s.rpcEndpoint.isEmpty() ? tr("Off") : s.rpcEndpoint);
    requests_->setText(QLocale().toString(s.rpcRequests));
    if (s.p2pAvailable) {
        p2p_->setText(tr("Available"));
        p2pNote_->setText(tr("Peer details appear here in a later build."));
    } else {
        p2p_->setText(tr("Not available in this build yet"));
        p2pNote_->setText(tr("When it arrives, this panel lists connected peers, their latency and the experts they "
                             "serve, traffic per peer, and lets you add or ban nodes. No peers are shown now because "
                             "this build does not connect to any."));
    }
}

}  // namespace blyan::ui
