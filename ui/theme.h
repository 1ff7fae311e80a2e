#pragma once
// ThemeManager: Fusion style with our own light and dark palettes plus a small stylesheet for the
// app's own surfaces (sidebar, cards). "System" follows the OS: Qt 6.4 has no colour-scheme API,
// so the platform palette's window lightness decides, re-read on ThemeChange and
// ApplicationPaletteChange events.

#include <QObject>
#include <QPalette>
#include <QTimer>

namespace blyan::ui {

enum class Theme { System, Light, Dark };
QString themeKey(Theme t);              // "system", "light", "dark" (the QSettings value)
Theme themeFromKey(const QString &key);  // unknown → System

class ThemeManager : public QObject {
    Q_OBJECT
public:
    // Captures the platform palette: construct before anything sets an application palette.
    explicit ThemeManager(QObject *parent = nullptr);

    Theme theme() const { return theme_; }
    bool isDark() const { return dark_; }
    // Applies at once to the whole application and saves the choice.
    void setTheme(Theme t);
    // Applies the saved choice (QSettings "ui/theme").
    void applySaved();

    static QPalette lightPalette();
    static QPalette darkPalette();

Q_SIGNALS:
    // After every palette/stylesheet change: views with custom painting refresh their icons.
    void themeApplied(bool dark);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void apply();
    bool platformPaletteIsDark();

    Theme theme_ = Theme::System;
    bool dark_ = false;
    bool systemDark_ = false;
    bool applying_ = false;
    QTimer recheck_;  // coalesces the burst of ThemeChange events one OS switch sends
};

}  // namespace blyan::ui
