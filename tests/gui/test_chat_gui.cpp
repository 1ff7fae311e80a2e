// The Chat panel end to end, offscreen, on a real devnet Node in a temporary data dir, driven through its
// widgets: with no model the panel says so and its button opens File > Import model; a make-test-model
// checkpoint with the real Qwen3 tokenizer is imported; a message typed and sent with Enter streams in
// (several partial texts before the end), with figures and the experts that answered (a link opens the
// Explorer); Stop ends a long answer; Regenerate adds a second variant and ‹ › cycle through them; editing
// the first message sends a new branch and keeps the old one; exports to Markdown and JSON; the app is
// restarted (a new Node and window on the same data dir) and the chat is found with its variants and
// branches; history off deletes chats.sqlite. Screenshots in both themes go to build/screenshots/chat-*.png.

#include "support/gui_test.h"
#include "support/test_support.h"
#include "engine/checkpoint/make_test_model.h"
#include "node/node.h"
#include "ui/chat/chat_list_model.h"
#include "ui/chat/chat_page.h"
#include "ui/chat/chat_session.h"
#include "ui/chat/chat_view.h"
#include "ui/chat/composer.h"
#include "ui/chat/markdown_view.h"
#include "ui/chat/message_widget.h"
#include "ui/chat/settings_panel.h"
#include "ui/client_model.h"
#include "ui/icons.h"
#include "ui/import_model_dialog.h"
#include "ui/main_window.h"
#include "ui/theme.h"
#include "util/paths.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace blyan;
using blyan::testing::freePort;
using blyan::testing::screenshotDir;
using blyan::testing::settle;
using namespace blyan::ui::chat;

namespace {

QString tokenizerDir() { return QStringLiteral(BLYAN_SHARED_DATA_DIR "/qwen3-tokenizer"); }

}  // namespace

class TestChatGui : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString dataDir_, modelDir_;
    std::unique_ptr<ui::ThemeManager> theme_;
    std::unique_ptr<node::Node> node_;
    std::unique_ptr<ui::ClientModel> model_;
    std::unique_ptr<ui::MainWindow> window_;
    QStringList shownTexts_;  // the conversation as shown before the restart

    ChatPage *page() const { return window_->chatPage(); }
    ChatSession *session() const { return page()->session(); }
    QList<MessageWidget *> shown() const { return page()->view()->shownMessages(); }

    void startApp()
    {
        node::NodeOptions o;
        o.network = Network::Devnet;
        o.dataDir = dataDir_;
        o.rpcPort = freePort();
        QVERIFY(o.rpcPort != 0);
        node_ = std::make_unique<node::Node>(o);
        model_ = std::make_unique<ui::ClientModel>(node_.get());
        window_ = std::make_unique<ui::MainWindow>(model_.get(), theme_.get());
        window_->resize(1280, 860);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        node_->start();
        QTRY_COMPARE_WITH_TIMEOUT(model_->status().state, node::NodeState::Running, 60000);
        QListWidget *list = window_->sidebar();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(ui::MainWindow::Chat)).center());
        QTRY_COMPARE(window_->currentPanel(), ui::MainWindow::Chat);
        QTRY_VERIFY_WITH_TIMEOUT(page()->storeReady(), 90000);
    }

    void stopApp()
    {
        if (!node_) return;  // initTestCase failed before the app started
        QSignalSpy stopped(node_.get(), &node::Node::stopped);
        node_->requestStop();
        QVERIFY(stopped.wait(60000) || stopped.count() == 1);
        window_.reset();  // the Chat panel's store writes what is queued and closes chats.sqlite
        model_.reset();
        node_.reset();
    }

    void shoot(const QString &name)
    {
        for (ui::Theme t : {ui::Theme::Light, ui::Theme::Dark}) {
            theme_->setTheme(t);
            settle();
            QTest::qWait(50);
            const QImage img = window_->grab().toImage();
            QVERIFY(!img.isNull());
            const QString file = QStringLiteral("%1/chat-%2-%3.png").arg(screenshotDir(), name, ui::themeKey(t));
            QVERIFY2(img.save(file), qPrintable(file));
        }
        theme_->setTheme(ui::Theme::Light);
    }

    // Types `text` into the composer and presses Enter, as a user does.
    void typeAndSend(const QString &text)
    {
        QPlainTextEdit *input = page()->composer()->editor();
        QTRY_VERIFY(input->isEnabled());
        input->setFocus();
        QTest::keyClicks(input, text);
        QTRY_VERIFY(page()->composer()->sendButton()->isEnabled());
        QTest::keyClick(input, Qt::Key_Return);
        QCOMPARE(input->toPlainText(), QString());
    }

    void waitIdle(int ms = 120000) { QTRY_VERIFY_WITH_TIMEOUT(!session()->isBusy(), ms); }

    MessageWidget *lastAnswer() const { return shown().isEmpty() ? nullptr : shown().last(); }

    void setMaxTokens(int n)
    {
        page()->settingsPanel()->maxTokens()->setValue(n);
        QCOMPARE(session()->conversation().meta().settings.maxTokens, n);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(tokenizerDir() + QStringLiteral("/tokenizer.json")),
                 qPrintable(QStringLiteral("the Qwen3 tokenizer is missing at %1 (shared test data; point CMake at it with "
                                           "-DBLYAN_SHARED_DATA_DIR=/path/to/shared/data)").arg(tokenizerDir())));
        QVERIFY(dir_.isValid());
        theme_ = blyan::testing::initGuiTestEnvironment();
        QVERIFY2(theme_, "cannot create the screenshot folder");
        dataDir_ = dir_.filePath(QStringLiteral("node"));
        modelDir_ = dir_.filePath(QStringLiteral("tiny-qwen3"));
        engine::TestModelSpec s;
        s.seed = 1;
        s.tokenizerDir = tokenizerDir().toStdString();
        engine::makeTestModel(s, modelDir_.toStdString());
        startApp();
    }

    void noModelOffersImport()
    {
        auto *noModel = page()->findChild<QWidget *>(QStringLiteral("NoModel"));
        QVERIFY(noModel);
        QTRY_VERIFY_WITH_TIMEOUT(noModel->isVisible(), 90000);
        QVERIFY(!page()->hasModel());
        shoot(QStringLiteral("no-model"));
        auto *import = page()->findChild<QPushButton *>(QStringLiteral("ImportModelButton"));
        QVERIFY(import && import->isVisible());
        QTest::mouseClick(import, Qt::LeftButton);
        auto *dialog = window_->findChild<ui::ImportModelDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->startImport(modelDir_);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->phase(), QStringLiteral("done"), 180000);
        dialog->close();
        // The panel notices the import and offers the conversation.
        QTRY_VERIFY_WITH_TIMEOUT(page()->hasModel(), 90000);
        QTRY_VERIFY(!noModel->isVisible());
        QTRY_VERIFY(page()->composer()->editor()->isEnabled());
    }

    void sendStreamsTokens()
    {
        // Long enough to span many 40 ms polls whatever the machine's speed (the model shares its CPU).
        setMaxTokens(1000);
        QStringList partial;  // the answer's text each time it grew
        typeAndSend(QStringLiteral("Why is the sky blue?"));
        QVERIFY(session()->isBusy());
        QCOMPARE(page()->composer()->sendButton()->text(), QStringLiteral("Stop"));
        const QString streaming = session()->streamingId();
        QObject guard;  // the connection ends with this function
        connect(session(), &ChatSession::messageChanged, &guard, [&](const QString &id) {
            const ChatMessage *m = session()->conversation().message(id);
            if (id == streaming && m->state == QLatin1String("streaming") && (partial.isEmpty() || partial.last() != m->content))
                partial << m->content;
        });
        waitIdle();
        const ChatMessage *a = session()->conversation().message(streaming);
        QVERIFY2(a->state == QLatin1String("done"), qPrintable(a->state + QStringLiteral(": ") + a->error));
        QVERIFY2(partial.size() >= 2, qPrintable(QStringLiteral("%1 partial texts").arg(partial.size())));
        QVERIFY(a->content.startsWith(partial.first()));
        QVERIFY(!a->content.isEmpty());
        QCOMPARE(a->stats.completionTokens, 1000);
        QCOMPARE(a->stats.stopReason, QStringLiteral("max_tokens"));
        QVERIFY(a->stats.promptTokens > 5);
        QVERIFY(a->stats.firstTokenMs >= 0);
        // Under the answer: the figures, and the experts per layer with links to their chain objects.
        MessageWidget *w = lastAnswer();
        QCOMPARE(w->id(), streaming);
        QTRY_VERIFY(w->statsLabel()->text().contains(QStringLiteral("tok/s")));
        QVERIFY(w->statsLabel()->text().contains(QStringLiteral("1,000 tokens")));
        QVERIFY(w->statsLabel()->text().contains(QStringLiteral("first token")));
        QCOMPARE(w->markdown()->markdown(), a->content);
        QToolButton *experts = w->button(QStringLiteral("ExpertsButton"));
        QVERIFY(experts->isVisible());
        QTest::mouseClick(experts, Qt::LeftButton);
        QTRY_VERIFY(w->expertsLabel()->isVisible());
        QVERIFY(w->expertsLabel()->text().contains(QStringLiteral("blyan-object:layer0.expert")));
        QVERIFY(w->expertsLabel()->text().contains(QStringLiteral("blyan-object:layer1.expert")));
        // The context bar counts the conversation.
        QTRY_VERIFY_WITH_TIMEOUT(page()->composer()->contextBar()->value() > 100, 90000);
        QVERIFY(page()->composer()->contextLabel()->text().contains(QStringLiteral("/ 4,096 tokens")));
        // A link opens the object in the Explorer.
        const QString link = QStringLiteral("blyan-object:") + a->stats.experts.first().toObject().value(QStringLiteral("object")).toString();
        Q_EMIT w->expertsLabel()->linkActivated(link);
        QTRY_COMPARE(window_->currentPanel(), ui::MainWindow::Explorer);
        window_->showPanel(ui::MainWindow::Chat);
        QTRY_COMPARE(window_->currentPanel(), ui::MainWindow::Chat);
        // The chat is listed, titled after the first message.
        QTRY_COMPARE(page()->chatList()->rowCount(), 1);
        QCOMPARE(page()->chatList()->index(0).data().toString(), QStringLiteral("Why is the sky blue?"));
    }

    void stopEndsALongAnswer()
    {
        setMaxTokens(3000);
        typeAndSend(QStringLiteral("Tell me a long story."));
        const QString id = session()->streamingId();
        QTRY_VERIFY_WITH_TIMEOUT(!session()->conversation().message(id)->content.isEmpty() || !session()->isBusy(), 120000);
        QVERIFY2(session()->isBusy(), qPrintable(session()->conversation().message(id)->error));
        QTest::mouseClick(page()->composer()->sendButton(), Qt::LeftButton);  // "Stop"
        waitIdle();
        const ChatMessage *a = session()->conversation().message(id);
        QCOMPARE(a->state, QStringLiteral("stopped"));
        QCOMPARE(a->stats.stopReason, QStringLiteral("cancelled"));
        QVERIFY(a->stats.completionTokens > 0 && a->stats.completionTokens < 3000);
        QVERIFY(lastAnswer()->statsLabel()->text().contains(QStringLiteral("stopped")));
        QCOMPARE(page()->composer()->sendButton()->text(), QStringLiteral("Send"));
    }

    void regenerateKeepsVariants()
    {
        setMaxTokens(48);
        MessageWidget *w = lastAnswer();
        const QString first = w->content();
        QTest::mouseClick(w->button(QStringLiteral("RegenerateButton")), Qt::LeftButton);
        QVERIFY(session()->isBusy());
        waitIdle();
        w = lastAnswer();
        QCOMPARE(w->variantLabel()->text(), QStringLiteral("2/2"));
        QVERIFY(w->variantLabel()->isVisible());
        const QString second = w->content();
        QVERIFY(!second.isEmpty());
        QVERIFY(second != first);  // sampled again (temperature 0.7, a fresh seed)
        QTest::mouseClick(w->button(QStringLiteral("PreviousVariant")), Qt::LeftButton);
        QTRY_COMPARE(lastAnswer()->variantLabel()->text(), QStringLiteral("1/2"));
        QCOMPARE(lastAnswer()->content(), first);
        QTest::mouseClick(lastAnswer()->button(QStringLiteral("NextVariant")), Qt::LeftButton);
        QTRY_COMPARE(lastAnswer()->content(), second);
    }

    void editAndResubmitStartsABranch()
    {
        const int before = int(shown().size());
        QCOMPARE(before, 4);
        MessageWidget *u = shown().first();
        QTest::mouseClick(u->button(QStringLiteral("EditButton")), Qt::LeftButton);
        QTRY_VERIFY(u->editor()->isVisible());
        const QString edited = QStringLiteral("Why is the sea blue? Show it in code:\n\n```python\nprint(\"sea\")\n```");
        u->editor()->setPlainText(edited);
        QTest::mouseClick(u->findChild<QPushButton *>(QStringLiteral("SubmitEdit")), Qt::LeftButton);
        QVERIFY(session()->isBusy());
        waitIdle();
        QCOMPARE(shown().size(), 2);
        QCOMPARE(shown().first()->content(), edited);
        QCOMPARE(shown().first()->variantLabel()->text(), QStringLiteral("2/2"));
        // Its code block has a box of its own with a Copy button.
        const QList<CodeBlock *> code = shown().first()->markdown()->codeBlocks();
        QCOMPARE(code.size(), 1);
        QCOMPARE(code.first()->code(), QStringLiteral("print(\"sea\")"));
        QTest::mouseClick(code.first()->findChild<QToolButton *>(QStringLiteral("CopyCodeButton")), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("print(\"sea\")"));
        QCOMPARE(session()->conversation().message(shown().last()->id())->state, QStringLiteral("done"));
        // The old branch is still there, with everything after it.
        QTest::mouseClick(shown().first()->button(QStringLiteral("PreviousVariant")), Qt::LeftButton);
        QTRY_COMPARE(shown().size(), 4);
        QCOMPARE(shown().first()->content(), QStringLiteral("Why is the sky blue?"));
        QTest::mouseClick(shown().first()->button(QStringLiteral("NextVariant")), Qt::LeftButton);
        QTRY_COMPARE(shown().size(), 2);
        // The context bar follows the branch shown (the long first answer is not on it).
        QTRY_VERIFY_WITH_TIMEOUT(page()->composer()->contextBar()->value() < 400, 90000);
        QTest::mouseClick(page()->findChild<QToolButton *>(QStringLiteral("SettingsToggle")), Qt::LeftButton);
        QTRY_VERIFY(page()->settingsPanel()->isVisible());
        shoot(QStringLiteral("conversation"));
        for (MessageWidget *m : shown()) shownTexts_ << m->content();
    }

    void exportsMarkdownAndJson()
    {
        const QString md = dir_.filePath(QStringLiteral("chat.md"));
        const QString json = dir_.filePath(QStringLiteral("chat.json"));
        QSignalSpy done(page(), &ChatPage::exportFinished);
        page()->exportChat(md, ChatPage::ExportFormat::Markdown);
        page()->exportChat(json, ChatPage::ExportFormat::Json);
        QTRY_COMPARE(done.count(), 2);
        QCOMPARE(done.at(0).at(1).toString(), QString());
        QFile f(md);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.startsWith(QStringLiteral("# Why is the sky blue?")));
        QVERIFY(text.contains(QStringLiteral("Why is the sea blue?")));
        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(j.readAll()).object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("blyan-chat/1"));
        // Two versions of the first message, the first with an answer, a second question and its two
        // answers (stopped, regenerated); the edited version with its answer.
        QCOMPARE(o.value(QStringLiteral("messages")).toArray().size(), 7);
    }

    void restartFindsTheHistory()
    {
        const QString chatId = session()->id();
        stopApp();
        QVERIFY(QFile::exists(dataDir_ + QStringLiteral("/chats.sqlite")));
        startApp();
        QTRY_VERIFY_WITH_TIMEOUT(page()->chatList()->rowCount() == 1, 90000);
        QListView *list = page()->listView();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(page()->chatList()->index(0)).center());
        QTRY_VERIFY_WITH_TIMEOUT(session() && session()->id() == chatId, 90000);
        QTRY_COMPARE(shown().size(), shownTexts_.size());
        for (int i = 0; i < shown().size(); ++i) QCOMPARE(shown()[i]->content(), shownTexts_[i]);
        QCOMPARE(shown().first()->variantLabel()->text(), QStringLiteral("2/2"));
        QTest::mouseClick(shown().first()->button(QStringLiteral("PreviousVariant")), Qt::LeftButton);
        QTRY_COMPARE(shown().size(), 4);
        QCOMPARE(shown()[3]->variantLabel()->text(), QStringLiteral("2/2"));  // the regenerated answer
        QTest::mouseClick(shown()[3]->button(QStringLiteral("PreviousVariant")), Qt::LeftButton);
        QTRY_VERIFY(shown()[3]->statsLabel()->text().contains(QStringLiteral("stopped")));
    }

    void contextOverflowLeavesOutOldTurns()
    {
        // On the old branch: the 1,000-token answer, then a short one. Max tokens 2048 keeps half of the
        // 4,096-token context for the answer.
        QTest::mouseClick(shown()[3]->button(QStringLiteral("NextVariant")), Qt::LeftButton);
        QTRY_COMPARE(shown()[3]->variantLabel()->text(), QStringLiteral("2/2"));
        setMaxTokens(2048);
        Composer *c = page()->composer();
        // A message that cannot fit even alone is refused before it is sent.
        c->editor()->setPlainText(QStringLiteral("word ").repeated(2100));
        QTRY_VERIFY_WITH_TIMEOUT(c->warningLabel()->isVisible() && c->warningLabel()->text().contains(QStringLiteral("does not fit")), 90000);
        QVERIFY(!c->sendButton()->isEnabled());
        // One that fits once the first turn (question and its long answer) is left out: the warning says so first.
        c->editor()->setPlainText(QStringLiteral("word ").repeated(1500));
        QTRY_VERIFY_WITH_TIMEOUT(c->warningLabel()->text().contains(QStringLiteral("oldest 2 message")), 90000);
        QVERIFY(c->contextBar()->property("level").toString() == QLatin1String("over"));
        QTest::mouseClick(c->sendButton(), Qt::LeftButton);
        waitIdle();
        const ChatMessage *a = session()->conversation().message(shown().last()->id());
        QVERIFY2(a->state == QLatin1String("done"), qPrintable(a->error));
        QCOMPARE(a->stats.droppedMessages, 2);
        QVERIFY(a->stats.promptTokens < 2048);
        QVERIFY(shown().last()->statsLabel()->text().contains(QStringLiteral("2 older messages left out")));
    }

    // What is typed into one chat stays with it when another chat is opened, and comes back with it.
    void draftsStayWithTheirChat()
    {
        const QString first = session()->id();
        Composer *c = page()->composer();
        c->editor()->setPlainText(QStringLiteral("half a question"));
        QTest::mouseClick(page()->findChild<QPushButton *>(QStringLiteral("NewChatButton")), Qt::LeftButton);
        QTRY_VERIFY(session()->id() != first);
        QCOMPARE(c->text(), QString());
        c->editor()->setPlainText(QStringLiteral("another draft"));
        page()->openChat(first);
        QTRY_COMPARE_WITH_TIMEOUT(session()->id(), first, 90000);
        QCOMPARE(c->text(), QStringLiteral("half a question"));
        c->editor()->clear();
    }

    void historyOffDeletesTheFile()
    {
        const QString file = dataDir_ + QStringLiteral("/chats.sqlite");
        page()->setHistoryEnabled(false);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(file), 90000);
        QVERIFY(page()->findChild<QLabel *>(QStringLiteral("HistoryNote"))->text().contains(QStringLiteral("History is off")));
        QCOMPARE(page()->chatList()->rowCount(), 1);  // still here until Blyan closes
        page()->setHistoryEnabled(true);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(file), 90000);
    }

    void cleanupTestCase() { stopApp(); }
};

QTEST_MAIN(TestChatGui)
#include "test_chat_gui.moc"
