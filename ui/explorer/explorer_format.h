#pragma once
// Small text helpers shared by the Explorer's views: times, shortened hashes and addresses, and the
// internal links ("block:HASH", "tx:TXID", "object:ID", "address:ADDR") their labels carry.

#include "ui/format.h"  // formatTime, formatAge

#include <QString>

namespace blyan::ui {

QString shortHash(const QString &hex);  // "4c5d36beb671…15734e02"
QString shortAddress(const QString &address);  // "dbly1qx3f…9ka2"
// An HTML link for a QLabel in Qt::RichText, text escaped.
QString linkHtml(const QString &kind, const QString &key, const QString &text);
QString chainName(const QString &letter);  // "A · meta", "B · parameters", "D · datasets"
QString txKindText(const QString &kind);   // "Transfer", "Publish object"

}  // namespace blyan::ui
