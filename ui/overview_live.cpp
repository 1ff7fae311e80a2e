// OverviewPage, the parts fed by RPC (Node::call, answered on the UI thread): the model card, the latest
// blocks and the wallet's latest transactions. Requests are coalesced (want → fetch after ~250 ms) and
// one of each kind is on its way at a time.

#include "node/node.h"
#include "ui/card.h"
#include "ui/client_model.h"
#include "ui/format.h"
#include "ui/overview_page.h"
#include "ui/wallet/amount.h"
#include "ui/wallet/history_model.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
constexpr int kRecent = 5;

QLabel *listLabel(const QString &field)
{
    auto *l = new QLabel(QStringLiteral("—"));
    l->setObjectName(QStringLiteral("FieldValue"));
    l->setProperty("list", field);
    l->setTextFormat(Qt::RichText);
    l->setWordWrap(true);
    l->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    l->setTextInteractionFlags(Qt::TextBrowserInteraction);
    return l;
}
}  // namespace

Card *OverviewPage::buildModelCard()
{
    auto *card = new Card(tr("Model"));
    card->addField(tr("Model"), QStringLiteral("modelName"));
    card->addField(tr("On the chain"), QStringLiteral("modelChain"));
    card->addField(tr("Components"), QStringLiteral("modelComponents"));
    card->addField(tr("Loaded"), QStringLiteral("modelLoaded"));
    card->addField(tr("Expert cache"), QStringLiteral("modelCache"));
    card->addField(tr("Import"), QStringLiteral("modelImport"));
    return card;
}

QWidget *OverviewPage::buildActivity()
{
    auto *card = new Card(tr("Recent activity"));
    auto *row = new QHBoxLayout;
    row->setSpacing(28);
    const auto column = [row](const QString &title, QLabel *list) {
        auto *c = new QVBoxLayout;
        c->setSpacing(6);
        auto *t = new QLabel(title);
        t->setObjectName(QStringLiteral("FieldLabel"));
        c->addWidget(t);
        c->addWidget(list);
        c->addStretch(1);
        row->addLayout(c, 1);
    };
    recentBlocks_ = listLabel(QStringLiteral("blocks"));
    recentTxs_ = listLabel(QStringLiteral("transactions"));
    column(tr("Latest blocks"), recentBlocks_);
    column(tr("Your latest transactions"), recentTxs_);
    card->body()->addLayout(row);
    connect(recentBlocks_, &QLabel::linkActivated, this, &OverviewPage::linkActivated);
    connect(recentTxs_, &QLabel::linkActivated, this, &OverviewPage::linkActivated);
    return card;
}

void OverviewPage::want(int feeds)
{
    wanted_ |= feeds;
    if (!coalesce_.isActive()) coalesce_.start();
}

void OverviewPage::fetch()
{
    const node::NodeStatus &s = model_->status();
    if (s.state != node::NodeState::Running) return;  // wanted_ stays: asked again once running
    if (!isVisible()) return;  // no RPCs for a hidden panel: showEvent asks for every feed again
    node::Node *node = model_->node();
    const int now = wanted_ & ~inFlight_;
    wanted_ &= inFlight_;  // what is on its way is asked again when it answers
    const auto done = [this](int feed) {
        inFlight_ &= ~feed;
        if (wanted_ & feed) want(0);
    };
    if (now & ModelFeed) {
        inFlight_ |= ModelFeed;
        node->call(QStringLiteral("getmodel"), {}, this, [this, done](const Expected<QJsonValue> &a) {
            showModel(a);
            done(ModelFeed);
        });
    }
    if ((now & BlocksFeed) && s.chainAvailable) {
        inFlight_ |= BlocksFeed;
        const qint64 from = std::max<qint64>(0, qint64(s.chainHeight) - (kRecent - 1));
        node->call(QStringLiteral("listblocks"), {from, kRecent}, this, [this, done](const Expected<QJsonValue> &a) {
            showBlocks(a);
            done(BlocksFeed);
        });
    }
    if (now & WalletFeed) {
        inFlight_ |= WalletFeed;
        node->call(QStringLiteral("listtransactions"), {kRecent}, this, [this, done](const Expected<QJsonValue> &a) {
            showTransactions(a);
            done(WalletFeed);
        });
    }
}

void OverviewPage::showModel(const Expected<QJsonValue> &a)
{
    const auto set = [this](const char *name, const QString &text) {
        if (QLabel *l = field(QLatin1String(name))) l->setText(text);
    };
    if (!a.ok()) {
        set("modelName", QString::fromStdString(a.error().message).toHtmlEscaped());
        return;
    }
    const QLocale loc;
    const QJsonObject o = a.value().toObject();
    modelLoaded_ = o.value(QLatin1String("loaded")).toBool();
    const QJsonObject m = o.value(QLatin1String("model")).toObject();
    const QJsonObject imp = o.value(QLatin1String("import")).toObject();
    const QString phase = imp.value(QLatin1String("phase")).toString();
    if (phase == QLatin1String("idle")) set("modelImport", tr("None running (File > Import model)"));
    else if (phase == QLatin1String("failed")) set("modelImport", tr("Failed: %1").arg(imp.value(QLatin1String("error")).toString().toHtmlEscaped()));
    else if (phase == QLatin1String("done")) set("modelImport", tr("Done: %1 objects published").arg(imp.value(QLatin1String("published")).toInt()));
    else {
        const double total = imp.value(QLatin1String("bytes_total")).toDouble();
        set("modelImport", tr("%1… %2").arg(phase, total > 0 ? QStringLiteral("%1 %").arg(
                                                             int(100 * imp.value(QLatin1String("bytes_done")).toDouble() / total))
                                                       : QString()));
    }
    if (m.isEmpty()) {
        set("modelName", tr("No model on this chain yet"));
        set("modelChain", o.value(QLatin1String("model_error")).toString().toHtmlEscaped());
        for (const char *k : {"modelComponents", "modelLoaded", "modelCache"}) set(k, QStringLiteral("—"));
        return;
    }
    const QJsonObject hp = m.value(QLatin1String("hyperparameters")).toObject();
    set("modelName", tr("%1 (%2, %3 layers × %4 experts, top-%5)")
                         .arg(m.value(QLatin1String("name")).toString().toHtmlEscaped(),
                              m.value(QLatin1String("architecture")).toString().toHtmlEscaped())
                         .arg(hp.value(QLatin1String("num_layers")).toInt())
                         .arg(hp.value(QLatin1String("num_experts")).toInt())
                         .arg(hp.value(QLatin1String("top_k")).toInt()));
    const QString spec = m.value(QLatin1String("spec_id")).toString();
    set("modelChain", tr("Yes: spec <a href=\"object:%1\">%2…</a>").arg(spec, spec.left(12)));
    const QJsonObject c = m.value(QLatin1String("components")).toObject();
    const QJsonObject sizes = m.value(QLatin1String("sizes")).toObject();
    QString comp = tr("%1 objects: %2 experts, %3 routers, %4 base; %5 of weights")
                       .arg(c.value(QLatin1String("total")).toInt())
                       .arg(c.value(QLatin1String("expert")).toInt())
                       .arg(c.value(QLatin1String("router")).toInt())
                       .arg(c.value(QLatin1String("base")).toInt())
                       .arg(formatBytes(quint64(sizes.value(QLatin1String("base_bytes")).toDouble() +
                                                sizes.value(QLatin1String("expert_bytes")).toDouble())));
    const int missing = c.value(QLatin1String("missing_heads")).toInt() + c.value(QLatin1String("missing_payloads")).toInt();
    if (missing) comp += tr("; %n missing here", nullptr, missing);
    if (const int up = c.value(QLatin1String("upgraded")).toInt()) comp += tr("; %n upgraded", nullptr, up);
    set("modelComponents", comp);
    const QJsonObject rt = o.value(QLatin1String("runtime")).toObject();
    const QString loadError = o.value(QLatin1String("load_error")).toString();
    if (o.value(QLatin1String("loaded")).toBool())
        set("modelLoaded", tr("Yes, on %1 in %2 (%3 parameters)")
                               .arg(rt.value(QLatin1String("device")).toString(), rt.value(QLatin1String("dtype")).toString(),
                                    loc.toString(qint64(rt.value(QLatin1String("parameters")).toDouble()))));
    else if (!loadError.isEmpty())
        set("modelLoaded", tr("No: %1").arg(loadError.toHtmlEscaped()));
    else
        set("modelLoaded", tr("Not yet: the first chat assembles it from the chain (device %1)")
                               .arg(rt.value(QLatin1String("device")).toString()));
    const QJsonObject cache = rt.value(QLatin1String("cache")).toObject();
    if (cache.isEmpty()) {
        set("modelCache", tr("Starts with the first chat"));
    } else {
        const double gets = cache.value(QLatin1String("gets")).toDouble();
        const double hits = cache.value(QLatin1String("gpu_hits")).toDouble() + cache.value(QLatin1String("ram_hits")).toDouble();
        set("modelCache", tr("%1 of %2 RAM (%3 experts), %4 % hits, %5 loaded from disk")
                              .arg(formatBytes(quint64(cache.value(QLatin1String("ram_bytes")).toDouble())),
                                   formatBytes(quint64(cache.value(QLatin1String("ram_budget")).toDouble())))
                              .arg(qint64(cache.value(QLatin1String("ram_resident")).toDouble()))
                              .arg(gets > 0 ? int(100 * hits / gets) : 0)
                              .arg(qint64(cache.value(QLatin1String("cold_loads")).toDouble())));
    }
}

void OverviewPage::showBlocks(const Expected<QJsonValue> &a)
{
    if (!a.ok()) {
        recentBlocks_->setText(QString::fromStdString(a.error().message).toHtmlEscaped());
        return;
    }
    const QLocale loc;
    const QJsonArray blocks = a.value().toObject().value(QLatin1String("blocks")).toArray();
    QStringList lines;
    for (qsizetype i = blocks.size() - 1; i >= 0; --i) {
        const QJsonObject b = blocks.at(i).toObject();
        lines.append(tr("<a href=\"block:%1\">Block %2</a> · %3 · %4")
                         .arg(b.value(QLatin1String("hash")).toString(),
                              loc.toString(qint64(b.value(QLatin1String("height")).toDouble())),
                              tr("%n transaction(s)", nullptr, b.value(QLatin1String("nTx")).toInt()),
                              formatAge(qint64(b.value(QLatin1String("time")).toDouble()))));
    }
    recentBlocks_->setText(lines.isEmpty() ? tr("No blocks yet") : lines.join(QStringLiteral("<br>")));
}

void OverviewPage::showTransactions(const Expected<QJsonValue> &a)
{
    if (!a.ok()) {
        // -18: no wallet. Other errors say what happened.
        recentTxs_->setText(a.error().code == ErrorCode::NoWallet
                                ? tr("No wallet yet: <a href=\"panel:wallet\">create or restore one</a>")
                                : QString::fromStdString(a.error().message).toHtmlEscaped());
        return;
    }
    QStringList lines;
    for (const QJsonValue &v : a.value().toArray()) {
        const QJsonObject t = v.toObject();
        const QString dir = t.value(QLatin1String("direction")).toString();
        const QString sign = dir == QLatin1String("received") ? QStringLiteral("+") : dir == QLatin1String("sent") ? QStringLiteral("−") : QString();
        lines.append(tr("<a href=\"tx:%1\">%2</a> %3 · %4 · %5")
                         .arg(t.value(QLatin1String("txid")).toString(),
                              HistoryModel::kindText(t.value(QLatin1String("kind")).toString(), dir),
                              sign + displayBly(amountUnits(t.value(QLatin1String("amount")))),
                              HistoryModel::statusText(t.value(QLatin1String("status")).toString()),
                              formatAge(qint64(t.value(QLatin1String("time")).toDouble()))));
    }
    recentTxs_->setText(lines.isEmpty() ? tr("No transactions yet") : lines.join(QStringLiteral("<br>")));
}

}  // namespace blyan::ui
