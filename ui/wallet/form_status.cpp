#include "ui/wallet/form_status.h"

#include <QLabel>
#include <QStyle>

namespace blyan::ui {

QLabel *makeStatusLabel(const QString &objectName)
{
    auto *l = new QLabel;
    l->setObjectName(objectName);
    l->setProperty("tone", QStringLiteral("muted"));
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

void setStatus(QLabel *label, const QString &text, Tone tone)
{
    static const char *const names[] = {"muted", "ok", "error"};
    label->setText(text);
    label->setVisible(!text.isEmpty());
    const QString t = QString::fromLatin1(names[int(tone)]);
    if (label->property("tone").toString() != t) {
        label->setProperty("tone", t);
        repolish(label);
    }
}

void repolish(QWidget *w)
{
    w->style()->unpolish(w);
    w->style()->polish(w);
}

}  // namespace blyan::ui
