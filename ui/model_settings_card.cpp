#include "ui/model_settings_card.h"

#include "node/node.h"
#include "ui/format.h"
#include "ui/wallet/form_status.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>

namespace blyan::ui {

namespace {

QString gib(qint64 bytes) { return QStringLiteral("%1 GiB").arg(static_cast<double>(bytes) / (1 << 30), 0, 'f', 1); }

}  // namespace

ModelSettingsCard::ModelSettingsCard(node::Node *node, QWidget *parent) : Card(tr("Model and expert cache"), parent), node_(node)
{
    setObjectName(QStringLiteral("ModelSettingsCard"));
    auto *form = new QFormLayout;
    device_ = new QComboBox;
    device_->setObjectName(QStringLiteral("modelDevice"));
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    device_->addItem(tr("GPU (CUDA)"), QStringLiteral("cuda"));
    form->addRow(tr("Run the model on"), device_);
    // A size: digits with an optional K/M/G, or "auto".
    auto *sizes = new QRegularExpressionValidator(QRegularExpression(QStringLiteral("^(auto|[0-9]{1,15}[KkMmGg]?)$")), this);
    const auto sizeRow = [&](const QString &label, const QString &name, QLineEdit *&edit, QLabel *&inForce) {
        edit = new QLineEdit;
        edit->setObjectName(name);
        edit->setPlaceholderText(QStringLiteral("auto"));
        edit->setValidator(sizes);
        edit->setMaximumWidth(140);
        inForce = new QLabel;
        inForce->setObjectName(name + QStringLiteral("InForce"));
        inForce->setProperty("tone", QStringLiteral("muted"));
        auto *row = new QHBoxLayout;
        row->addWidget(edit);
        row->addWidget(inForce, 1);
        form->addRow(label, row);
    };
    sizeRow(tr("Experts in RAM"), QStringLiteral("expertCacheRam"), ram_, ramInForce_);
    sizeRow(tr("Experts on the GPU"), QStringLiteral("expertCacheGpu"), gpu_, gpuInForce_);
    body()->addLayout(form);
    auto *buttons = new QHBoxLayout;
    apply_ = new QPushButton(tr("Apply"));
    apply_->setObjectName(QStringLiteral("applyModelSettings"));
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("modelSettingsStatus"));
    status_->setWordWrap(true);
    buttons->addWidget(apply_);
    buttons->addWidget(status_, 1);
    body()->addLayout(buttons);
    addNote(tr("Sizes like 512M or 8G; empty or auto: 40 % of the RAM and 80 % of the GPU's memory. Experts beyond "
               "the budgets are read again from the chain's object store when needed, so a model larger than the GPU "
               "or the RAM still runs, slower. Changes apply at once and are kept in blyan.conf."));
    connect(apply_, &QPushButton::clicked, this, &ModelSettingsCard::apply);
    connect(ram_, &QLineEdit::returnPressed, this, &ModelSettingsCard::apply);
    connect(gpu_, &QLineEdit::returnPressed, this, &ModelSettingsCard::apply);
}

void ModelSettingsCard::refresh()
{
    if (busy_ || !node_) return;
    busy_ = true;
    node_->call(QStringLiteral("getmodelsettings"), {}, this, [this](const Expected<QJsonValue> &r) {
        busy_ = false;
        if (!r.ok()) {
            setStatus(status_, tr("Not available while the node is not running (%1).").arg(QString::fromStdString(r.error().message)),
                      Tone::Error);
            setEnabled(false);
            return;
        }
        setEnabled(true);
        show(r->toObject());
    });
}

void ModelSettingsCard::show(const QJsonObject &s)
{
    const bool cuda = s.value(QStringLiteral("cuda_available")).toBool();
    device_->setCurrentIndex(s.value(QStringLiteral("device")).toString().startsWith(QLatin1String("cuda")) ? 1 : 0);
    // The GPU entry only where LibTorch found a CUDA device (a GPU build on a GPU computer): the item's flags
    // (Qt::UserRole - 1 in QComboBox's standard model) become 0, i.e. disabled.
    device_->setItemData(1, cuda ? QVariant() : QVariant(0), Qt::UserRole - 1);
    device_->setToolTip(cuda ? QString() : tr("This build or computer has no CUDA device: the model runs on the CPU."));
    const auto setting = [](const QJsonValue &v) { return v.toString() == QLatin1String("auto") ? QString() : v.toString(); };
    if (!ram_->hasFocus()) ram_->setText(setting(s.value(QStringLiteral("expertcacheram"))));
    if (!gpu_->hasFocus()) gpu_->setText(setting(s.value(QStringLiteral("expertcachegpu"))));
    ramInForce_->setText(tr("in force: %1 (%2)").arg(gib(s.value(QStringLiteral("ram_budget")).toInteger()),
                                                     s.value(QStringLiteral("ram_budget_source")).toString()));
    const qint64 gpu = s.value(QStringLiteral("gpu_budget")).toInteger();
    gpuInForce_->setText(gpu ? tr("in force: %1 (%2)").arg(gib(gpu), s.value(QStringLiteral("gpu_budget_source")).toString())
                             : s.value(QStringLiteral("gpu_budget_source")).toString());
}

void ModelSettingsCard::apply()
{
    if (busy_ || !node_) return;
    QJsonObject change{{QStringLiteral("device"), device_->currentData().toString()},
                       {QStringLiteral("expertcacheram"), ram_->text().trimmed().isEmpty() ? QStringLiteral("auto") : ram_->text().trimmed()},
                       {QStringLiteral("expertcachegpu"), gpu_->text().trimmed().isEmpty() ? QStringLiteral("auto") : gpu_->text().trimmed()}};
    busy_ = true;
    apply_->setEnabled(false);
    setStatus(status_, tr("Applying…"), Tone::Muted);
    node_->call(QStringLiteral("setmodelsettings"), {change}, this, [this](const Expected<QJsonValue> &r) {
        busy_ = false;
        apply_->setEnabled(true);
        if (!r.ok()) {
            setStatus(status_, QString::fromStdString(r.error().message), Tone::Error);
        } else {
            setStatus(status_, tr("Applied and saved in %1.").arg(r->toObject().value(QStringLiteral("config_file")).toString()),
                      Tone::Muted);
            show(r->toObject());
        }
    });
}

}  // namespace blyan::ui
