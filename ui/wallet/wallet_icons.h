#pragma once
// Small status glyphs of the wallet, painted in code at the exact pixel size (crisp at any scale,
// no resource files): transaction status and the padlock of the lock state.

#include <QColor>
#include <QIcon>

namespace blyan::ui {

// "pending" (amber clock), "confirmed" (blue half circle), "final" (green check), "dropped" (grey
// cross); mid tones that read on light and dark backgrounds alike.
QIcon txStatusIcon(const QString &status);
// A padlock, closed or open, drawn in `color`.
QIcon lockIcon(bool locked, const QColor &color);

}  // namespace blyan::ui
