#pragma once
// The setup every offscreen GUI test starts with (tests/gui/; they link blyan_ui).

#include "support/test_support.h"
#include "ui/icons.h"
#include "ui/theme.h"

#include <QDir>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>

#include <memory>

namespace blyan::testing {

// Settings in Qt's test location, this binary's own and cleared; en_US number formats ("10,000.5 BLY"
// whatever LANG is); the screenshot folder; icons; the light theme, whose manager is returned. Null
// when the screenshot folder cannot be made.
inline std::unique_ptr<ui::ThemeManager> initGuiTestEnvironment()
{
    QStandardPaths::setTestModeEnabled(true);
    setTestApplicationIdentity();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QSettings().clear();
    if (!QDir().mkpath(screenshotDir())) return nullptr;
    ui::initResources();
    auto theme = std::make_unique<ui::ThemeManager>();
    theme->setTheme(ui::Theme::Light);
    return theme;
}

}  // namespace blyan::testing
