// The model on the chain end to end (issue 6), with real blyand processes, real SQLite and object store:
// a make-test-model checkpoint imported with `importmodel` becomes chain-A/B objects; greedy generation from
// the chain-assembled model equals blyan-engine's from the checkpoint directory, token for token (also
// streamed, and with an expert cache of a quarter of the experts); a corrupted expert payload and a missing
// one are reported with the object's name; a node killed mid-import resumes without duplicates.

#include "process_helpers.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

namespace {

QList<int> parseIds(const QByteArray &text)
{
    QList<int> ids;
    for (const QByteArray &t : text.simplified().split(' '))
        if (!t.isEmpty()) ids.append(t.toInt());
    return ids;
}

QList<int> jsonIds(const QJsonArray &a)
{
    QList<int> ids;
    for (const auto &v : a) ids.append(v.toInt());
    return ids;
}

}  // namespace

class TestModelChain : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString modelDir_, dataDir_;
    quint16 port_ = 0;
    QProcess daemon_;
    QList<int> reference_;
    const QString promptIds_ = QStringLiteral("[3, 17, 42, 99, 7, 250, 31]");
    int components_ = 0;

    ProcResult cli(const QString &dataDir, const QStringList &args, int timeoutMs = 120000)
    {
        return runTool(QStringLiteral("blyan-cli"), blyandArgs(dataDir, port_) + args, timeoutMs);
    }
    QJsonObject call(const QStringList &args, const QString &dataDir = {})
    {
        const ProcResult r = cli(dataDir.isEmpty() ? dataDir_ : dataDir, args);
        if (r.exitCode != 0) qWarning("blyan-cli %s failed: %s", qPrintable(args.join(' ')), r.err.constData());
        return QJsonDocument::fromJson(r.out).object();
    }
    void start(QProcess &p, const QString &dataDir) { startBlyand(p, dataDir, port_); }
    void stop(QProcess &p, const QString &dataDir)
    {
        QCOMPARE(cli(dataDir, {QStringLiteral("stop")}).exitCode, 0);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
    }
    QString chatOptions(bool stream) const
    {
        return QStringLiteral("{\"prompt_ids\": %1, \"greedy\": true, \"max_tokens\": 24, \"ignore_eos\": true, \"stream\": %2}")
            .arg(promptIds_, stream ? QStringLiteral("true") : QStringLiteral("false"));
    }
    // Waits until the import is no longer running; returns its last status.
    QJsonObject waitImport(const QString &dataDir, int seconds = 240)
    {
        QDeadlineTimer deadline(seconds * 1000);
        QJsonObject imp;
        while (!deadline.hasExpired()) {
            imp = call({QStringLiteral("getmodel")}, dataDir).value(QStringLiteral("import")).toObject();
            const QString phase = imp.value(QStringLiteral("phase")).toString();
            if (phase == QLatin1String("done") || phase == QLatin1String("failed") || phase == QLatin1String("cancelled")) return imp;
            QThread::msleep(200);
        }
        return imp;
    }
    QString objectPath(const QString &dataDir, const QString &name)
    {
        const QJsonObject o = call({QStringLiteral("getobject"), name}, dataDir);
        const QString h = o.value(QStringLiteral("payload_hash")).toString();
        return dataDir + QStringLiteral("/objects/") + h.left(2) + QLatin1Char('/') + h;
    }
    QString usedExpert()
    {
        const QJsonObject r = call({QStringLiteral("chat"), QStringLiteral("null"), chatOptions(false)});
        const QJsonArray experts = r.value(QStringLiteral("result")).toObject().value(QStringLiteral("experts")).toArray();
        return experts.isEmpty() ? QString() : experts.last().toObject().value(QStringLiteral("object")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        modelDir_ = tmp_.filePath(QStringLiteral("tiny-moe"));
        dataDir_ = tmp_.filePath(QStringLiteral("node"));
        port_ = freePort();
        // 2 layers x 16 experts (top-2): small, but enough experts for a cache of a quarter of them to evict.
        const ProcResult m = runTool(QStringLiteral("blyan-engine"),
                                     {QStringLiteral("make-test-model"), QStringLiteral("--arch"), QStringLiteral("qwen3_moe"),
                                      QStringLiteral("--out"), modelDir_, QStringLiteral("--experts"), QStringLiteral("16"),
                                      QStringLiteral("--seed"), QStringLiteral("11")});
        QVERIFY2(m.exitCode == 0, m.err.constData());
        const ProcResult g = runTool(QStringLiteral("blyan-engine"),
                                     {QStringLiteral("generate"), QStringLiteral("--model"), modelDir_, QStringLiteral("--prompt-ids"),
                                      QStringLiteral("3 17 42 99 7 250 31"), QStringLiteral("-n"), QStringLiteral("24"),
                                      QStringLiteral("--greedy"), QStringLiteral("--ids"), QStringLiteral("--ignore-eos")});
        QVERIFY2(g.exitCode == 0, g.err.constData());
        reference_ = parseIds(g.out);
        QCOMPARE(reference_.size(), 24);
        components_ = 1 + 2 * (1 + 1 + 16) + 2;  // embed, per layer attention+router+16 experts, final_norm, lm_head
        start(daemon_, dataDir_);
    }

    void badDirectoryIsRefused()
    {
        const ProcResult rel = cli(dataDir_, {QStringLiteral("importmodel"), QStringLiteral("relative/dir")});
        QVERIFY(rel.exitCode != 0);
        QVERIFY2(rel.err.contains("absolute path"), rel.err.constData());
        QVERIFY(call({QStringLiteral("importmodel"), tmp_.filePath(QStringLiteral("nope"))}).value(QStringLiteral("phase")).isString());
        const QJsonObject imp = waitImport(dataDir_);
        QCOMPARE(imp.value(QStringLiteral("phase")).toString(), QStringLiteral("failed"));
        QVERIFY2(imp.value(QStringLiteral("error")).toString().contains(QStringLiteral("not a directory")),
                 qPrintable(imp.value(QStringLiteral("error")).toString()));
        // No model yet: chat says how to get one.
        const ProcResult c = cli(dataDir_, {QStringLiteral("chat"), QStringLiteral("null"), chatOptions(false)});
        QVERIFY(c.exitCode != 0);
        QVERIFY2(c.err.contains("importmodel"), c.err.constData());
    }

    void importThenGenerateLikeTheCheckpoint()
    {
        call({QStringLiteral("importmodel"), modelDir_});
        const QJsonObject imp = waitImport(dataDir_);
        QCOMPARE(imp.value(QStringLiteral("phase")).toString(), QStringLiteral("done"));
        QCOMPARE(imp.value(QStringLiteral("components")).toInt(), components_);
        QCOMPARE(imp.value(QStringLiteral("published")).toInt(), components_ + 1);  // + the spec

        const ProcResult lb = cli(dataDir_, {QStringLiteral("listobjects"), QStringLiteral("B"), QStringLiteral("10000")});
        const QJsonArray records = QJsonDocument::fromJson(lb.out).array();
        QCOMPARE(records.size(), components_);
        const QJsonObject spec = call({QStringLiteral("getobject"), QStringLiteral("model.spec")});
        QCOMPARE(spec.value(QStringLiteral("chain")).toString(), QStringLiteral("A"));
        QCOMPARE(spec.value(QStringLiteral("kind")).toString(), QStringLiteral("model_spec"));
        for (const auto &r : records) {
            const QJsonObject o = r.toObject();
            QCOMPARE(o.value(QStringLiteral("depends_on")).toArray().size(), 1);
            QCOMPARE(o.value(QStringLiteral("depends_on")).toArray().at(0).toString(), spec.value(QStringLiteral("id")).toString());
        }
        QCOMPARE(call({QStringLiteral("getobject"), QStringLiteral("layer1.expert15")}).value(QStringLiteral("kind")).toString(),
                 QStringLiteral("expert"));
        QCOMPARE(call({QStringLiteral("getobject"), QStringLiteral("layer0.router")}).value(QStringLiteral("kind")).toString(),
                 QStringLiteral("router"));

        const QJsonObject r = call({QStringLiteral("chat"), QStringLiteral("null"), chatOptions(false)});
        const QJsonObject result = r.value(QStringLiteral("result")).toObject();
        QCOMPARE(jsonIds(result.value(QStringLiteral("tokens")).toArray()), reference_);
        // Which experts answered, per layer, named by chain object: top-2 of 16 in both layers on every step.
        const QJsonArray experts = result.value(QStringLiteral("experts")).toArray();
        QVERIFY(!experts.isEmpty());
        qint64 steps[2] = {0, 0};
        for (const auto &e : experts) {
            const QJsonObject o = e.toObject();
            const int layer = o.value(QStringLiteral("layer")).toInt();
            QCOMPARE(o.value(QStringLiteral("object")).toString(),
                     QStringLiteral("layer%1.expert%2").arg(layer).arg(o.value(QStringLiteral("expert")).toInt()));
            steps[layer] += o.value(QStringLiteral("steps")).toInteger();
        }
        QVERIFY(steps[0] >= 2 * 24 && steps[1] >= 2 * 24);  // at least top-k per decode step

        const QJsonObject info = call({QStringLiteral("getmodel"), QStringLiteral("true")});
        QVERIFY(info.value(QStringLiteral("loaded")).toBool());
        const QJsonObject model = info.value(QStringLiteral("model")).toObject();
        QCOMPARE(model.value(QStringLiteral("architecture")).toString(), QStringLiteral("qwen3_moe"));
        QCOMPARE(model.value(QStringLiteral("heads")).toArray().size(), components_);
        QCOMPARE(model.value(QStringLiteral("components")).toObject().value(QStringLiteral("expert")).toInt(), 32);
        const QJsonObject cache = info.value(QStringLiteral("runtime")).toObject().value(QStringLiteral("cache")).toObject();
        QVERIFY(cache.value(QStringLiteral("cold_loads")).toInteger() > 0);
        QVERIFY(cache.value(QStringLiteral("verified")).toInteger() > 0);
    }

    void streamedChatGivesTheSameTokens()
    {
        const QJsonObject first = call({QStringLiteral("chat"), QStringLiteral("null"), chatOptions(true)});
        const QString id = QString::number(first.value(QStringLiteral("chat_id")).toInteger());
        QVERIFY(id != QLatin1String("0"));
        QList<int> tokens;
        qint64 next = 0;
        QDeadlineTimer deadline(120000);
        bool done = false;
        while (!done && !deadline.hasExpired()) {
            const QJsonObject s = call({QStringLiteral("getchat"), id, QString::number(next)});
            QCOMPARE(s.value(QStringLiteral("from")).toInteger(), next);
            for (const auto &p : s.value(QStringLiteral("pieces")).toArray())
                if (p.toObject().value(QStringLiteral("token")).toInt() >= 0) tokens.append(p.toObject().value(QStringLiteral("token")).toInt());
            next = s.value(QStringLiteral("next")).toInteger();
            done = s.value(QStringLiteral("done")).toBool();
            QVERIFY2(s.value(QStringLiteral("state")).toString() != QLatin1String("failed"), qPrintable(s.value(QStringLiteral("error")).toString()));
            if (!done) QThread::msleep(20);
        }
        QVERIFY(done);
        QCOMPARE(tokens, reference_);
    }

    void tokenizeCountsAndContext()
    {
        // The context a chat gets (the node's 4096 capped by the model's 40960 positions) and exact counts.
        QCOMPARE(call({QStringLiteral("getmodel")}).value(QStringLiteral("model")).toObject().value(QStringLiteral("context_length")).toInteger(), 4096);
        const QJsonObject n = call({QStringLiteral("tokenize"), QStringLiteral("null"), QStringLiteral("{\"prompt_ids\": %1, \"ids\": true}").arg(promptIds_)});
        QCOMPARE(n.value(QStringLiteral("count")).toInteger(), 7);
        QCOMPARE(n.value(QStringLiteral("context_length")).toInteger(), 4096);
        QCOMPARE(jsonIds(n.value(QStringLiteral("ids")).toArray()), (QList<int>{3, 17, 42, 99, 7, 250, 31}));
        // This checkpoint has no tokenizer: text cannot be counted, and the error says so.
        const ProcResult text = cli(dataDir_, {QStringLiteral("tokenize"), QStringLiteral("hello")});
        QVERIFY(text.exitCode != 0);
        QVERIFY2(text.err.contains("no tokenizer"), text.err.constData());
        const ProcResult bad = cli(dataDir_, {QStringLiteral("tokenize"), QStringLiteral("null"), QStringLiteral("{\"max_tokens\": 3}")});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains("unknown option 'max_tokens'"), bad.err.constData());
    }

    void reimportDedupes()
    {
        call({QStringLiteral("importmodel"), modelDir_});
        const QJsonObject imp = waitImport(dataDir_);
        QCOMPARE(imp.value(QStringLiteral("phase")).toString(), QStringLiteral("done"));
        QCOMPARE(imp.value(QStringLiteral("written")).toInt(), 0);
        QCOMPARE(imp.value(QStringLiteral("resumed")).toInt(), components_);
        QCOMPARE(imp.value(QStringLiteral("published")).toInt(), 0);
        QCOMPARE(imp.value(QStringLiteral("already_on_chain")).toInt(), components_ + 1);
        const ProcResult lb = cli(dataDir_, {QStringLiteral("listobjects"), QStringLiteral("B"), QStringLiteral("10000")});
        QCOMPARE(QJsonDocument::fromJson(lb.out).array().size(), components_);
    }

    void quarterCacheGivesTheSameTokens()
    {
        const QJsonObject cache = call({QStringLiteral("getmodel")}).value(QStringLiteral("runtime")).toObject().value(QStringLiteral("cache")).toObject();
        const qint64 expertBytes = cache.value(QStringLiteral("expert_bytes")).toInteger();
        QVERIFY(expertBytes > 0);
        stop(daemon_, dataDir_);
        QFile conf(dataDir_ + QStringLiteral("/blyan.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("expertcacheram=" + QByteArray::number(expertBytes * 32 / 4) + "\n");  // 8 of 32 experts
        conf.close();
        start(daemon_, dataDir_);
        const QJsonObject r = call({QStringLiteral("chat"), QStringLiteral("null"), chatOptions(false)});
        QCOMPARE(jsonIds(r.value(QStringLiteral("result")).toObject().value(QStringLiteral("tokens")).toArray()), reference_);
        const QJsonObject after = call({QStringLiteral("getmodel")}).value(QStringLiteral("runtime")).toObject().value(QStringLiteral("cache")).toObject();
        QCOMPARE(after.value(QStringLiteral("ram_budget")).toInteger(), expertBytes * 8);
        QVERIFY(after.value(QStringLiteral("ram_resident")).toInteger() <= 8);
        QVERIFY(after.value(QStringLiteral("evictions")).toInteger() > 0);
        QVERIFY(QFile::remove(dataDir_ + QStringLiteral("/blyan.conf")));
    }

    void cacheBudgetChangesLiveAndIsKept()
    {
        // The Settings panel's path: setmodelsettings resizes the loaded model's cache at once and writes
        // blyan.conf; a bad size is refused with the reason and changes nothing.
        const ProcResult bad = cli(dataDir_, {QStringLiteral("setmodelsettings"), QStringLiteral("{\"expertcacheram\": \"lots\"}")});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains("K, M or G"), bad.err.constData());
        const QJsonObject set = call({QStringLiteral("setmodelsettings"), QStringLiteral("{\"expertcacheram\": \"1M\"}")});
        QCOMPARE(set.value(QStringLiteral("ram_budget")).toInteger(), qint64(1) << 20);
        QCOMPARE(set.value(QStringLiteral("ram_budget_source")).toString(), QStringLiteral("setting expertcacheram"));
        const QJsonObject r = call({QStringLiteral("chat"), QStringLiteral("null"), chatOptions(false)});
        QCOMPARE(jsonIds(r.value(QStringLiteral("result")).toObject().value(QStringLiteral("tokens")).toArray()), reference_);
        const QJsonObject cache = call({QStringLiteral("getmodel")}).value(QStringLiteral("runtime")).toObject().value(QStringLiteral("cache")).toObject();
        QCOMPARE(cache.value(QStringLiteral("ram_budget")).toInteger(), qint64(1) << 20);
        QFile conf(dataDir_ + QStringLiteral("/blyan.conf"));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QVERIFY(conf.readAll().contains("expertcacheram=1M"));
        conf.close();
        // Back to the hardware default: the line goes away.
        call({QStringLiteral("setmodelsettings"), QStringLiteral("{\"expertcacheram\": \"auto\"}")});
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QVERIFY(!conf.readAll().contains("expertcacheram"));
    }

    void corruptedPayloadIsNamed()
    {
        const QString expert = usedExpert();
        QVERIFY(!expert.isEmpty());
        const QString path = objectPath(dataDir_, expert);
        stop(daemon_, dataDir_);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() - 5));
        char c = 0;
        QVERIFY(f.getChar(&c));
        QVERIFY(f.seek(f.size() - 5));
        QVERIFY(f.putChar(static_cast<char>(c ^ 0x5a)));
        f.close();
        start(daemon_, dataDir_);
        const ProcResult r = cli(dataDir_, {QStringLiteral("chat"), QStringLiteral("null"), chatOptions(false)});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(expert.toUtf8()) && r.err.contains("corrupt"), r.err.constData());
        stop(daemon_, dataDir_);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() - 5));
        QVERIFY(f.putChar(c));
        f.close();
        start(daemon_, dataDir_);
    }

    void missingExpertIsNamed()
    {
        const QString expert = usedExpert();
        QVERIFY(!expert.isEmpty());
        const QString path = objectPath(dataDir_, expert);
        stop(daemon_, dataDir_);
        QVERIFY(QFile::rename(path, path + QStringLiteral(".away")));
        start(daemon_, dataDir_);
        const ProcResult r = cli(dataDir_, {QStringLiteral("chat"), QStringLiteral("null"), chatOptions(false)});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(("expert " + expert + " is not available").toUtf8()) && r.err.contains("object store"),
                 r.err.constData());
        const QJsonObject m = call({QStringLiteral("getmodel")}).value(QStringLiteral("model")).toObject();
        QCOMPARE(m.value(QStringLiteral("components")).toObject().value(QStringLiteral("missing_payloads")).toInt(), 1);
        stop(daemon_, dataDir_);
        QVERIFY(QFile::rename(path + QStringLiteral(".away"), path));
    }

    void restartMidImportResumes()
    {
        // Bigger: 4 layers x 48 experts, so that the kill lands in the middle of the import.
        const QString big = tmp_.filePath(QStringLiteral("bigger-moe"));
        const QString dir = tmp_.filePath(QStringLiteral("node2"));
        const ProcResult m = runTool(QStringLiteral("blyan-engine"),
                                     {QStringLiteral("make-test-model"), QStringLiteral("--arch"), QStringLiteral("qwen3_moe"),
                                      QStringLiteral("--out"), big, QStringLiteral("--layers"), QStringLiteral("4"),
                                      QStringLiteral("--experts"), QStringLiteral("48"), QStringLiteral("--hidden"), QStringLiteral("256"),
                                      QStringLiteral("--moe-intermediate"), QStringLiteral("256"), QStringLiteral("--seed"), QStringLiteral("5")});
        QVERIFY2(m.exitCode == 0, m.err.constData());
        const int components = 1 + 4 * (2 + 48) + 2;
        QProcess node;
        start(node, dir);
        call({QStringLiteral("importmodel"), big}, dir);
        QDeadlineTimer deadline(180000);
        QJsonObject imp;
        while (!deadline.hasExpired()) {
            imp = call({QStringLiteral("getmodel")}, dir).value(QStringLiteral("import")).toObject();
            if (imp.value(QStringLiteral("written")).toInt() >= 20 || imp.value(QStringLiteral("phase")).toString() == QLatin1String("publishing")) break;
            QThread::msleep(20);
        }
        QVERIFY2(imp.value(QStringLiteral("phase")).toString() != QLatin1String("done"), "the import finished before the kill");
        node.kill();  // SIGKILL: no shutdown, mempool lost
        QVERIFY(node.waitForFinished(30000));
        start(node, dir);
        call({QStringLiteral("importmodel"), big}, dir);
        imp = waitImport(dir, 400);
        QCOMPARE(imp.value(QStringLiteral("phase")).toString(), QStringLiteral("done"));
        QVERIFY2(imp.value(QStringLiteral("resumed")).toInt() + imp.value(QStringLiteral("already_on_chain")).toInt() > 0,
                 "nothing was resumed");
        QCOMPARE(imp.value(QStringLiteral("published")).toInt() + imp.value(QStringLiteral("already_on_chain")).toInt(), components + 1);
        const ProcResult lb = cli(dir, {QStringLiteral("listobjects"), QStringLiteral("B"), QStringLiteral("10000")});
        const QJsonArray records = QJsonDocument::fromJson(lb.out).array();
        QSet<QString> names;
        for (const auto &r : records) names.insert(r.toObject().value(QStringLiteral("name")).toString());
        QCOMPARE(records.size(), components);  // no duplicates
        QCOMPARE(names.size(), components);
        stop(node, dir);
    }

    void cleanupTestCase()
    {
        if (daemon_.state() != QProcess::NotRunning) stop(daemon_, dataDir_);
    }
};

QTEST_GUILESS_MAIN(TestModelChain)
#include "test_model_chain.moc"
