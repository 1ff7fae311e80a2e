#pragma once
// BLY amounts in the UI: base units (1 BLY = 10^8) as the wallet's JSON carries them, parsed from
// what people type and written the way people read them. The node re-checks every amount it is
// sent; this only gives the send form its live validation without linking chain/.

#include <QJsonValue>
#include <QString>

#include <optional>

namespace blyan::ui {

inline constexpr quint64 kUnitsPerBly = 100'000'000;

// Parses "12.5", "12.5 BLY", "0.00000001": digits with at most 8 decimals, no sign, no exponent,
// no thousands separators. nullopt and a reason in *error when it is not an amount.
std::optional<quint64> parseBly(const QString &text, QString *error = nullptr);

// "12.5" (no grouping, no unit, trailing zeros dropped): for form fields and RPC parameters.
QString plainBly(quint64 units);
// "10,000.5 BLY" in the user's locale grouping, for display.
QString displayBly(quint64 units, bool withUnit = true);

// Base units of a wallet amount object {"bly": "12.5 BLY", "units": "1250000000"}; 0 when absent.
quint64 amountUnits(const QJsonValue &amount);

}  // namespace blyan::ui
