#include "ui/import_model_dialog.h"

#include "node/node.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace blyan::ui {

ImportModelDialog::ImportModelDialog(node::Node *node, QWidget *parent) : QDialog(parent), node_(node)
{
    setObjectName(QStringLiteral("ImportModelDialog"));
    setWindowTitle(tr("Import model"));
    setMinimumWidth(560);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Choose a Hugging Face model directory (config.json and *.safetensors). Its weights "
                                "become chain objects — the model spec, base weights, routers and one object per "
                                "expert — published on this node's chain. An interrupted import resumes where it stopped."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *row = new QHBoxLayout;
    dir_ = new QLineEdit;
    dir_->setPlaceholderText(tr("Model directory"));
    browse_ = new QPushButton(tr("Browse…"));
    row->addWidget(dir_, 1);
    row->addWidget(browse_);
    layout->addLayout(row);
    bar_ = new QProgressBar;
    bar_->setRange(0, 1000);
    bar_->setValue(0);
    layout->addWidget(bar_);
    status_ = new QLabel(tr("Not started."));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);
    auto *buttons = new QDialogButtonBox;
    import_ = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    cancel_ = buttons->addButton(tr("Cancel import"), QDialogButtonBox::ActionRole);
    auto *close = buttons->addButton(QDialogButtonBox::Close);
    layout->addWidget(buttons);
    cancel_->setEnabled(false);

    connect(browse_, &QPushButton::clicked, this, [this] {
        // Non-native dialog: the native one may block in D-Bus on Linux desktops without a portal.
        const QString d = QFileDialog::getExistingDirectory(this, tr("Model directory"), dir_->text(),
                                                            QFileDialog::ShowDirsOnly | QFileDialog::DontUseNativeDialog);
        if (!d.isEmpty()) dir_->setText(d);
    });
    connect(import_, &QPushButton::clicked, this, [this] { startImport(dir_->text()); });
    connect(cancel_, &QPushButton::clicked, this, [this] {
        node_->cancelModelImport();
        status_->setText(tr("Cancelling…"));
    });
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    connect(node_, &node::Node::modelImportProgress, this, &ImportModelDialog::onProgress);
}

void ImportModelDialog::startImport(const QString &dir)
{
    const QString clean = dir.trimmed();
    if (clean.isEmpty() || !QDir::isAbsolutePath(clean)) {
        status_->setText(tr("Choose the model directory first (an absolute path)."));
        return;
    }
    dir_->setText(clean);
    // startImport only checks and starts the import thread: it never waits on disk.
    const Status st = node_->importModel(QDir::cleanPath(clean));
    if (!st.ok()) {
        status_->setText(QString::fromStdString(st.error().message));
        return;
    }
    phase_ = QStringLiteral("reading");
    status_->setText(tr("Reading the checkpoint…"));
    bar_->setValue(0);
    setRunning(true);
}

QString ImportModelDialog::statusText() const { return status_->text(); }

void ImportModelDialog::setRunning(bool running)
{
    import_->setEnabled(!running);
    browse_->setEnabled(!running);
    dir_->setEnabled(!running);
    cancel_->setEnabled(running);
}

void ImportModelDialog::onProgress(const QString &phase, qint64 done, qint64 total, const QString &message)
{
    phase_ = phase;
    const int permille = total > 0 ? static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total)) : 0;
    if (phase == QLatin1String("writing")) {
        // Writing the payloads is the first 80 %; publishing the rest.
        bar_->setValue(permille * 8 / 10);
        status_->setText(tr("Writing %1 (%2 of %3 MB)…").arg(message).arg(done / 1000000).arg(total / 1000000));
    } else if (phase == QLatin1String("publishing")) {
        bar_->setValue(800 + permille / 5);
        status_->setText(tr("Publishing on the chain: %1 of %2 objects in blocks…").arg(done).arg(total));
    } else if (phase == QLatin1String("done")) {
        bar_->setValue(1000);
        status_->setText(tr("Done: the model is on the chain."));
        setRunning(false);
    } else if (phase == QLatin1String("failed") || phase == QLatin1String("cancelled")) {
        status_->setText(phase == QLatin1String("cancelled") ? tr("Cancelled. Import again to resume where it stopped.")
                                                             : tr("Failed: %1").arg(message));
        setRunning(false);
    }
}

}  // namespace blyan::ui
