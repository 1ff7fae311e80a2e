#include "ui/icons.h"

#include "util/log.h"

#include <QBuffer>
#include <QFile>
#include <QGuiApplication>
#include <QImageReader>

static void blyanInitResources() { Q_INIT_RESOURCE(blyan); }

namespace blyan::ui {

namespace {
QByteArray svgSource(const QString &name)
{
    QFile f(QStringLiteral(":/blyan/icons/%1.svg").arg(name));
    if (!f.open(QIODevice::ReadOnly)) {
        qCWarning(lcUi) << "icon missing from resources:" << name;
        return {};
    }
    return f.readAll();
}

QPixmap render(QByteArray svg, int px)
{
    QBuffer buf(&svg);
    buf.open(QIODevice::ReadOnly);
    QImageReader reader(&buf, "svg");
    reader.setScaledSize(QSize(px, px));  // rasterise at the target size: crisp at any scale
    return QPixmap::fromImage(reader.read());
}
}  // namespace

void initResources()
{
    static bool done = false;
    if (!done) blyanInitResources();
    done = true;
}

QPixmap themedPixmap(const QString &name, const QColor &color, int size, qreal dpr)
{
    QByteArray svg = svgSource(name);
    svg.replace("currentColor", color.name(QColor::HexRgb).toLatin1());
    QPixmap pm = render(svg, qRound(size * dpr));
    pm.setDevicePixelRatio(dpr);
    return pm;
}

QIcon themedIcon(const QString &name, const QColor &color, const QColor &selectedColor)
{
    QIcon icon;
    const qreal dpr = qMax<qreal>(1.0, qGuiApp->devicePixelRatio());
    for (int size : {16, 20, 24, 32, 48}) {
        icon.addPixmap(themedPixmap(name, color, size, dpr), QIcon::Normal);
        icon.addPixmap(themedPixmap(name, selectedColor, size, dpr), QIcon::Selected);
    }
    return icon;
}

QIcon appIcon()
{
    QIcon icon;
    const QByteArray svg = svgSource(QStringLiteral("blyan"));
    for (int size : {16, 24, 32, 48, 64, 128, 256}) icon.addPixmap(render(svg, size));
    return icon;
}

}  // namespace blyan::ui
