#pragma once
// The tally drawn as people read it: one bar as wide as all stake at the proposal's snapshot, filled
// with the stake that voted yes, no, veto and abstain, and a line where quorum is. The detail view adds a
// second bar for the decision itself (yes against no + veto) with the kind's threshold. Colours follow
// the theme (dark or light from the palette), so both screenshots read.

#include <QStyledItemDelegate>
#include <QWidget>

namespace blyan::ui {

struct TallyFigures {
    quint64 total = 0, yes = 0, no = 0, abstain = 0, veto = 0;
    int quorumPercent = 0, thresholdPercent = 0;
};

enum class TallyMode { Turnout, Decision };

QColor choiceColor(const QString &choice, bool dark);  // "yes", "no", "abstain", "veto"
bool isDark(const QPalette &p);
// The bar in `r` (rounded track, segments, marker line). `labels`: the marker's caption above it.
void paintTally(QPainter *p, const QRectF &r, const TallyFigures &f, TallyMode mode, bool dark, bool labels);

class TallyBar : public QWidget {
    Q_OBJECT
public:
    explicit TallyBar(TallyMode mode, QWidget *parent = nullptr);
    void setFigures(const TallyFigures &f);
    const TallyFigures &figures() const { return figures_; }
    QSize sizeHint() const override { return {320, 34}; }
    QSize minimumSizeHint() const override { return {120, 34}; }

protected:
    void paintEvent(QPaintEvent *) override;

private:
    TallyMode mode_;
    TallyFigures figures_;
};

// Paints the TallyRole of a proposal list row as a compact bar with its quorum line.
class TallyDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static constexpr int TallyRole = Qt::UserRole + 10;  // a QVariant holding TallyFigures
    void paint(QPainter *p, const QStyleOptionViewItem &o, const QModelIndex &i) const override;
    QSize sizeHint(const QStyleOptionViewItem &o, const QModelIndex &i) const override;
};

}  // namespace blyan::ui

Q_DECLARE_METATYPE(blyan::ui::TallyFigures)
