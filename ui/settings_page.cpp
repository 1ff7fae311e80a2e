#include "ui/settings_page.h"

#include "ui/card.h"
#include "ui/client_model.h"
#include "ui/model_settings_card.h"
#include "ui/theme.h"
#include "util/log.h"
#include "util/paths.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QUrl>
#include <QVBoxLayout>

namespace blyan::ui {

QString SettingsPage::minimizeToTrayKey() { return QStringLiteral("ui/minimizeToTray"); }

SettingsPage::SettingsPage(ClientModel *model, ThemeManager *theme, bool trayAvailable, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("SettingsPage"));
    auto *content = new QWidget;
    auto *col = new QVBoxLayout(content);
    col->setSpacing(18);
    col->addWidget(makePageHeader(tr("Settings"), tr("Changes apply at once and are remembered.")));

    auto *look = new Card(tr("Appearance"));
    auto *radios = new QHBoxLayout;
    radios->setSpacing(24);
    themeGroup_ = new QButtonGroup(this);
    const std::pair<Theme, QString> choices[] = {
        {Theme::System, tr("System")}, {Theme::Light, tr("Light")}, {Theme::Dark, tr("Dark")}};
    for (const auto &[t, label] : choices) {
        auto *rb = new QRadioButton(label);
        rb->setObjectName(QStringLiteral("theme_") + themeKey(t));
        rb->setChecked(theme->theme() == t);
        themeGroup_->addButton(rb, int(t));
        radios->addWidget(rb);
    }
    radios->addStretch(1);
    look->body()->addLayout(radios);
    look->addNote(tr("System follows your desktop's light or dark setting."));
    connect(themeGroup_, &QButtonGroup::idClicked, theme, [theme](int id) { theme->setTheme(Theme(id)); });
    // Keep the radios true when the theme is changed elsewhere (tests, a future menu).
    connect(theme, &ThemeManager::themeApplied, this, [this, theme] {
        if (auto *b = themeGroup_->button(int(theme->theme())); b && !b->isChecked()) b->setChecked(true);
    });
    col->addWidget(look);

    auto *window = new Card(tr("Window"));
    minimizeToTray_ = new QCheckBox(tr("Minimize to the system tray when the window is closed"));
    minimizeToTray_->setChecked(trayAvailable && QSettings().value(minimizeToTrayKey(), false).toBool());
    minimizeToTray_->setEnabled(trayAvailable);
    window->body()->addWidget(minimizeToTray_);
    window->addNote(trayAvailable ? tr("The node keeps running in the background; choose Quit in the tray menu to stop it.")
                                  : tr("Your desktop has no system tray, so closing the window quits Blyan."));
    connect(minimizeToTray_, &QCheckBox::toggled, this,
            [](bool on) { QSettings().setValue(minimizeToTrayKey(), on); });
    col->addWidget(window);

    auto *node = new Card(tr("Node"));
    node->addField(tr("Network"), QStringLiteral("settingsNetwork"))->setText(model->networkName());
    const QString dir = QDir::toNativeSeparators(model->dataDir());
    node->addField(tr("Data directory"), QStringLiteral("settingsDataDir"))->setText(dir);
    // Where the node writes its log once it owns the data dir (a path, not a file read).
    node->addField(tr("Log file"), QStringLiteral("settingsLogFile"))
        ->setText(QDir::toNativeSeparators(blyan::paths::logsDir(model->dataDir()) + QStringLiteral("/blyan.log")));
    auto *open = new QPushButton(tr("Open data directory"));
    open->setCursor(Qt::PointingHandCursor);
    connect(open, &QPushButton::clicked, this, [model] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(model->dataDir()));
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(open);
    buttons->addStretch(1);
    node->body()->addLayout(buttons);
    node->addNote(tr("Start Blyan with --network and --datadir to use another network or directory."));
    col->addWidget(node);
    modelCard_ = new ModelSettingsCard(model->node());
    col->addWidget(modelCard_);
    col->addStretch(1);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(makeScrollPage(content));
}

void SettingsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (modelCard_) modelCard_->refresh();
}

}  // namespace blyan::ui
