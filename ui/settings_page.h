#pragma once
// Settings: appearance (applied live), window behaviour and where this node keeps its files.

#include <QWidget>

class QButtonGroup;
class QCheckBox;

namespace blyan::ui {

class ClientModel;
class ThemeManager;

class SettingsPage : public QWidget {
    Q_OBJECT
public:
    static QString minimizeToTrayKey();  // QSettings key, bool

    SettingsPage(ClientModel *model, ThemeManager *theme, bool trayAvailable, QWidget *parent = nullptr);

protected:
    void showEvent(QShowEvent *event) override;

private:
    class ModelSettingsCard *modelCard_ = nullptr;
    QButtonGroup *themeGroup_;
    QCheckBox *minimizeToTray_;
};

}  // namespace blyan::ui
