#pragma once
// Human-readable numbers for the pages and the status bar.

#include "node/node_status.h"

#include <QColor>
#include <QString>

namespace blyan::ui {

QString formatBytes(quint64 bytes);        // "1.4 GiB"
QString formatDuration(qint64 seconds);    // "2 h 05 min", "43 s"
QString formatTime(qint64 ms);             // the user's locale, with seconds; "—" for 0
QString formatAge(qint64 ms);              // "12 s ago", "3 min ago"; "" for 0
QString stateText(node::NodeState s);      // "Running"
// The state's signal colour, tuned for the current theme's background.
QColor stateColor(node::NodeState s, bool dark);

}  // namespace blyan::ui
