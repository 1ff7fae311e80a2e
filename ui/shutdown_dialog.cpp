#include "ui/shutdown_dialog.h"

#include <QCloseEvent>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace blyan::ui {

ShutdownDialog::ShutdownDialog(QWidget *parent)
    : QDialog(parent, Qt::Dialog | Qt::CustomizeWindowHint | Qt::WindowTitleHint)
{
    setObjectName(QStringLiteral("ShutdownDialog"));
    setWindowTitle(tr("Blyan"));
    setModal(true);
    auto *l = new QVBoxLayout(this);
    l->setContentsMargins(24, 20, 24, 20);
    l->setSpacing(10);
    auto *title = new QLabel(tr("Shutting down Blyan…"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setWeight(QFont::DemiBold);
    title->setFont(f);
    l->addWidget(title);
    auto *hint = new QLabel(tr("Saving state and closing files. Please wait; this usually takes a few seconds."));
    hint->setObjectName(QStringLiteral("Muted"));
    hint->setWordWrap(true);
    l->addWidget(hint);
    bar_ = new QProgressBar;
    bar_->setRange(0, 0);  // busy until the node reports its first step
    bar_->setTextVisible(false);
    l->addWidget(bar_);
    what_ = new QLabel;
    what_->setObjectName(QStringLiteral("Muted"));
    l->addWidget(what_);
    setFixedWidth(420);
}

void ShutdownDialog::setProgress(int step, int steps, const QString &what)
{
    if (steps > 0) {
        bar_->setRange(0, steps);
        bar_->setValue(qBound(0, step, steps));
    }
    what_->setText(what);
}

void ShutdownDialog::closeEvent(QCloseEvent *e) { e->ignore(); }

}  // namespace blyan::ui
