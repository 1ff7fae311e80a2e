#pragma once
// ConfirmDialog: the last look before something is signed: what goes where, the fee and the total,
// with the confirm button not the default (Enter alone must not send money).

#include <QDialog>
#include <QList>

namespace blyan::ui {

struct ConfirmRow {
    QString field;  // "recipient", "amount", ...: the value label's "field" property
    QString label;
    QString value;
    bool emphasis = false;  // the total
};

class ConfirmDialog : public QDialog {
    Q_OBJECT
public:
    ConfirmDialog(const QString &title, const QString &intro, const QList<ConfirmRow> &rows,
                  const QString &confirmText, QWidget *parent = nullptr);
};

}  // namespace blyan::ui
