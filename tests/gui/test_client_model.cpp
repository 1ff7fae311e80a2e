// ClientModel throttling: a burst of node status updates reaches the widgets as one immediate
// update plus one trailing update carrying the newest values, never one per update.

#include "node/node.h"
#include "ui/client_model.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace blyan;

class TestClientModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void burstIsThrottled()
    {
        QTemporaryDir dir;
        node::NodeOptions o;
        o.dataDir = dir.path();
        o.rpcEnabled = false;
        node::Node n(o);  // never started: we only drive its statusChanged signal
        ui::ClientModel model(&n, nullptr, 200);
        QSignalSpy spy(&model, &ui::ClientModel::statusUpdated);

        for (int i = 1; i <= 50; ++i) {
            node::NodeStatus s;
            s.state = node::NodeState::Running;
            s.uptimeSeconds = i;
            Q_EMIT n.statusChanged(s);
        }
        // Delivered queued: nothing has arrived before the event loop runs.
        QCOMPARE(spy.count(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 1000);
        QCOMPARE(model.status().uptimeSeconds, 1);  // leading edge: the first one, at once
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1);  // still inside the throttle window
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 1000);
        QCOMPARE(model.status().uptimeSeconds, 50);  // trailing edge: the newest one
        QTest::qWait(400);
        QCOMPARE(spy.count(), 2);  // nothing new, nothing published
    }
};

QTEST_GUILESS_MAIN(TestClientModel)
#include "test_client_model.moc"
