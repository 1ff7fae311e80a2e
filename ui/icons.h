#pragma once
// Monochrome line icons from resources/icons, recoloured for the current theme. The SVGs draw in
// "currentColor"; Qt's SVG renderer does not resolve it, so we substitute a concrete colour and
// render through the SVG image plugin (the Qt Svg dev module is not a build dependency).

#include <QColor>
#include <QIcon>
#include <QPixmap>
#include <QString>

namespace blyan::ui {

// Calls Q_INIT_RESOURCE for the resources library (static libraries need it). Idempotent.
void initResources();

// The full-colour application icon.
QIcon appIcon();
// A panel icon ("overview", "chat", ...) drawn in `color`, with `selectedColor` for the
// selected state of item views.
QIcon themedIcon(const QString &name, const QColor &color, const QColor &selectedColor);
QPixmap themedPixmap(const QString &name, const QColor &color, int size, qreal dpr);

}  // namespace blyan::ui
