// The Chat panel's data without widgets: the message tree (variants, branches, deletion), context fitting,
// the markdown splitter, and ChatStore on its own thread over a real chats.sqlite: 300 chats listed a
// page at a time, a conversation written and read back, every queued write carried out before the store
// goes, deletion cascades, a writer killed with SIGKILL losing nothing it had committed, history off
// writing no file at all, switching history on and off, exports.

#include "ui/chat/chat_export.h"
#include "ui/chat/chat_session.h"
#include "ui/chat/chat_store.h"
#include "ui/chat/conversation.h"
#include "ui/chat/markdown_view.h"
#include "storage/database.h"

#include <QDir>
#include <QProcess>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <functional>

using namespace blyan;
using namespace blyan::ui::chat;

namespace {

ChatMessage msg(const QString &id, const QString &parent, const QString &role, const QString &text, qint64 t)
{
    ChatMessage m;
    m.id = id;
    m.parentId = parent;
    m.role = role;
    m.content = text;
    m.createdMs = t;
    return m;
}

ChatMeta meta(const QString &id, const QString &title, qint64 t)
{
    ChatMeta m;
    m.id = id;
    m.title = title;
    m.createdMs = m.updatedMs = t;
    return m;
}

// Runs a store read and waits for its answer on this thread.
template <typename T, typename Call>
Expected<T> wait(Call call)
{
    std::optional<Expected<T>> out;
    QObject ctx;
    call(&ctx, [&](const Expected<T> &r) { out = r; });
    for (int i = 0; i < 1000 && !out; ++i) QTest::qWait(10);
    return out ? *out : Expected<T>(Error(ErrorCode::Internal, "no answer"));
}

Status waitStatus(const std::function<void(QObject *, std::function<void(const Status &)>)> &call)
{
    std::optional<Status> out;
    QObject ctx;
    call(&ctx, [&](const Status &r) { out = r; });
    for (int i = 0; i < 1000 && !out; ++i) QTest::qWait(10);
    return out ? *out : Status(Error(ErrorCode::Internal, "no answer"));
}

}  // namespace

class TestChatStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void treeVariantsAndBranches()
    {
        Conversation c(meta(QStringLiteral("c"), QStringLiteral("t"), 1), {});
        c.add(msg(QStringLiteral("u1"), {}, QStringLiteral("user"), QStringLiteral("hi"), 1));
        c.add(msg(QStringLiteral("a1"), QStringLiteral("u1"), QStringLiteral("assistant"), QStringLiteral("one"), 2));
        c.add(msg(QStringLiteral("u2"), QStringLiteral("a1"), QStringLiteral("user"), QStringLiteral("more"), 3));
        c.add(msg(QStringLiteral("a2"), QStringLiteral("u2"), QStringLiteral("assistant"), QStringLiteral("two"), 4));
        QCOMPARE(c.path(), (QStringList{"u1", "a1", "u2", "a2"}));
        // Regenerate a1: a sibling, shown; its branch (u2, a2) is not on the path any more.
        c.add(msg(QStringLiteral("a1b"), QStringLiteral("u1"), QStringLiteral("assistant"), QStringLiteral("uno"), 5));
        QCOMPARE(c.path(), (QStringList{"u1", "a1b"}));
        QCOMPARE(c.siblings(QStringLiteral("a1")), (QStringList{"a1", "a1b"}));
        // Back to the first variant: the branch below it comes back as it was.
        QCOMPARE(c.select(QStringLiteral("a1")), QStringLiteral("u1"));
        QCOMPARE(c.path(), (QStringList{"u1", "a1", "u2", "a2"}));
        // Edit the first message: a new first turn; the old one keeps everything after it.
        c.add(msg(QStringLiteral("u1b"), {}, QStringLiteral("user"), QStringLiteral("hello"), 6));
        QCOMPARE(c.path(), (QStringList{"u1b"}));
        QCOMPARE(c.select(QStringLiteral("u1")), QString(QStringLiteral("")));
        QCOMPARE(c.path(), (QStringList{"u1", "a1", "u2", "a2"}));
        QCOMPARE(c.subtree(QStringLiteral("a1")), (QStringList{"a1", "u2", "a2"}));
        // Deleting a1 takes its branch; u1 shows the remaining variant.
        QCOMPARE(c.remove(QStringLiteral("a1")), (QStringList{"a1", "u2", "a2"}));
        QCOMPARE(c.path(), (QStringList{"u1", "a1b"}));
        QCOMPARE(c.size(), 3);  // u1, a1b, u1b
        QCOMPARE(c.pathUpTo(QStringLiteral("u1")).size(), 1);
        // A stored tree with a missing parent: the orphan becomes a first turn rather than vanishing.
        Conversation o(meta(QStringLiteral("o"), {}, 1), {msg(QStringLiteral("x"), QStringLiteral("gone"), QStringLiteral("user"), QStringLiteral("?"), 1)});
        QCOMPARE(o.path(), QStringList{QStringLiteral("x")});
    }

    void contextFitting()
    {
        const QStringList roles{"system", "user", "assistant", "user", "assistant", "user"};
        const QList<qint64> per{10, 100, 100, 100, 100, 50};
        // 460 content + 6 x 5 overhead = 490 tokens.
        QCOMPARE(estimateDrop(roles, per, 490, 500), 0);
        // 100 over: drop the first user turn and its answer (a whole turn), 280 left.
        QCOMPARE(estimateDrop(roles, per, 490, 390), 2);
        QCOMPARE(estimateDrop(roles, per, 490, 290), 2);
        QCOMPARE(estimateDrop(roles, per, 490, 200), 4);
        // Never the last message or the system prompt.
        QCOMPARE(estimateDrop(roles, per, 490, 40), -1);
        QCOMPARE(estimateDrop(QStringList{"user"}, QList<qint64>{900}, 905, 100), -1);
        QCOMPARE(answerReserve(1024, 4096), 1024);
        QCOMPARE(answerReserve(8000, 4096), 2048);
    }

    void markdownSegments()
    {
        auto s = splitMarkdown(QStringLiteral("Intro **bold**\n\n```cpp\nint x = 1;\n```\nAfter\n~~~\nopen"));
        QCOMPARE(s.size(), 4);
        QCOMPARE(s[0].kind, MarkdownSegment::Prose);
        QCOMPARE(s[1].kind, MarkdownSegment::Code);
        QCOMPARE(s[1].language, QStringLiteral("cpp"));
        QCOMPARE(s[1].text, QStringLiteral("int x = 1;"));
        QVERIFY(!s[1].open);
        QCOMPARE(s[2].text.trimmed(), QStringLiteral("After"));
        QVERIFY(s[3].open);  // still streaming
        QCOMPARE(s[3].text, QStringLiteral("open"));
        // A shorter fence does not close a longer one; a fence of the other kind neither.
        s = splitMarkdown(QStringLiteral("````\n```\n~~~\n````"));
        QCOMPARE(s.size(), 1);
        QCOMPARE(s[0].text, QStringLiteral("```\n~~~"));
        // Qwen3's thinking comes first, apart.
        s = splitMarkdown(QStringLiteral("<think>\nhmm\n</think>\n\nAnswer"));
        QCOMPARE(s.size(), 2);
        QCOMPARE(s[0].kind, MarkdownSegment::Thinking);
        QCOMPARE(s[0].text, QStringLiteral("hmm"));
        QCOMPARE(s[1].text.trimmed(), QStringLiteral("Answer"));
        QCOMPARE(splitMarkdown(QStringLiteral("<think>\n\n</think>\n\nHi")).size(), 1);  // thinking off: empty
        QVERIFY(splitMarkdown(QStringLiteral("<think>still")).first().open);
        // Prose in paragraph groups, a list kept whole (Qt would number a split ordered list from 1 again).
        QCOMPARE(splitParagraphs(QStringLiteral("One.\n\nTwo\nlines.\n\n1. a\n\n2. b\n\n   more b\n\nEnd.")),
                 (QStringList{"One.", "Two\nlines.", "1. a\n\n2. b\n\n   more b", "End."}));
    }

    void storeWritesAndReads()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chats.sqlite"));
        {
            ChatStore store;
            QVERIFY(waitStatus([&](QObject *c, auto done) { store.open(path, c, done); }).ok());
            for (int i = 0; i < 300; ++i) store.saveChat(meta(QStringLiteral("chat%1").arg(i, 3, 10, QLatin1Char('0')), QStringLiteral("Chat %1").arg(i), 1000 + i));
            ChatMeta m = meta(QStringLiteral("main"), QStringLiteral("Main"), 5000);
            m.settings.systemPrompt = QStringLiteral("Be brief.");
            m.settings.seed = 42;
            store.saveChat(m);
            store.saveMessage(QStringLiteral("main"), msg(QStringLiteral("u1"), {}, QStringLiteral("user"), QStringLiteral("hi"), 1), true);
            ChatMessage a = msg(QStringLiteral("a1"), QStringLiteral("u1"), QStringLiteral("assistant"), QStringLiteral("hel"), 2);
            a.state = QStringLiteral("streaming");
            store.saveMessage(QStringLiteral("main"), a, true);
            a.content = QStringLiteral("hello");
            a.state = QStringLiteral("done");
            a.stats.completionTokens = 3;
            a.stats.experts = QJsonArray{QJsonObject{{"layer", 0}, {"expert", 3}, {"object", "layer0.expert3"}, {"steps", 4}}};
            store.saveMessage(QStringLiteral("main"), a, false);
            store.saveMessage(QStringLiteral("main"), msg(QStringLiteral("a2"), QStringLiteral("u1"), QStringLiteral("assistant"), QStringLiteral("hey"), 3), true);
            store.setSelection(QStringLiteral("main"), QStringLiteral("u1"), QStringLiteral("a1"));
            // No wait here: the destructor carries out every queued write.
        }
        ChatStore store;
        QVERIFY(waitStatus([&](QObject *c, auto done) { store.open(path, c, done); }).ok());
        int total = 0;
        for (int offset = 0;; offset += 100) {
            auto page = wait<QList<ChatSummary>>([&](QObject *c, auto done) { store.listChats(offset, 100, c, done); });
            QVERIFY(page.ok());
            if (offset == 0) {
                QCOMPARE(page->first().id, QStringLiteral("main"));  // newest first (a message bumped it)
                QCOMPARE(page->first().messages, 3);
            }
            total += int(page->size());
            if (page->size() < 100) break;
        }
        QCOMPARE(total, 301);
        auto conv = wait<Conversation>([&](QObject *c, auto done) { store.loadChat(QStringLiteral("main"), c, done); });
        QVERIFY(conv.ok());
        QCOMPARE(conv->meta().settings.systemPrompt, QStringLiteral("Be brief."));
        QCOMPARE(conv->meta().settings.seed.value_or(0), qint64(42));
        QCOMPARE(conv->path(), (QStringList{"u1", "a1"}));
        QCOMPARE(conv->message(QStringLiteral("a1"))->content, QStringLiteral("hello"));
        QCOMPARE(conv->message(QStringLiteral("a1"))->stats.completionTokens, 3);
        QCOMPARE(conv->message(QStringLiteral("a1"))->stats.experts.size(), 1);
        QCOMPARE(conv->siblings(QStringLiteral("a1")).size(), 2);

        store.deleteMessages(QStringLiteral("main"), {QStringLiteral("a1")}, QStringLiteral("u1"), QStringLiteral("a2"));
        conv = wait<Conversation>([&](QObject *c, auto done) { store.loadChat(QStringLiteral("main"), c, done); });
        QCOMPARE(conv->path(), (QStringList{"u1", "a2"}));
        store.deleteChat(QStringLiteral("main"));
        conv = wait<Conversation>([&](QObject *c, auto done) { store.loadChat(QStringLiteral("main"), c, done); });
        QVERIFY(!conv.ok());
        QVERIFY(QString::fromStdString(conv.error().message).contains(QStringLiteral("no longer")));
    }

    void historyOffWritesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chats.sqlite"));
        ChatStore store;
        QVERIFY(waitStatus([&](QObject *c, auto done) { store.open(QString(), c, done); }).ok());
        store.saveChat(meta(QStringLiteral("m"), QStringLiteral("Memory only"), 1));
        store.saveMessage(QStringLiteral("m"), msg(QStringLiteral("u"), {}, QStringLiteral("user"), QStringLiteral("secret"), 1), true);
        auto page = wait<QList<ChatSummary>>([&](QObject *c, auto done) { store.listChats(0, 10, c, done); });
        QCOMPARE(page->size(), 1);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
        // On: the chats in memory go into the file.
        QVERIFY(waitStatus([&](QObject *c, auto done) { store.setPersistentPath(path, c, done); }).ok());
        QVERIFY(QFile::exists(path));
        {
            ChatStore other;
            QVERIFY(waitStatus([&](QObject *c, auto done) { other.open(path, c, done); }).ok());
            auto conv = wait<Conversation>([&](QObject *c, auto done) { other.loadChat(QStringLiteral("m"), c, done); });
            QVERIFY(conv.ok());
            QCOMPARE(conv->message(QStringLiteral("u"))->content, QStringLiteral("secret"));
        }
        // Off again: still listed, and the file (with its WAL) is gone.
        QVERIFY(waitStatus([&](QObject *c, auto done) { store.setPersistentPath(QString(), c, done); }).ok());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
        page = wait<QList<ChatSummary>>([&](QObject *c, auto done) { store.listChats(0, 10, c, done); });
        QCOMPARE(page->size(), 1);
        QCOMPARE(page->first().messages, 1);
    }

    void crashSafePerMessage()
    {
        // A process writing a conversation is killed (SIGKILL) in the middle: every message it had committed is
        // there, whole, in a sound database; at most the round in flight is missing or half written.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chats.sqlite"));
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CHAT_STORE_WRITER"), path);
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted());
        int committed = -1;
        QByteArray out;
        for (int i = 0; i < 3000 && committed < 40; ++i) {
            child.waitForReadyRead(10);
            out += child.readAllStandardOutput();
            const int at = int(out.lastIndexOf("committed "));
            if (at >= 0 && out.indexOf('\n', at) > 0) committed = out.mid(at + 10, out.indexOf('\n', at) - at - 10).toInt();
        }
        QVERIFY2(committed >= 40, out.constData());
        child.kill();  // SIGKILL: no destructor, no flush
        QVERIFY(child.waitForFinished(10000));
        {
            auto db = storage::Database::open(path);
            QVERIFY(db.ok());
            QVERIFY(db->quickCheck().ok());
        }
        ChatStore store;
        QVERIFY(waitStatus([&](QObject *c, auto done) { store.open(path, c, done); }).ok());
        auto conv = wait<Conversation>([&](QObject *c, auto done) { store.loadChat(QStringLiteral("crash"), c, done); });
        QVERIFY(conv.ok());
        for (int i = 0; i <= committed; ++i) {
            QCOMPARE(conv->message(QStringLiteral("u%1").arg(i))->content, QStringLiteral("question %1").arg(i));
            QCOMPARE(conv->message(QStringLiteral("a%1").arg(i))->content, QStringLiteral("answer %1").arg(i));
            QCOMPARE(conv->message(QStringLiteral("a%1").arg(i))->state, QStringLiteral("done"));
        }
        QVERIFY(conv->path().size() >= 2 * (committed + 1));
    }

    void exportsAndFileErrors()
    {
        Conversation c(meta(QStringLiteral("c"), QStringLiteral("Export me"), 1), {});
        c.meta().settings.systemPrompt = QStringLiteral("Be kind.");
        c.add(msg(QStringLiteral("u"), {}, QStringLiteral("user"), QStringLiteral("Question?"), 1));
        ChatMessage a = msg(QStringLiteral("a"), QStringLiteral("u"), QStringLiteral("assistant"), QStringLiteral("Answer."), 2);
        a.stats.completionTokens = 10;
        a.stats.generateSeconds = 0.5;
        a.stats.stopReason = QStringLiteral("eos");
        c.add(a);
        c.add(msg(QStringLiteral("b"), QStringLiteral("u"), QStringLiteral("assistant"), QStringLiteral("Other."), 3));
        c.select(QStringLiteral("a"));
        const QString md = QString::fromUtf8(exportMarkdown(c, QStringLiteral("tiny")));
        QVERIFY(md.startsWith(QStringLiteral("# Export me")));
        QVERIFY(md.contains(QStringLiteral("> Be kind.")));
        QVERIFY(md.contains(QStringLiteral("### You\n\nQuestion?")));
        QVERIFY(md.contains(QStringLiteral("Answer.")));
        QVERIFY(!md.contains(QStringLiteral("Other.")));  // only the shown variant
        QVERIFY(md.contains(QStringLiteral("20.0 tok/s")));
        const QJsonObject j = QJsonDocument::fromJson(exportJson(c, QStringLiteral("tiny"))).object();
        QCOMPARE(j.value(QStringLiteral("format")).toString(), QStringLiteral("blyan-chat/1"));
        QCOMPARE(j.value(QStringLiteral("messages")).toArray().size(), 3);  // every variant
        QCOMPARE(j.value(QStringLiteral("shown_path")).toArray().size(), 2);

        QTemporaryDir dir;
        ChatStore store;
        const QString ok = dir.filePath(QStringLiteral("chat.md"));
        QVERIFY(waitStatus([&](QObject *ctx, auto done) { store.writeFile(ok, "# x\n", ctx, done); }).ok());
        QCOMPARE(QFile(ok).size(), 4);
        const Status bad = waitStatus([&](QObject *ctx, auto done) {
            store.writeFile(dir.filePath(QStringLiteral("missing/dir/chat.md")), "x", ctx, done);
        });
        QVERIFY(!bad.ok());
        QVERIFY2(QString::fromStdString(bad.error().message).contains(QStringLiteral("cannot write")), bad.error().message.c_str());
    }
};

// The writer half of crashSafePerMessage, run as a child process: rounds of a question, a streaming answer and
// its final text, printing "committed N" once round N is in the database (a read posted after the writes is
// answered only after they ran), until it is killed.
int writer(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    ChatStore store;
    store.open(qEnvironmentVariable("CHAT_STORE_WRITER"), &app, [](const Status &st) {
        if (!st.ok()) std::exit(3);
    });
    store.saveChat(meta(QStringLiteral("crash"), QStringLiteral("Crash"), 1));
    std::function<void(int)> round = [&](int i) {
        const QString u = QStringLiteral("u%1").arg(i), a = QStringLiteral("a%1").arg(i);
        store.saveMessage(QStringLiteral("crash"), msg(u, i ? QStringLiteral("a%1").arg(i - 1) : QString(), QStringLiteral("user"),
                                                       QStringLiteral("question %1").arg(i), 3 * i), true);
        ChatMessage m = msg(a, u, QStringLiteral("assistant"), QStringLiteral("partial"), 3 * i + 1);
        m.state = QStringLiteral("streaming");
        store.saveMessage(QStringLiteral("crash"), m, true);
        m.content = QStringLiteral("answer %1").arg(i);
        m.state = QStringLiteral("done");
        store.saveMessage(QStringLiteral("crash"), m, false);
        store.listChats(0, 1, &app, [&, i](const Expected<QList<ChatSummary>> &) {
            std::printf("committed %d\n", i);
            std::fflush(stdout);
            round(i + 1);
        });
    };
    round(0);
    return app.exec();
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("CHAT_STORE_WRITER")) return writer(argc, argv);
    QCoreApplication app(argc, argv);
    TestChatStore t;
    return QTest::qExec(&t, argc, argv);
}
#include "test_chat_store.moc"
