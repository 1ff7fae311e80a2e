#include "ui/explorer/explorer_format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace blyan::ui {

namespace {
QString tr(const char *s) { return QCoreApplication::translate("blyan::ui::Explorer", s); }
}  // namespace

QString shortHash(const QString &hex)
{
    return hex.size() > 24 ? hex.left(12) + QStringLiteral("…") + hex.right(8) : hex;
}

QString shortAddress(const QString &address)
{
    return address.size() > 20 ? address.left(10) + QStringLiteral("…") + address.right(6) : address;
}

QString linkHtml(const QString &kind, const QString &key, const QString &text)
{
    return QStringLiteral("<a href=\"%1:%2\">%3</a>").arg(kind, key.toHtmlEscaped(), text.toHtmlEscaped());
}

QString chainName(const QString &letter)
{
    if (letter == QLatin1String("A")) return tr("A · meta");
    if (letter == QLatin1String("B")) return tr("B · parameters");
    if (letter == QLatin1String("D")) return tr("D · datasets");
    return letter;
}

QString txKindText(const QString &kind)
{
    if (kind == QLatin1String("transfer")) return tr("Transfer");
    if (kind == QLatin1String("stake")) return tr("Stake");
    if (kind == QLatin1String("unstake")) return tr("Unstake");
    if (kind == QLatin1String("publish_object")) return tr("Publish object");
    QString k = kind;
    k.replace(QLatin1Char('_'), QLatin1Char(' '));
    return k.isEmpty() ? k : k.at(0).toUpper() + k.mid(1);
}

}  // namespace blyan::ui
