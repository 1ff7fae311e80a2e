#include "ui/explorer/summary_strip.h"

#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"
#include "ui/wallet/amount.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace blyan::ui {

SummaryStrip::SummaryStrip(ExplorerModel *explorer, QWidget *parent) : QFrame(parent), explorer_(explorer)
{
    setObjectName(QStringLiteral("Card"));
    setAttribute(Qt::WA_StyledBackground);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(18, 12, 18, 12);
    row->setSpacing(28);
    addTile(QStringLiteral("height"), tr("Height"));
    addTile(QStringLiteral("final"), tr("Last final block"));
    addTile(QStringLiteral("supply"), tr("Circulating supply"));
    addTile(QStringLiteral("rate"), tr("Transactions per second"));
    addTile(QStringLiteral("mempool"), tr("Mempool"));
    connect(explorer_, &ExplorerModel::summaryChanged, this, &SummaryStrip::update);
    update();
}

void SummaryStrip::addTile(const QString &name, const QString &caption)
{
    auto *box = new QVBoxLayout;
    box->setSpacing(2);
    auto *c = new QLabel(caption.toUpper());
    c->setObjectName(QStringLiteral("CardTitle"));
    QFont cf = c->font();
    cf.setPointSizeF(cf.pointSizeF() * 0.8);
    cf.setBold(true);
    c->setFont(cf);
    auto *v = new QLabel(QStringLiteral("—"));
    v->setObjectName(QStringLiteral("FieldValue"));
    v->setProperty("field", name);
    QFont vf = v->font();
    vf.setPointSizeF(vf.pointSizeF() * 1.35);
    vf.setWeight(QFont::DemiBold);
    v->setFont(vf);
    auto *d = new QLabel;
    d->setObjectName(QStringLiteral("Muted"));
    d->setTextInteractionFlags(Qt::TextBrowserInteraction);
    d->setWordWrap(true);
    connect(d, &QLabel::linkActivated, this, &SummaryStrip::linkActivated);
    box->addWidget(c);
    box->addWidget(v);
    box->addWidget(d);
    static_cast<QHBoxLayout *>(layout())->addLayout(box, 1);
    labels_.insert(name, v);
    labels_.insert(name + QStringLiteral("Detail"), d);
}

void SummaryStrip::update()
{
    const ChainSummary &s = explorer_->summary();
    const QLocale loc;
    const auto set = [this](const QString &name, const QString &value, const QString &detail) {
        labels_.value(name)->setText(value);
        labels_.value(name + QStringLiteral("Detail"))->setText(detail);
    };
    if (!s.loaded) return;
    if (!s.error.isEmpty()) {
        set(QStringLiteral("height"), QStringLiteral("—"), s.error.toHtmlEscaped());
        for (const char *k : {"final", "supply", "rate", "mempool"}) set(QLatin1String(k), QStringLiteral("—"), QString());
        return;
    }
    set(QStringLiteral("height"), loc.toString(s.height),
        linkHtml(QStringLiteral("block"), s.bestHash, s.bestHash.left(10) + QStringLiteral("…")) + QStringLiteral(" · ") +
            formatAge(s.tipTimeMs));
    set(QStringLiteral("final"), loc.toString(s.finalHeight),
        s.finalHeight == s.height ? tr("every block is final")
                                  : linkHtml(QStringLiteral("block"), s.finalHash, s.finalHash.left(10) + QStringLiteral("…")));
    if (s.supplyLoaded)
        set(QStringLiteral("supply"), displayBly(s.circulatingUnits),
            tr("cap %1 · %2 burned").arg(displayBly(s.capUnits, false), displayBly(s.burnedUnits, false)));
    if (s.txRate >= 0)
        set(QStringLiteral("rate"), loc.toString(s.txRate, 'f', s.txRate < 10 ? 2 : 1),
            tr("%1 tx in the last %n block(s)", nullptr, s.windowBlocks).arg(loc.toString(s.windowTxs)));
    else
        set(QStringLiteral("rate"), QStringLiteral("—"), tr("no blocks after genesis yet"));
    set(QStringLiteral("mempool"), loc.toString(s.mempool), tr("transactions waiting"));
}

}  // namespace blyan::ui
