#pragma once
// A panel whose subsystem is not in this build yet: says plainly what it will do and that it is
// not available, instead of showing made-up numbers.

#include <QStringList>
#include <QWidget>

class QLabel;

namespace blyan::ui {

class UnavailablePage : public QWidget {
    Q_OBJECT
public:
    UnavailablePage(const QString &iconName, const QString &title, const QString &summary,
                    const QStringList &plans, QWidget *parent = nullptr);

    void setIconColor(const QColor &color);

private:
    QString iconName_;
    QLabel *icon_;
};

}  // namespace blyan::ui
