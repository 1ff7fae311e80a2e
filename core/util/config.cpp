#include "util/config.h"

#include <QFile>

namespace blyan {

Expected<ConfigFile> ConfigFile::load(const QString &path, const QStringList &allowedKeys)
{
    QFile f(path);
    if (!f.exists()) return ConfigFile{};
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, "cannot read config file " + path.toStdString() + ": " + f.errorString().toStdString());
    constexpr qint64 kMaxConfigBytes = 1 << 20;
    if (f.size() > kMaxConfigBytes)
        return makeError(ErrorCode::LimitExceeded, "config file " + path.toStdString() + " is over 1 MiB; is it the right file?");
    const QByteArray raw = f.readAll();
    const QString text = QString::fromUtf8(raw);
    if (text.toUtf8() != raw)
        return makeError(ErrorCode::Malformed, "config file " + path.toStdString() + " is not valid UTF-8");
    return parse(text, allowedKeys, path);
}

Expected<ConfigFile> ConfigFile::parse(const QString &text, const QStringList &allowedKeys, const QString &origin)
{
    ConfigFile cfg;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) continue;
        const std::string where = origin.toStdString() + " line " + std::to_string(i + 1);
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return makeError(ErrorCode::InvalidArgument, where + ": expected key=value, got '" + line.toStdString() + "'");
        const QString key = line.left(eq).trimmed();
        const QString value = line.mid(eq + 1).trimmed();
        if (!allowedKeys.contains(key))
            return makeError(ErrorCode::InvalidArgument, where + ": unknown setting '" + key.toStdString() +
                                                             "'; known settings: " + allowedKeys.join(QStringLiteral(", ")).toStdString());
        if (cfg.values_.contains(key))
            return makeError(ErrorCode::InvalidArgument, where + ": '" + key.toStdString() + "' is set twice");
        cfg.values_.insert(key, value);
    }
    return cfg;
}

std::optional<QString> ConfigFile::value(const QString &key) const
{
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return *it;
}

}  // namespace blyan
