#include "ui/wallet/wallet_icons.h"

#include <QGuiApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <functional>

namespace blyan::ui {

namespace {
QIcon paintedIcon(const std::function<void(QPainter &)> &draw)
{
    QIcon icon;
    const qreal dpr = qMax<qreal>(1.0, qGuiApp->devicePixelRatio());
    for (int size : {14, 16, 20, 24, 32}) {
        QPixmap pm(qRound(size * dpr), qRound(size * dpr));
        pm.setDevicePixelRatio(dpr);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 16.0, size / 16.0);  // every glyph is drawn on a 16 x 16 grid
        draw(p);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

void drawStatus(QPainter &p, const QString &status)
{
    const QRectF r(2, 2, 12, 12);
    if (status == QLatin1String("final")) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0x10, 0xB9, 0x81));
        p.drawEllipse(r);
        p.setPen(QPen(Qt::white, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.drawPolyline(QPolygonF({{5.2, 8.2}, {7.2, 10.2}, {10.8, 6.0}}));
    } else if (status == QLatin1String("confirmed")) {
        const QColor blue(0x3B, 0x82, 0xF6);
        p.setPen(QPen(blue, 1.6));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r.adjusted(0.8, 0.8, -0.8, -0.8));
        p.setPen(Qt::NoPen);
        p.setBrush(blue);
        p.drawPie(r.adjusted(2.4, 2.4, -2.4, -2.4), 90 * 16, -180 * 16);
    } else if (status == QLatin1String("dropped")) {
        const QColor grey(0x9C, 0xA3, 0xAF);
        p.setPen(QPen(grey, 1.6, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r.adjusted(0.8, 0.8, -0.8, -0.8));
        p.drawLine(QPointF(5.8, 5.8), QPointF(10.2, 10.2));
        p.drawLine(QPointF(10.2, 5.8), QPointF(5.8, 10.2));
    } else {
        const QColor amber(0xF5, 0x9E, 0x0B);
        p.setPen(QPen(amber, 1.6, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r.adjusted(0.8, 0.8, -0.8, -0.8));
        p.drawLine(QPointF(8, 8), QPointF(8, 4.8));
        p.drawLine(QPointF(8, 8), QPointF(10.4, 9.4));
    }
}
}  // namespace

QIcon txStatusIcon(const QString &status)
{
    static QHash<QString, QIcon> cache;  // UI thread only
    auto it = cache.find(status);
    if (it == cache.end())
        it = cache.insert(status, paintedIcon([status](QPainter &p) { drawStatus(p, status); }));
    return *it;
}

QIcon lockIcon(bool locked, const QColor &color)
{
    return paintedIcon([locked, color](QPainter &p) {
        p.setPen(QPen(color, 1.6, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        // Shackle: closed it enters the body on both sides; open it swings up and off to the left.
        QPainterPath shackle;
        if (locked) {
            shackle.moveTo(5, 7.5);
            shackle.lineTo(5, 5);
            shackle.arcTo(QRectF(5, 2, 6, 6), 180, -180);
            shackle.lineTo(11, 7.5);
        } else {
            shackle.moveTo(2, 6);
            shackle.lineTo(2, 4.5);
            shackle.arcTo(QRectF(2, 1.5, 6, 6), 180, -180);
            shackle.lineTo(8, 7.5);
        }
        p.drawPath(shackle);
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawRoundedRect(QRectF(3, 7.5, 10, 7), 1.6, 1.6);
    });
}

}  // namespace blyan::ui
