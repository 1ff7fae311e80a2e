#include "ui/explorer/explorer_page.h"

#include "ui/card.h"
#include "ui/client_model.h"
#include "ui/explorer/address_view.h"
#include "ui/explorer/block_list_view.h"
#include "ui/explorer/block_view.h"
#include "ui/explorer/dag_view.h"
#include "ui/explorer/expert_grid.h"
#include "ui/explorer/explorer_format.h"
#include "ui/explorer/explorer_model.h"
#include "ui/explorer/object_list_view.h"
#include "ui/explorer/object_view.h"
#include "ui/explorer/summary_strip.h"
#include "ui/explorer/tx_view.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace blyan::ui {

namespace {
constexpr int kHistoryLimit = 100;
enum Page { HomePage, BlockPage, TxPage, ObjectPage, AddressPage };
}  // namespace

ExplorerPage::ExplorerPage(ClientModel *client, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("ExplorerPage"));
    model_ = new ExplorerModel(client, this);

    auto *col = new QVBoxLayout(this);
    col->setContentsMargins(32, 28, 32, 20);
    col->setSpacing(12);
    col->addWidget(makePageHeader(tr("Explorer"), tr("Blocks, transactions and the model's objects on the chain, read "
                                                     "from this node's own copy.")));
    summary_ = new SummaryStrip(model_);
    col->addWidget(summary_);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(8);
    back_ = new QToolButton;
    back_->setObjectName(QStringLiteral("ExplorerBack"));
    back_->setText(tr("← Back"));
    back_->setToolTip(tr("Back (Alt+Left)"));
    back_->setEnabled(false);
    home_ = new QToolButton;
    home_->setObjectName(QStringLiteral("ExplorerHome"));
    home_->setText(tr("Home"));
    home_->setToolTip(tr("The blocks, objects, DAG and experts tabs"));
    search_ = new QLineEdit;
    search_->setObjectName(QStringLiteral("ExplorerSearch"));
    search_->setPlaceholderText(tr("Search a height, block hash, txid, object name or id, or address"));
    search_->setClearButtonEnabled(true);
    auto *go = new QPushButton(tr("Search"));
    go->setObjectName(QStringLiteral("ExplorerSearchButton"));
    bar->addWidget(back_);
    bar->addWidget(home_);
    bar->addWidget(search_, 1);
    bar->addWidget(go);
    col->addLayout(bar);
    searchMessage_ = new QLabel;
    searchMessage_->setObjectName(QStringLiteral("ExplorerSearchMessage"));
    searchMessage_->setWordWrap(true);
    searchMessage_->setTextInteractionFlags(Qt::TextBrowserInteraction);
    searchMessage_->hide();
    col->addWidget(searchMessage_);

    stack_ = new QStackedWidget;
    tabs_ = new QTabWidget;
    tabs_->setObjectName(QStringLiteral("ExplorerTabs"));
    tabs_->setDocumentMode(true);
    blocks_ = new BlockListView(model_);
    objects_ = new ObjectListView(model_);
    dag_ = new DagView(model_);
    grid_ = new ExpertGridView(model_);
    tabs_->addTab(blocks_, tr("Blocks"));
    tabs_->addTab(objects_, tr("Objects"));
    tabs_->addTab(dag_, tr("DAG"));
    tabs_->addTab(grid_, tr("Experts"));
    blockView_ = new BlockView(model_);
    txView_ = new TxView(model_);
    objectView_ = new ObjectView(model_);
    addressView_ = new AddressView(model_);
    stack_->addWidget(tabs_);
    stack_->addWidget(blockView_);
    stack_->addWidget(txView_);
    stack_->addWidget(objectView_);
    stack_->addWidget(addressView_);
    col->addWidget(stack_, 1);

    connect(summary_, &SummaryStrip::linkActivated, this, &ExplorerPage::openLink);
    connect(blocks_, &BlockListView::linkActivated, this, &ExplorerPage::openLink);
    connect(objects_, &ObjectListView::linkActivated, this, &ExplorerPage::openLink);
    connect(dag_, &DagView::linkActivated, this, &ExplorerPage::openLink);
    connect(grid_, &ExpertGridView::linkActivated, this, &ExplorerPage::openLink);
    for (DetailView *v : std::initializer_list<DetailView *>{blockView_, txView_, objectView_, addressView_})
        connect(v, &DetailView::linkActivated, this, &ExplorerPage::openLink);
    connect(searchMessage_, &QLabel::linkActivated, this, &ExplorerPage::openLink);
    connect(search_, &QLineEdit::returnPressed, this, [this] { search(search_->text()); });
    connect(go, &QPushButton::clicked, this, [this] { search(search_->text()); });
    connect(back_, &QToolButton::clicked, this, &ExplorerPage::goBack);
    connect(home_, &QToolButton::clicked, this, [this] { showHome(Tab(tabs_->currentIndex())); });
    auto *backKey = new QShortcut(QKeySequence::Back, this);
    backKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(backKey, &QShortcut::activated, this, &ExplorerPage::goBack);
    connect(tabs_, &QTabWidget::currentChanged, this, [this](int i) { here_.tab = i; });
}

void ExplorerPage::openLink(const QString &href)
{
    const int colon = int(href.indexOf(QLatin1Char(':')));
    if (colon < 0) return;
    const QString kind = href.left(colon), key = href.mid(colon + 1);
    if (kind == QLatin1String("dag")) {
        go({QStringLiteral("home"), QString(), DagTab}, true);
        dag_->focusObject(key);
        return;
    }
    go({kind, key, 0}, true);
}

void ExplorerPage::showBlock(const QString &hashOrHeight) { go({QStringLiteral("block"), hashOrHeight.trimmed(), 0}, true); }
void ExplorerPage::showTransaction(const QString &txid) { go({QStringLiteral("tx"), txid.trimmed(), 0}, true); }
void ExplorerPage::showObject(const QString &idOrName) { go({QStringLiteral("object"), idOrName.trimmed(), 0}, true); }
void ExplorerPage::showAddress(const QString &address) { go({QStringLiteral("address"), address.trimmed(), 0}, true); }
void ExplorerPage::showHome(Tab tab) { go({QStringLiteral("home"), QString(), int(tab)}, true); }

void ExplorerPage::goBack()
{
    if (history_.isEmpty()) return;
    go(history_.takeLast(), false);
}

ExplorerPage::Location ExplorerPage::current() const { return here_; }

void ExplorerPage::go(const Location &to, bool record)
{
    if (record) {
        const Location now = current();
        if (now.kind != to.kind || now.key != to.key || now.tab != to.tab) {
            history_.append(now);
            if (history_.size() > kHistoryLimit) history_.removeFirst();
        }
    }
    here_ = to;
    back_->setEnabled(!history_.isEmpty());
    setSearchMessage(QString(), false);  // it was about the previous search, not what shows now
    if (to.kind == QLatin1String("block")) {
        stack_->setCurrentIndex(BlockPage);
        blockView_->showBlock(to.key);
    } else if (to.kind == QLatin1String("tx")) {
        stack_->setCurrentIndex(TxPage);
        txView_->showTransaction(to.key);
    } else if (to.kind == QLatin1String("object")) {
        stack_->setCurrentIndex(ObjectPage);
        objectView_->showObject(to.key);
    } else if (to.kind == QLatin1String("address")) {
        stack_->setCurrentIndex(AddressPage);
        addressView_->showAddress(to.key);
    } else {
        here_.kind = QStringLiteral("home");
        stack_->setCurrentIndex(HomePage);
        tabs_->setCurrentIndex(to.tab);
    }
}

QWidget *ExplorerPage::currentView() const
{
    return stack_->currentIndex() == HomePage ? tabs_->currentWidget() : stack_->currentWidget();
}

void ExplorerPage::search(const QString &text)
{
    setSearchMessage(QString(), false);
    model_->call(QStringLiteral("search"), {text}, this, [this, text](const Expected<QJsonValue> &a) {
        if (!a.ok()) {
            setSearchMessage(QString::fromStdString(a.error().message).toHtmlEscaped(), true);
            return;
        }
        const QJsonObject r = a.value().toObject();
        const QString type = r.value(QLatin1String("type")).toString();
        if (type == QLatin1String("block")) showBlock(r.value(QLatin1String("hash")).toString());
        else if (type == QLatin1String("transaction")) showTransaction(r.value(QLatin1String("txid")).toString());
        else if (type == QLatin1String("object")) showObject(r.value(QLatin1String("id")).toString());
        else if (type == QLatin1String("address")) showAddress(r.value(QLatin1String("address")).toString());
        else if (type == QLatin1String("objects")) {
            QStringList links;
            for (const QJsonValue &n : r.value(QLatin1String("names")).toArray())
                links.append(linkHtml(QStringLiteral("object"), n.toString(), n.toString()));
            setSearchMessage(tr("No object is named exactly “%1”; these names start with it: %2")
                                 .arg(text.trimmed().toHtmlEscaped(), links.join(QStringLiteral(", "))),
                             false);
        }
    });
}

QString ExplorerPage::searchMessage() const { return searchMessage_->isVisibleTo(this) ? searchMessage_->text() : QString(); }

void ExplorerPage::setSearchMessage(const QString &html, bool error)
{
    searchMessage_->setProperty("tone", error ? QStringLiteral("error") : QStringLiteral("muted"));
    searchMessage_->style()->unpolish(searchMessage_);
    searchMessage_->style()->polish(searchMessage_);
    searchMessage_->setText(html);
    searchMessage_->setVisible(!html.isEmpty());
}

void ExplorerPage::setDarkTheme(bool dark)
{
    dag_->setDarkTheme(dark);
    grid_->setDarkTheme(dark);
}

}  // namespace blyan::ui
