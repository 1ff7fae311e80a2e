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
    // A missing file is an empty config, not an error. Keys in `repeatableKeys` (also allowed) may appear on
    // several lines (connect=a, connect=b); any other key set twice is an error.
    static Expected<ConfigFile> load(const QString &path, const QStringList &allowedKeys,
                                     const QStringList &repeatableKeys = {});
    static Expected<ConfigFile> parse(const QString &text, const QStringList &allowedKeys, const QString &origin,
                                      const QStringList &repeatableKeys = {});

    std::optional<QString> value(const QString &key) const;
    // Every value of a repeatable key, in file order.
    QStringList values(const QString &key) const { return repeated_.value(key); }
    bool contains(const QString &key) const { return values_.contains(key) || repeated_.contains(key); }
    QStringList keys() const { return values_.keys() + repeated_.keys(); }

private:
    QMap<QString, QString> values_;
    QMap<QString, QStringList> repeated_;
};

// "123456", "512K", "768M", "8G" (binary units) -> bytes. `origin` names the setting in the error.
Expected<quint64> parseByteSize(const QString &text, const std::string &origin);

// Sets (a value) or removes (nullopt) single-valued keys in the config file at `path`, keeping every other line
// and comment as it is; a missing file is created. Written to a temporary file, synced and renamed over the old
// one, so a crash leaves either the old file or the new.
Status updateConfigFile(const QString &path, const QMap<QString, std::optional<QString>> &changes);

}  // namespace blyan
