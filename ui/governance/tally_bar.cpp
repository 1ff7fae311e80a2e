#include "ui/governance/tally_bar.h"

#include <QPainter>
#include <QPainterPath>

namespace blyan::ui {

QColor choiceColor(const QString &c, bool dark)
{
    if (c == QLatin1String("yes")) return dark ? QColor(0x34, 0xD3, 0x99) : QColor(0x05, 0x96, 0x69);
    if (c == QLatin1String("no")) return dark ? QColor(0xF8, 0x71, 0x71) : QColor(0xDC, 0x26, 0x26);
    if (c == QLatin1String("veto")) return dark ? QColor(0xC0, 0x84, 0xFC) : QColor(0x7E, 0x22, 0xCE);
    return dark ? QColor(0x8B, 0x93, 0xA1) : QColor(0x9C, 0xA3, 0xAF);  // abstain
}

bool isDark(const QPalette &p) { return p.color(QPalette::Window).lightness() < 128; }

void paintTally(QPainter *p, const QRectF &area, const TallyFigures &f, TallyMode mode, bool dark, bool labels)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const qreal captionH = labels ? 14 : 0;
    QRectF track(area.left(), area.top() + captionH, area.width(), std::min<qreal>(area.height() - captionH, labels ? 12 : 10));
    track.moveTop(area.top() + captionH + (area.height() - captionH - track.height()) / 2);
    QPainterPath clip;
    clip.addRoundedRect(track, track.height() / 2, track.height() / 2);
    p->fillPath(clip, dark ? QColor(0x33, 0x37, 0x40) : QColor(0xE6, 0xE8, 0xEE));

    struct Segment {
        quint64 amount;
        const char *choice;
    };
    // Turnout: every choice against all stake. Decision: yes against no + veto (abstain left out).
    const quint64 whole = mode == TallyMode::Turnout ? f.total : f.yes + f.no + f.veto;
    const Segment turnout[] = {{f.yes, "yes"}, {f.no, "no"}, {f.veto, "veto"}, {f.abstain, "abstain"}};
    const Segment decision[] = {{f.yes, "yes"}, {f.no, "no"}, {f.veto, "veto"}};
    p->setClipPath(clip);
    qreal x = track.left();
    const auto draw = [&](const Segment *s, int n) {
        for (int i = 0; i < n && whole > 0; ++i) {
            const qreal w = track.width() * (static_cast<long double>(s[i].amount) / whole);
            p->fillRect(QRectF(x, track.top(), w, track.height()), choiceColor(QString::fromLatin1(s[i].choice), dark));
            x += w;
        }
    };
    if (mode == TallyMode::Turnout) draw(turnout, 4);
    else draw(decision, 3);
    p->setClipping(false);

    // The marker: quorum on the turnout bar, the threshold on the decision bar.
    const int percent = mode == TallyMode::Turnout ? f.quorumPercent : f.thresholdPercent;
    if (percent > 0) {
        const qreal mx = track.left() + track.width() * percent / 100.0;
        const QColor ink = dark ? QColor(0xF1, 0xF3, 0xF5) : QColor(0x1F, 0x23, 0x28);
        p->setPen(QPen(ink, 2));
        p->drawLine(QPointF(mx, track.top() - 3), QPointF(mx, track.bottom() + 3));
        if (labels) {
            QFont font = p->font();
            font.setPointSizeF(font.pointSizeF() * 0.8);
            p->setFont(font);
            const QString text = (mode == TallyMode::Turnout ? QObject::tr("quorum %1 %") : QObject::tr("threshold %1 %")).arg(percent);
            const qreal tw = QFontMetricsF(font).horizontalAdvance(text);
            const qreal tx = std::clamp(mx - tw / 2, area.left(), area.right() - tw);
            p->drawText(QPointF(tx, area.top() + captionH - 3), text);
        }
    }
    p->restore();
}

TallyBar::TallyBar(TallyMode mode, QWidget *parent) : QWidget(parent), mode_(mode)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void TallyBar::setFigures(const TallyFigures &f)
{
    figures_ = f;
    update();
}

void TallyBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    paintTally(&p, QRectF(rect()).adjusted(1, 1, -1, -1), figures_, mode_, isDark(palette()), true);
}

void TallyDelegate::paint(QPainter *p, const QStyleOptionViewItem &o, const QModelIndex &i) const
{
    QStyleOptionViewItem opt = o;
    initStyleOption(&opt, i);
    opt.text.clear();
    opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);  // selection background
    const QVariant v = i.data(TallyRole);
    if (!v.canConvert<TallyFigures>()) return;
    paintTally(p, QRectF(o.rect).adjusted(8, 6, -8, -6), v.value<TallyFigures>(), TallyMode::Turnout,
               isDark(o.palette), false);
}

QSize TallyDelegate::sizeHint(const QStyleOptionViewItem &o, const QModelIndex &i) const
{
    return QStyledItemDelegate::sizeHint(o, i).expandedTo(QSize(160, 30));
}

}  // namespace blyan::ui
