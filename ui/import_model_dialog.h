#pragma once
// File > Import model: picks a Hugging Face model directory and follows its import into the chain
// (Node::importModel; progress through Node::modelImportProgress, queued from the import thread), with a
// progress bar and Cancel. Closing the dialog leaves a running import running; reopening shows it.

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace blyan::node {
class Node;
}

namespace blyan::ui {

class ImportModelDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportModelDialog(node::Node *node, QWidget *parent = nullptr);

    // For tests: start with this directory as if chosen and Import pressed.
    void startImport(const QString &dir);
    QString phase() const { return phase_; }
    QString statusText() const;

private:
    void onProgress(const QString &phase, qint64 done, qint64 total, const QString &message);
    void setRunning(bool running);

    node::Node *node_;
    QLineEdit *dir_ = nullptr;
    QPushButton *browse_ = nullptr, *import_ = nullptr, *cancel_ = nullptr;
    QProgressBar *bar_ = nullptr;
    QLabel *status_ = nullptr;
    QString phase_;
};

}  // namespace blyan::ui
