#include "ui/unavailable_page.h"

#include "ui/card.h"
#include "ui/icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace blyan::ui {

UnavailablePage::UnavailablePage(const QString &iconName, const QString &title, const QString &summary,
                                 const QStringList &plans, QWidget *parent)
    : QWidget(parent), iconName_(iconName)
{
    auto *content = new QWidget;
    auto *col = new QVBoxLayout(content);
    col->setSpacing(18);
    col->addWidget(makePageHeader(title, summary));

    auto *notice = new QFrame;
    notice->setObjectName(QStringLiteral("Notice"));
    notice->setAttribute(Qt::WA_StyledBackground);
    auto *row = new QHBoxLayout(notice);
    row->setContentsMargins(24, 22, 24, 22);
    row->setSpacing(20);
    icon_ = new QLabel;
    icon_->setFixedSize(44, 44);
    row->addWidget(icon_, 0, Qt::AlignTop);

    auto *text = new QVBoxLayout;
    text->setSpacing(8);
    auto *head = new QHBoxLayout;
    auto *nt = new QLabel(tr("Not available in this build yet"));
    nt->setObjectName(QStringLiteral("NoticeTitle"));
    QFont f = nt->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    nt->setFont(f);
    head->addWidget(nt);
    head->addStretch(1);
    text->addLayout(head);
    auto *explain = new QLabel(tr("The subsystem behind %1 is still being built. Nothing here is simulated: "
                                  "this panel will show real data from your node once it exists.")
                                   .arg(title));
    explain->setObjectName(QStringLiteral("Muted"));
    explain->setWordWrap(true);
    text->addWidget(explain);
    row->addLayout(text, 1);
    col->addWidget(notice);

    auto *plan = new Card(tr("What %1 will do").arg(title));
    for (const QString &p : plans) {
        auto *l = new QLabel(QStringLiteral("•  ") + p);
        l->setWordWrap(true);
        plan->body()->addWidget(l);
    }
    col->addWidget(plan);
    col->addStretch(1);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(makeScrollPage(content));
}

void UnavailablePage::setIconColor(const QColor &color)
{
    icon_->setPixmap(themedPixmap(iconName_, color, 44, devicePixelRatioF()));
}

}  // namespace blyan::ui
