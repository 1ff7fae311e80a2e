#pragma once
// "Shutting down Blyan…": a small modal window fed by Node::shutdownProgress. It is shown with
// open(), never exec(), so the event loop keeps running while the node's workers finish; the
// user cannot dismiss it because quitting before stopped() could lose data.

#include <QDialog>

class QLabel;
class QProgressBar;

namespace blyan::ui {

class ShutdownDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShutdownDialog(QWidget *parent = nullptr);

    void setProgress(int step, int steps, const QString &what);

protected:
    void reject() override {}  // Escape and the close button must not abandon a shutdown
    void closeEvent(QCloseEvent *e) override;

private:
    QLabel *what_;
    QProgressBar *bar_;
};

}  // namespace blyan::ui
