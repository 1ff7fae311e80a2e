#pragma once
// TrafficChart: bytes per second received and sent over the last minutes (Qt Charts), from the
// `history` of a getnettotals answer. Colours follow the application palette, so it fits the light and
// dark themes.

#include <QChartView>
#include <QJsonObject>

class QLineSeries;
class QValueAxis;

namespace blyan::ui {

class TrafficChart : public QChartView {
    Q_OBJECT
public:
    explicit TrafficChart(QWidget *parent = nullptr);

    // getnettotals' "history": {interval_ms, recv [bytes/s...], sent [...]}, oldest first.
    void setHistory(const QJsonObject &history);
    int pointCount() const;  // samples shown (tests)
    double peakBytesPerSecond() const { return peak_; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QLineSeries *received_, *sent_;
    QValueAxis *x_, *y_;
    double peak_ = 0;
};

}  // namespace blyan::ui
