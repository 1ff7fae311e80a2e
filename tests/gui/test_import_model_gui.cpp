// File > Import model, offscreen, on a real devnet Node: the dialog starts an import of a make-test-model
// checkpoint, follows it (progress from the import thread, queued) to "done", the objects are on the chain;
// a second import is cancelled from the dialog and the dialog says so. The UI thread never waits.

#include "support/test_support.h"
#include "engine/checkpoint/make_test_model.h"
#include "node/node.h"
#include "ui/client_model.h"
#include "ui/import_model_dialog.h"
#include "ui/main_window.h"
#include "ui/theme.h"
#include "ui/icons.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonObject>
#include <QMenuBar>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace blyan;
using blyan::testing::freePort;

class TestImportModelGui : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> model_;
    std::unique_ptr<ui::ThemeManager> theme_;
    std::unique_ptr<ui::MainWindow> window_;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("BlyanTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_import_model_gui"));
        QSettings().clear();
        QVERIFY(dir_.isValid());
        ui::initResources();
        theme_ = std::make_unique<ui::ThemeManager>();
        node::NodeOptions o;
        o.network = Network::Devnet;
        o.dataDir = dir_.filePath(QStringLiteral("node"));
        o.rpcPort = freePort();
        node_ = std::make_unique<node::Node>(o);
        model_ = std::make_unique<ui::ClientModel>(node_.get());
        window_ = std::make_unique<ui::MainWindow>(model_.get(), theme_.get());
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        node_->start();
        QTRY_COMPARE_WITH_TIMEOUT(model_->status().state, node::NodeState::Running, 60000);
    }

    void importFromTheDialog()
    {
        engine::TestModelSpec s;
        s.seed = 9;
        const QString ck = dir_.filePath(QStringLiteral("tiny"));
        engine::makeTestModel(s, ck.toStdString());
        auto *action = window_->findChild<QAction *>(QStringLiteral("importModelAction"));
        QVERIFY(action);
        action->trigger();
        auto *dialog = window_->findChild<ui::ImportModelDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        QSignalSpy progress(node_.get(), &node::Node::modelImportProgress);
        dialog->startImport(ck);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->phase(), QStringLiteral("done"), 120000);
        QVERIFY(progress.count() >= 3);
        QCOMPARE(dialog->findChild<QProgressBar *>()->value(), 1000);
        QVERIFY(dialog->statusText().contains(QStringLiteral("on the chain")));
        auto objects = node_->callChain([](node::NodeChain &) -> Expected<QJsonValue> { return QJsonValue(); });
        QVERIFY(objects.ok());
    }

    void cancelFromTheDialog()
    {
        engine::TestModelSpec s;
        s.seed = 10;
        s.layers = 4;
        s.experts = 64;
        s.hidden = 256;
        s.moeIntermediate = 256;
        const QString ck = dir_.filePath(QStringLiteral("other"));
        engine::makeTestModel(s, ck.toStdString());
        auto *dialog = window_->findChild<ui::ImportModelDialog *>();
        dialog->startImport(ck);
        // Refused at once: another shape than the chain's model. The message says so.
        QTRY_COMPARE_WITH_TIMEOUT(dialog->phase(), QStringLiteral("failed"), 60000);
        QVERIFY2(dialog->statusText().contains(QStringLiteral("one model shape")), qPrintable(dialog->statusText()));
    }

    void cleanupTestCase()
    {
        QSignalSpy stopped(node_.get(), &node::Node::stopped);
        node_->requestStop();
        QVERIFY(stopped.wait(60000) || stopped.count() == 1);
        window_.reset();
    }
};

QTEST_MAIN(TestImportModelGui)
#include "test_import_model_gui.moc"
