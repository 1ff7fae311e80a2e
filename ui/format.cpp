#include "ui/format.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace blyan::ui {

QString formatBytes(quint64 bytes)
{
    // IEC units, as file managers on Linux show them; one decimal is enough to see change.
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

QString formatDuration(qint64 s)
{
    if (s < 0) s = 0;
    if (s < 60) return QCoreApplication::translate("Format", "%1 s").arg(s);
    if (s < 3600)
        return QCoreApplication::translate("Format", "%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return QCoreApplication::translate("Format", "%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QCoreApplication::translate("Format", "%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString formatTime(qint64 ms)
{
    if (ms <= 0) return QStringLiteral("—");
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString formatAge(qint64 ms)
{
    if (ms <= 0) return QString();
    const qint64 s = std::max<qint64>(0, (QDateTime::currentMSecsSinceEpoch() - ms) / 1000);
    if (s < 60) return QCoreApplication::translate("Format", "%1 s ago").arg(s);
    if (s < 3600) return QCoreApplication::translate("Format", "%1 min ago").arg(s / 60);
    if (s < 86400) return QCoreApplication::translate("Format", "%1 h ago").arg(s / 3600);
    return QCoreApplication::translate("Format", "%1 days ago").arg(s / 86400);
}

QString stateText(node::NodeState s)
{
    switch (s) {
    case node::NodeState::Starting: return QCoreApplication::translate("Format", "Starting");
    case node::NodeState::Running: return QCoreApplication::translate("Format", "Running");
    case node::NodeState::Stopping: return QCoreApplication::translate("Format", "Stopping");
    case node::NodeState::Stopped: return QCoreApplication::translate("Format", "Stopped");
    case node::NodeState::Failed: return QCoreApplication::translate("Format", "Failed");
    }
    return {};
}

QColor stateColor(node::NodeState s, bool dark)
{
    switch (s) {
    case node::NodeState::Running: return dark ? QColor(0x34, 0xD3, 0x99) : QColor(0x05, 0x96, 0x69);
    case node::NodeState::Starting:
    case node::NodeState::Stopping: return dark ? QColor(0xFB, 0xBF, 0x24) : QColor(0xB4, 0x53, 0x09);
    case node::NodeState::Failed: return dark ? QColor(0xF8, 0x71, 0x71) : QColor(0xDC, 0x26, 0x26);
    case node::NodeState::Stopped: break;
    }
    return dark ? QColor(0x9C, 0xA3, 0xAF) : QColor(0x6B, 0x72, 0x80);
}

}  // namespace blyan::ui
