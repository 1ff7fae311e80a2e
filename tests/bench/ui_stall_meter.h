#pragma once
// UiStallMeter: how long the UI thread's event loop goes without turning. A precise QTimer asks to tick
// every `intervalMs` (1-5 ms); each tick records the time since the previous one. A gap much longer than
// the interval means something ran on the UI thread for that long (painting, a slot, a blocking call),
// which is exactly a stall the user sees as a frozen window. Shared by the UI benchmarks (the Explorer's
// block list, the Chat's streaming): start() before the work, stop() after, then read the figures.
//
// Header-only and Qt-only so any benchmark can include it.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace blyan::testing {

class UiStallMeter : public QObject {
public:
    explicit UiStallMeter(int intervalMs = 2, QObject *parent = nullptr) : QObject(parent)
    {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(intervalMs);
        QObject::connect(&timer_, &QTimer::timeout, this, [this] {
            const qint64 now = clock_.nsecsElapsed();
            gaps_.push_back(double(now - last_) / 1e6);
            last_ = now;
        });
    }

    void start()
    {
        gaps_.clear();
        clock_.start();
        last_ = 0;
        timer_.start();
    }
    void stop() { timer_.stop(); }

    // Milliseconds between two turns of the loop: the largest, a percentile, the mean.
    double maxGapMs() const { return gaps_.empty() ? 0 : *std::max_element(gaps_.begin(), gaps_.end()); }
    double percentileMs(double p) const
    {
        if (gaps_.empty()) return 0;
        std::vector<double> g = gaps_;
        const std::size_t k = std::min(g.size() - 1, std::size_t(p / 100.0 * double(g.size())));
        std::nth_element(g.begin(), g.begin() + std::ptrdiff_t(k), g.end());
        return g[k];
    }
    double meanGapMs() const
    {
        double s = 0;
        for (double g : gaps_) s += g;
        return gaps_.empty() ? 0 : s / double(gaps_.size());
    }
    std::size_t gapsOver(double ms) const
    {
        return std::size_t(std::count_if(gaps_.begin(), gaps_.end(), [ms](double g) { return g > ms; }));
    }
    std::size_t ticks() const { return gaps_.size(); }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    std::vector<double> gaps_;
};

}  // namespace blyan::testing
