#include "wallet/backup_format.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>

#ifdef _WIN32
#include <io.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace blyan::wallet::backupfmt {

namespace {

constexpr std::array<EntrySpec, 4> kSpecs = {{
    {kKeystoreName, kMaxBackupKeystoreBytes, true, false},
    {kWalletDbName, kMaxBackupWalletDbBytes, true, false},
    {kNodeKeyName, kBackupNodeKeyBytes, true, true},
    {kConfigName, kMaxBackupConfigBytes, false, false},
}};

Error badManifest(const std::string &what)
{
    return makeError(ErrorCode::Corrupt, "its manifest.json is invalid: " + what +
                                             "; the file is damaged or was not written by Blyan Desktop");
}

// Exact integers only: JSON numbers are doubles, and a size of 1.5 or 1e300 means someone made this up.
Expected<std::uint64_t> integerField(const QJsonValue &v, const std::string &what)
{
    if (!v.isDouble()) return badManifest(what + " is not a number");
    const double d = v.toDouble();
    if (!(d >= 0) || d > 9007199254740992.0 || std::floor(d) != d)
        return badManifest(what + " is not a whole number in range");
    return static_cast<std::uint64_t>(d);
}

Status exactKeys(const QJsonObject &o, std::initializer_list<const char *> keys, const std::string &where)
{
    for (const char *k : keys)
        if (!o.contains(QLatin1String(k))) return badManifest(where + " lacks \"" + k + "\"");
    if (static_cast<std::size_t>(o.size()) != keys.size()) {
        for (auto it = o.begin(); it != o.end(); ++it) {
            bool known = false;
            for (const char *k : keys) known |= it.key() == QLatin1String(k);
            if (!known) return badManifest(where + " has an unknown field \"" + it.key().toStdString() + "\"");
        }
    }
    return {};
}

Expected<EntryRecord> decodeEntry(const QJsonValue &v, std::set<std::string> &seen)
{
    if (!v.isObject()) return badManifest("an entry is not an object");
    const QJsonObject o = v.toObject();
    BLYAN_CHECK(exactKeys(o, {"name", "size", "blake2b256"}, "an entry"));
    if (!o.value(QLatin1String("name")).isString()) return badManifest("an entry's name is not a string");
    EntryRecord e;
    e.name = o.value(QLatin1String("name")).toString().toStdString();
    const EntrySpec *spec = findSpec(QString::fromStdString(e.name));
    if (!spec) return badManifest("it lists an unknown entry \"" + e.name + "\"");
    if (!seen.insert(e.name).second) return badManifest("it lists \"" + e.name + "\" twice");
    BLYAN_TRY(e.size, integerField(o.value(QLatin1String("size")), "the size of " + e.name));
    if (e.size > spec->maxBytes || (spec->exactSize && e.size != spec->maxBytes))
        return badManifest("the size of " + e.name + " (" + std::to_string(e.size) + " bytes) is not allowed");
    const QJsonValue h = o.value(QLatin1String("blake2b256"));
    if (!h.isString()) return badManifest("the hash of " + e.name + " is not a string");
    auto hash = crypto::hashFromHex(h.toString().toStdString());
    if (!hash) return badManifest("the hash of " + e.name + ": " + hash.error().message);
    e.hash = *hash;
    return e;
}

}  // namespace

std::span<const EntrySpec> entrySpecs() { return kSpecs; }

const EntrySpec *findSpec(const QString &name)
{
    for (const EntrySpec &s : kSpecs)
        if (name == QLatin1String(s.name)) return &s;
    return nullptr;
}

QByteArray encodeManifest(const Manifest &m)
{
    QJsonArray entries;
    for (const EntryRecord &e : m.entries) {
        entries.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(e.name)},
                                   {QStringLiteral("size"), static_cast<double>(e.size)},
                                   {QStringLiteral("blake2b256"), QString::fromStdString(crypto::hashToHex(e.hash))}});
    }
    const QJsonObject root{
        {QStringLiteral("format"), QLatin1String(kFormatName)},
        {QStringLiteral("version"), m.info.formatVersion},
        {QStringLiteral("network"), networkName(m.info.network)},
        {QStringLiteral("created"), m.info.created.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("app_version"), QString::fromStdString(m.info.appVersion)},
        {QStringLiteral("entries"), entries},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Expected<Manifest> decodeManifest(const QByteArray &json)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError) return badManifest("not JSON (" + err.errorString().toStdString() + ")");
    if (!doc.isObject()) return badManifest("not a JSON object");
    const QJsonObject o = doc.object();
    // The format name and version first, so that a newer backup says so instead of failing on its new fields.
    if (o.value(QLatin1String("format")).toString() != QLatin1String(kFormatName))
        return badManifest("\"format\" is not \"" + std::string(kFormatName) + "\"");
    Manifest m;
    BLYAN_TRY(std::uint64_t version, integerField(o.value(QLatin1String("version")), "\"version\""));
    if (version > static_cast<std::uint64_t>(kBackupFormatVersion))
        return makeError(ErrorCode::Unavailable, "this backup was written by a newer Blyan Desktop (backup format " +
                                                     std::to_string(version) + "); update the app to restore it");
    if (version != static_cast<std::uint64_t>(kBackupFormatVersion)) return badManifest("\"version\" is not 1");
    m.info.formatVersion = static_cast<int>(version);
    BLYAN_CHECK(exactKeys(o, {"format", "version", "network", "created", "app_version", "entries"}, "it"));

    const QJsonValue net = o.value(QLatin1String("network"));
    if (!net.isString()) return badManifest("\"network\" is not a string");
    auto network = parseNetwork(net.toString());
    if (!network)
        return makeError(ErrorCode::Unavailable, "this backup is for the network '" + net.toString().toStdString() +
                                                     "', which this version of Blyan Desktop does not know");
    m.info.network = *network;

    m.info.created = QDateTime::fromString(o.value(QLatin1String("created")).toString(), Qt::ISODate);
    if (!m.info.created.isValid()) return badManifest("\"created\" is not an ISO 8601 time");
    const QJsonValue app = o.value(QLatin1String("app_version"));
    if (!app.isString() || app.toString().isEmpty() || app.toString().size() > 64)
        return badManifest("\"app_version\" is not a short string");
    m.info.appVersion = app.toString().toStdString();

    const QJsonValue entries = o.value(QLatin1String("entries"));
    if (!entries.isArray()) return badManifest("\"entries\" is not an array");
    std::set<std::string> seen;
    for (const QJsonValue &v : entries.toArray()) {
        BLYAN_TRY(EntryRecord e, decodeEntry(v, seen));
        m.entries.push_back(std::move(e));
    }
    for (const EntrySpec &s : kSpecs)
        if (s.required && !seen.count(s.name)) return badManifest("it does not list " + std::string(s.name));
    return m;
}

Status syncFile(QFileDevice &file, const QString &what)
{
    if (!file.flush())
        return makeError(ErrorCode::Io, what.toStdString() + ": cannot write: " + file.errorString().toStdString());
#ifdef _WIN32
    const int rc = ::_commit(file.handle());
#else
    const int rc = ::fsync(file.handle());
#endif
    if (rc != 0)
        return makeError(ErrorCode::Io, what.toStdString() + ": cannot sync to disk: " + std::strerror(errno) +
                                            " (is the disk full or removed?)");
    return {};
}

Status syncDirectory(const QString &dir)
{
#ifdef _WIN32
    (void)dir;  // NTFS makes a rename durable with the file; there is no directory handle to sync
    return {};
#else
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return makeError(ErrorCode::Io, dir.toStdString() + ": cannot open folder to sync it: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return makeError(ErrorCode::Io, dir.toStdString() + ": cannot sync folder: " + std::strerror(err));
    return {};
#endif
}

}  // namespace blyan::wallet::backupfmt
