#include "ui/wallet/amount.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QLocale>

#include <limits>

namespace blyan::ui {

namespace {
QString tr(const char *s) { return QCoreApplication::translate("Amount", s); }
}  // namespace

std::optional<quint64> parseBly(const QString &input, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<quint64> {
        if (error) *error = why;
        return std::nullopt;
    };
    QString text = input.trimmed();
    if (text.endsWith(QLatin1String("BLY"), Qt::CaseInsensitive)) text = text.chopped(3).trimmed();
    if (text.isEmpty()) return fail(tr("Enter an amount."));
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    const QString whole = dot < 0 ? text : text.left(dot);
    const QString frac = dot < 0 ? QString() : text.mid(dot + 1);
    const auto digitsOnly = [](const QString &s) {
        for (QChar c : s)
            if (c < QLatin1Char('0') || c > QLatin1Char('9')) return false;
        return true;
    };
    if (!digitsOnly(whole) || !digitsOnly(frac) || (whole.isEmpty() && frac.isEmpty()))
        return fail(tr("Use digits and a decimal point, like 12.5."));
    if (frac.size() > 8) return fail(tr("BLY has at most 8 decimals."));
    // Digit by digit with overflow checks: a u64 of base units holds about 184 billion BLY.
    quint64 units = 0;
    const QString all = whole + frac.leftJustified(8, QLatin1Char('0'));
    for (QChar c : all) {
        const quint64 d = quint64(c.unicode() - '0');
        if (units > (std::numeric_limits<quint64>::max() - d) / 10) return fail(tr("That amount is too large."));
        units = units * 10 + d;
    }
    if (error) error->clear();
    return units;
}

QString plainBly(quint64 units)
{
    QString s = QString::number(units / kUnitsPerBly);
    if (const quint64 frac = units % kUnitsPerBly) {
        QString f = QString::number(frac).rightJustified(8, QLatin1Char('0'));
        while (f.endsWith(QLatin1Char('0'))) f.chop(1);
        s += QLatin1Char('.') + f;
    }
    return s;
}

QString displayBly(quint64 units, bool withUnit)
{
    const QLocale loc;
    QString s = loc.toString(qulonglong(units / kUnitsPerBly));
    const QString plain = plainBly(units);
    if (const qsizetype dot = plain.indexOf(QLatin1Char('.')); dot >= 0) s += loc.decimalPoint() + plain.mid(dot + 1);
    return withUnit ? s + QStringLiteral(" BLY") : s;
}

quint64 amountUnits(const QJsonValue &amount)
{
    // Units travel as a decimal string: JSON numbers above 2^53 are not exact in most readers.
    const QJsonValue u = amount.toObject().value(QLatin1String("units"));
    if (u.isString()) return u.toString().toULongLong();
    return u.isDouble() ? quint64(u.toDouble()) : 0;
}

}  // namespace blyan::ui
