#pragma once
// The Explorer panel: a chain summary strip, a search box, and a browser over the chain: the blocks
// list (paged, any height), the objects of chains A, B and D, their DAG, and the model's experts as a
// layer x expert grid; detail views for a block, a transaction, an object and an address, linked to
// each other, with Back and Home. Everything comes through ExplorerModel (Node::call), off the UI thread.

#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace blyan::ui {

class AddressView;
class BlockListView;
class BlockView;
class ClientModel;
class DagView;
class ExpertGridView;
class ExplorerModel;
class ObjectListView;
class ObjectView;
class SummaryStrip;
class TxView;

class ExplorerPage : public QWidget {
    Q_OBJECT
public:
    enum Tab { BlocksTab, ObjectsTab, DagTab, ExpertsTab };

    ExplorerPage(ClientModel *client, QWidget *parent = nullptr);

    // Opens a detail view (pushing the current one on the Back history). The argument is what the
    // user would type: a height or block hash, a txid, an object id or name (a name opens its head),
    // an address.
    void showBlock(const QString &hashOrHeight);
    void showTransaction(const QString &txid);
    void showObject(const QString &idOrName);
    void showAddress(const QString &address);
    // Searches like the search box (height, block hash, txid, object id or name, address).
    void search(const QString &text);
    // The home view with one of its tabs.
    void showHome(Tab tab);
    void goBack();
    // Follows an internal link: "block:HASH_OR_HEIGHT", "tx:TXID", "object:ID_OR_NAME", "address:ADDR",
    // "dag:ID" (the DAG tab centred on an object). Other panels link into the Explorer with it.
    void openLink(const QString &href);

    ExplorerModel *model() const { return model_; }
    QLineEdit *searchBox() const { return search_; }
    // The message under the search box ("nothing matches ..."); empty when the last search matched.
    QString searchMessage() const;
    QTabWidget *tabs() const { return tabs_; }
    BlockListView *blockList() const { return blocks_; }
    ObjectListView *objectList() const { return objects_; }
    DagView *dagView() const { return dag_; }
    ExpertGridView *expertGrid() const { return grid_; }
    BlockView *blockView() const { return blockView_; }
    TxView *txView() const { return txView_; }
    ObjectView *objectView() const { return objectView_; }
    AddressView *addressView() const { return addressView_; }
    // The widget showing now: the home tabs or one of the detail views.
    QWidget *currentView() const;

    void setDarkTheme(bool dark);

private:
    struct Location {
        QString kind;  // "home", "block", "tx", "object", "address"
        QString key;
        int tab = 0;
    };
    void go(const Location &to, bool record);
    Location current() const;
    void setSearchMessage(const QString &html, bool error);

    ExplorerModel *model_;
    SummaryStrip *summary_;
    QLineEdit *search_;
    QLabel *searchMessage_;
    QToolButton *back_, *home_;
    QStackedWidget *stack_;
    QTabWidget *tabs_;
    BlockListView *blocks_;
    ObjectListView *objects_;
    DagView *dag_;
    ExpertGridView *grid_;
    BlockView *blockView_;
    TxView *txView_;
    ObjectView *objectView_;
    AddressView *addressView_;
    QList<Location> history_;
    Location here_{QStringLiteral("home"), QString(), 0};
};

}  // namespace blyan::ui
