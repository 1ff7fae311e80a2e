#include "ui/theme.h"

#include "util/log.h"

#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QStyleFactory>

namespace blyan::ui {

namespace {
const auto kThemeKey = QStringLiteral("ui/theme");

bool isDarkPalette(const QPalette &p) { return p.color(QPalette::Window).lightness() < 128; }

QPalette makePalette(const QColor &window, const QColor &base, const QColor &altBase, const QColor &text,
                     const QColor &button, const QColor &accent, const QColor &link, const QColor &disabledText,
                     const QColor &light, const QColor &mid, const QColor &dark, const QColor &placeholder)
{
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, altBase);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, placeholder);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, link);
    p.setColor(QPalette::LinkVisited, link);
    p.setColor(QPalette::Light, light);
    p.setColor(QPalette::Midlight, light.darker(108));
    p.setColor(QPalette::Mid, mid);
    p.setColor(QPalette::Dark, dark);
    p.setColor(QPalette::Shadow, QColor(0, 0, 0, 160));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, mid);
    p.setColor(QPalette::Disabled, QPalette::HighlightedText, disabledText);
    return p;
}
}  // namespace

QString themeKey(Theme t)
{
    switch (t) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

Theme themeFromKey(const QString &key)
{
    if (key == QLatin1String("light")) return Theme::Light;
    if (key == QLatin1String("dark")) return Theme::Dark;
    return Theme::System;
}

QPalette ThemeManager::lightPalette()
{
    return makePalette(QColor(0xF6, 0xF7, 0xF9), Qt::white, QColor(0xF1, 0xF3, 0xF6), QColor(0x1F, 0x23, 0x28),
                       QColor(0xFB, 0xFB, 0xFC), QColor(0x4F, 0x46, 0xE5), QColor(0x43, 0x38, 0xCA),
                       QColor(0xA0, 0xA6, 0xAE), Qt::white, QColor(0xC9, 0xCE, 0xD6), QColor(0x9A, 0xA1, 0xAB),
                       QColor(0x8A, 0x90, 0x99));
}

QPalette ThemeManager::darkPalette()
{
    return makePalette(QColor(0x1A, 0x1C, 0x20), QColor(0x1E, 0x21, 0x26), QColor(0x24, 0x28, 0x2E),
                       QColor(0xE6, 0xE8, 0xEB), QColor(0x2A, 0x2E, 0x35), QColor(0x63, 0x66, 0xF1),
                       QColor(0xA5, 0xA8, 0xFF), QColor(0x6B, 0x72, 0x80), QColor(0x3A, 0x3F, 0x47),
                       QColor(0x2E, 0x32, 0x3A), QColor(0x10, 0x12, 0x15), QColor(0x7D, 0x84, 0x90));
}

ThemeManager::ThemeManager(QObject *parent) : QObject(parent)
{
    systemDark_ = isDarkPalette(QGuiApplication::palette());
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    recheck_.setSingleShot(true);
    recheck_.setInterval(150);
    connect(&recheck_, &QTimer::timeout, this, [this] {
        if (theme_ != Theme::System) return;
        const bool d = platformPaletteIsDark();
        systemDark_ = d;
        apply();
    });
    qApp->installEventFilter(this);
}

void ThemeManager::applySaved()
{
    theme_ = themeFromKey(QSettings().value(kThemeKey).toString());
    apply();
}

void ThemeManager::setTheme(Theme t)
{
    theme_ = t;
    QSettings().setValue(kThemeKey, themeKey(t));
    if (t == Theme::System) systemDark_ = platformPaletteIsDark();
    apply();
}

bool ThemeManager::platformPaletteIsDark()
{
    // A palette with an empty resolve mask resolves every role from the platform theme (or
    // Fusion's standard palette when the platform has none), which is what "System" means.
    applying_ = true;
    QPalette probe(Qt::black);
    probe.setResolveMask(0);
    QApplication::setPalette(probe);
    const bool dark = isDarkPalette(QGuiApplication::palette());
    applying_ = false;
    return dark;
}

void ThemeManager::apply()
{
    dark_ = theme_ == Theme::Dark || (theme_ == Theme::System && systemDark_);
    applying_ = true;
    QApplication::setPalette(dark_ ? darkPalette() : lightPalette());
    QFile qss(dark_ ? QStringLiteral(":/blyan/themes/dark.qss") : QStringLiteral(":/blyan/themes/light.qss"));
    if (qss.open(QIODevice::ReadOnly))
        qApp->setStyleSheet(QString::fromUtf8(qss.readAll()));
    else
        qCWarning(lcUi) << "theme stylesheet missing from resources:" << qss.fileName();
    applying_ = false;
    qCDebug(lcUi) << "theme" << themeKey(theme_) << (dark_ ? "(dark)" : "(light)");
    Q_EMIT themeApplied(dark_);
}

bool ThemeManager::eventFilter(QObject *watched, QEvent *event)
{
    const auto type = event->type();
    if (!applying_ && theme_ == Theme::System &&
        (type == QEvent::ThemeChange || (type == QEvent::ApplicationPaletteChange && watched == qApp)))
        recheck_.start();
    return QObject::eventFilter(watched, event);
}

}  // namespace blyan::ui
