#pragma once
// Inline feedback under form fields: one QLabel whose "tone" property the theme stylesheets
// colour (error red, ok green, otherwise muted), so messages read right in light and dark.

#include <QString>

class QLabel;
class QWidget;

namespace blyan::ui {

enum class Tone { Muted, Ok, Error };

QLabel *makeStatusLabel(const QString &objectName);
void setStatus(QLabel *label, const QString &text, Tone tone);
// Re-applies the stylesheet after a dynamic property the QSS selects on has changed.
void repolish(QWidget *w);

}  // namespace blyan::ui
