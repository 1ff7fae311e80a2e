#include "util/config.h"

#include <QFile>
#include <QSaveFile>

namespace blyan {

Expected<ConfigFile> ConfigFile::load(const QString &path, const QStringList &allowedKeys, const QStringList &repeatableKeys)
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
    return parse(text, allowedKeys, path, repeatableKeys);
}

Expected<ConfigFile> ConfigFile::parse(const QString &text, const QStringList &allowedKeysIn, const QString &origin,
                                       const QStringList &repeatableKeys)
{
    const QStringList allowedKeys = allowedKeysIn + repeatableKeys;
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
        if (repeatableKeys.contains(key)) {
            cfg.repeated_[key].append(value);
            continue;
        }
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

Expected<quint64> parseByteSize(const QString &text, const std::string &origin)
{
    QString t = text.trimmed().toUpper();
    quint64 unit = 1;
    if (t.endsWith(QLatin1Char('K'))) unit = 1ull << 10;
    else if (t.endsWith(QLatin1Char('M'))) unit = 1ull << 20;
    else if (t.endsWith(QLatin1Char('G'))) unit = 1ull << 30;
    if (unit != 1) t.chop(1);
    bool ok = false;
    const quint64 v = t.toULongLong(&ok);
    if (!ok || v > (1ull << 50) / unit)
        return makeError(ErrorCode::InvalidArgument, origin + " must be a size in bytes with an optional K, M or G, got '" +
                                                         text.toStdString() + "'");
    return v * unit;
}

Status updateConfigFile(const QString &path, const QMap<QString, std::optional<QString>> &changes)
{
    QStringList lines;
    QFile in(path);
    if (in.exists()) {
        if (!in.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, "cannot read config file " + path.toStdString() + ": " + in.errorString().toStdString());
        lines = QString::fromUtf8(in.readAll()).split(QLatin1Char('\n'));
        in.close();
        if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
    }
    QMap<QString, std::optional<QString>> pending = changes;
    QStringList out;
    for (const QString &line : lines) {
        const QString t = line.trimmed();
        const qsizetype eq = t.indexOf(QLatin1Char('='));
        const QString key = eq > 0 && !t.startsWith(QLatin1Char('#')) ? t.left(eq).trimmed() : QString();
        if (!key.isEmpty() && changes.contains(key)) {
            if (pending.contains(key) && pending[key]) out << key + QLatin1Char('=') + *pending[key];
            pending.remove(key);  // a second line of the key (invalid anyway) goes away
            continue;
        }
        out << line;
    }
    for (auto it = pending.begin(); it != pending.end(); ++it)
        if (it.value()) out << it.key() + QLatin1Char('=') + *it.value();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write((out.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()) < 0 || !f.commit())
        return makeError(ErrorCode::Io, "cannot write config file " + path.toStdString() + ": " + f.errorString().toStdString());
    return {};
}

}  // namespace blyan
