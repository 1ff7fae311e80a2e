#pragma once
// blyan.conf in the data dir: bitcoin.conf-style `key=value` lines, `#` comments, blank lines.
// Strict: an unknown key or a line without '=' is an error naming the line, so a typo never
// silently changes nothing. Command-line options override the file.

#include "util/error.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace blyan {

class ConfigFile {
public:
    // A missing file is an empty config, not an error.
    static Expected<ConfigFile> load(const QString &path, const QStringList &allowedKeys);
    static Expected<ConfigFile> parse(const QString &text, const QStringList &allowedKeys, const QString &origin);

    std::optional<QString> value(const QString &key) const;
    bool contains(const QString &key) const { return values_.contains(key); }
    QStringList keys() const { return values_.keys(); }

private:
    QMap<QString, QString> values_;
};

}  // namespace blyan
