#include "ui/network/traffic_chart.h"

#include <QEvent>
#include <QJsonArray>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace blyan::ui {

namespace {

// The next "round" axis maximum (1, 2, 5 × 10^n) above v, so the scale does not jitter every second.
double niceCeil(double v)
{
    if (v <= 1) return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (v <= m * p) return m * p;
    return 10 * p;
}

}  // namespace

TrafficChart::TrafficChart(QWidget *parent) : QChartView(parent)
{
    setObjectName(QStringLiteral("TrafficChart"));
    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    received_ = new QLineSeries(chart);
    received_->setName(tr("Received"));
    sent_ = new QLineSeries(chart);
    sent_->setName(tr("Sent"));
    chart->addSeries(received_);
    chart->addSeries(sent_);
    x_ = new QValueAxis(chart);
    x_->setTitleText(tr("minutes ago"));
    x_->setLabelFormat(QStringLiteral("%.0f"));
    x_->setRange(-10, 0);
    x_->setTickCount(6);
    y_ = new QValueAxis(chart);
    y_->setTitleText(tr("KiB/s"));
    y_->setLabelFormat(QStringLiteral("%.1f"));
    y_->setRange(0, 1);
    chart->addAxis(x_, Qt::AlignBottom);
    chart->addAxis(y_, Qt::AlignLeft);
    for (QLineSeries *s : {received_, sent_}) {
        s->attachAxis(x_);
        s->attachAxis(y_);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setStyleSheet(QStringLiteral("background: transparent"));
    setFrameShape(QFrame::NoFrame);
    setMinimumHeight(200);
    setMaximumHeight(260);
    applyPalette();
}

void TrafficChart::setHistory(const QJsonObject &history)
{
    const QJsonArray recv = history.value(QStringLiteral("recv")).toArray();
    const QJsonArray sent = history.value(QStringLiteral("sent")).toArray();
    const double step = std::max(1, history.value(QStringLiteral("interval_ms")).toInt(1000)) / 1000.0;  // seconds
    const qsizetype n = std::max(recv.size(), sent.size());
    double peak = 0;
    for (const QJsonArray *a : {&recv, &sent})
        for (const QJsonValue &v : *a) peak = std::max(peak, static_cast<double>(v.toInteger()));
    peak_ = peak;
    // Seconds for the first two minutes, then minutes; KiB/s, or MiB/s once traffic is that large.
    const double spanSeconds = std::max(60.0, static_cast<double>(n) * step);
    const bool minutes = spanSeconds > 120;
    const double xUnit = minutes ? 60.0 : 1.0;
    const double yUnit = peak > 2.0 * 1024 * 1024 ? 1024.0 * 1024 : 1024.0;
    const auto points = [&](const QJsonArray &a) {
        QList<QPointF> out;
        out.reserve(a.size());
        for (qsizetype i = 0; i < a.size(); ++i)
            out.append(QPointF(-static_cast<double>(a.size() - 1 - i) * step / xUnit, static_cast<double>(a[i].toInteger()) / yUnit));
        return out;
    };
    received_->replace(points(recv));
    sent_->replace(points(sent));
    const double span = minutes ? std::ceil(spanSeconds / 60.0) : std::ceil(spanSeconds / 10.0) * 10.0;
    x_->setTitleText(minutes ? tr("minutes ago") : tr("seconds ago"));
    x_->setRange(-span, 0);
    x_->setTickCount(minutes ? static_cast<int>(std::min(span, 10.0)) + 1 : static_cast<int>(span / 10.0) + 1);
    // A round maximum (1, 2, 5 x 10^n) with ticks on round values, so the scale does not jitter every second.
    const double top = niceCeil(peak * 1.1 / yUnit);
    const double lead = top / std::pow(10.0, std::floor(std::log10(top)));
    y_->setTitleText(yUnit > 1024 ? tr("MiB/s") : tr("KiB/s"));
    y_->setRange(0, top);
    y_->setTickCount(lead < 1.5 ? 6 : 5 + (lead > 4 ? 1 : 0));
    y_->setLabelFormat(top < 5 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
}

int TrafficChart::pointCount() const { return static_cast<int>(received_->count()); }

void TrafficChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) applyPalette();
}

void TrafficChart::applyPalette()
{
    const QPalette pal = palette();
    QChart *c = chart();
    // Drawn on the card itself: no box of another shade around the plot.
    c->setBackgroundVisible(false);
    c->setPlotAreaBackgroundVisible(false);
    c->legend()->setLabelColor(pal.color(QPalette::Text));
    for (QValueAxis *a : {x_, y_}) {
        a->setLabelsColor(pal.color(QPalette::Text));
        a->setTitleBrush(pal.brush(QPalette::PlaceholderText));
        a->setGridLineColor(pal.color(QPalette::Mid));
        a->setLinePenColor(pal.color(QPalette::Mid));
    }
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    QPen r(dark ? QColor(0x5a, 0xb4, 0xff) : QColor(0x1f, 0x6f, 0xd1), 2);
    QPen s(dark ? QColor(0xff, 0xa6, 0x4d) : QColor(0xd9, 0x6a, 0x00), 2);
    received_->setPen(r);
    sent_->setPen(s);
}

}  // namespace blyan::ui
